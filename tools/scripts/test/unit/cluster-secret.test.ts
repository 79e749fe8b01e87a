import { describe, expect, it } from 'vitest';
import {
  alreadyApplied,
  DIGEST_ANNOTATION,
  type LiveObject,
  namespaceManifest,
  secretManifest,
  staleKeys,
} from '../../lib/cluster-secret.ts';

const secrets = { JWT_SECRET: 'j'.repeat(64), LLM_API_KEY: 'sk-test' };
const manifests = [
  namespaceManifest('todo'),
  secretManifest({
    name: 'todo-secrets',
    namespace: 'todo',
    release: 'todo',
    secrets,
    digest: 'd1',
  }),
];
const base64 = (value: string) => Buffer.from(value).toString('base64');

/** The objects as the API server returns them after an apply (data base64, extra metadata). */
function live(
  overrides: {
    data?: Record<string, string>;
    digest?: string;
    labels?: Record<string, string>;
  } = {},
): LiveObject[] {
  return [
    {
      metadata: {
        labels: {
          'kubernetes.io/metadata.name': 'todo',
          ...(namespaceManifest('todo') as LiveObject).metadata?.labels,
          ...overrides.labels,
        },
      },
    },
    {
      metadata: {
        labels: {
          'app.kubernetes.io/instance': 'todo',
          'app.kubernetes.io/managed-by': 'todo-chatbot-deploy',
        },
        annotations: { [DIGEST_ANNOTATION]: overrides.digest ?? 'd1', other: 'x' },
      },
      data: overrides.data ?? {
        JWT_SECRET: base64(secrets.JWT_SECRET),
        LLM_API_KEY: base64(secrets.LLM_API_KEY),
      },
    },
  ];
}

describe('alreadyApplied', () => {
  it('is true when every label, annotation and value is live', () => {
    expect(alreadyApplied(manifests, live())).toBe(true);
  });

  it('is false when an object is missing', () => {
    expect(alreadyApplied(manifests, [live()[0], undefined])).toBe(false);
    expect(alreadyApplied(manifests, [undefined, live()[1]])).toBe(false);
  });

  it('is false when a value was edited in the cluster, even under the same digest', () => {
    const data = { JWT_SECRET: base64('edited by hand'), LLM_API_KEY: base64(secrets.LLM_API_KEY) };
    expect(alreadyApplied(manifests, live({ data }))).toBe(false);
  });

  it('is false when a value is missing, the digest differs or a namespace label was changed', () => {
    expect(
      alreadyApplied(manifests, live({ data: { JWT_SECRET: base64(secrets.JWT_SECRET) } })),
    ).toBe(false);
    expect(alreadyApplied(manifests, live({ digest: 'd0' }))).toBe(false);
    expect(
      alreadyApplied(
        manifests,
        live({ labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } }),
      ),
    ).toBe(false);
  });
});

describe('secretManifest', () => {
  it('carries the values as base64 of their UTF-8 bytes, and nothing else', () => {
    const manifest = secretManifest({
      name: 's',
      namespace: 'n',
      release: 'r',
      secrets: { JWT_SECRET: 'päss wörd=', LLM_API_KEY: 'sk' },
      digest: 'd',
    }) as LiveObject & { stringData?: unknown };
    expect(manifest.data).toEqual({ JWT_SECRET: base64('päss wörd='), LLM_API_KEY: base64('sk') });
    expect(manifest.stringData).toBeUndefined();
  });
});

describe('a key removed from the env file', () => {
  const [, secret] = manifests as [object, object];
  const withExtra = live({
    data: {
      JWT_SECRET: base64(secrets.JWT_SECRET),
      LLM_API_KEY: base64(secrets.LLM_API_KEY),
      DATABASE_URL: base64('postgresql://old'),
    },
  });

  it('is a stale key of the live Secret, named, sorted', () => {
    expect(staleKeys(secret, withExtra[1])).toEqual(['DATABASE_URL']);
    expect(staleKeys(secret, live()[1])).toEqual([]);
    expect(staleKeys(secret, undefined)).toEqual([]);
    expect(staleKeys(namespaceManifest('todo'), withExtra[1])).toEqual([]);
  });

  it('means the Secret is not current, even with every wanted value live', () => {
    expect(alreadyApplied(manifests, withExtra)).toBe(false);
  });
});
