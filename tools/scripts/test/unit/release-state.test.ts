import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chartDigest,
  type DesiredRelease,
  decideRelease,
  FINGERPRINT_LABEL,
  MIGRATIONS_LABEL,
  migrationsNeeded,
  readDeployed,
  releaseFingerprint,
  secretDigest,
  valuesFileName,
} from '../../lib/release-state.ts';

const desired: DesiredRelease = {
  namespace: 'todo',
  release: 'todo',
  chartDigest: 'chart-1',
  values: { 'backend.image.tag': 'b1', 'frontend.image.tag': 'f1', 'secrets.checksum': 's1' },
  images: { backend: 'todo-chatbot/backend:b1', frontend: 'todo-chatbot/frontend:f1' },
  migrations: '0123456789abcdef',
};

function deployment(component: string, image: string, ready = true) {
  return {
    kind: 'Deployment',
    metadata: {
      name: `todo-${component}`,
      generation: 2,
      labels: { 'app.kubernetes.io/instance': 'todo', 'app.kubernetes.io/component': component },
    },
    spec: { replicas: 1, template: { spec: { containers: [{ image }] } } },
    status: {
      observedGeneration: 2,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: ready ? 1 : 0,
    },
  };
}

function releaseRecord(
  version: number,
  fingerprint: string,
  status = 'deployed',
  migrations = desired.migrations,
) {
  return {
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.todo.v${version}`,
      labels: {
        name: 'todo',
        owner: 'helm',
        status,
        version: String(version),
        [FINGERPRINT_LABEL]: fingerprint,
        [MIGRATIONS_LABEL]: migrations,
      },
    },
  };
}

const healthy = (fingerprint = releaseFingerprint(desired)) => [
  releaseRecord(1, 'old', 'superseded'),
  releaseRecord(2, fingerprint),
  deployment('backend', 'todo-chatbot/backend:b1'),
  deployment('frontend', 'todo-chatbot/frontend:f1'),
  { kind: 'Secret', type: 'Opaque', metadata: { name: 'todo-secrets' } },
];

describe('release fingerprint', () => {
  it('is stable under value order and changes with any input', () => {
    const reordered = {
      ...desired,
      values: Object.fromEntries(Object.entries(desired.values).reverse()),
    };
    expect(releaseFingerprint(reordered)).toBe(releaseFingerprint(desired));
    expect(releaseFingerprint({ ...desired, chartDigest: 'chart-2' })).not.toBe(
      releaseFingerprint(desired),
    );
    expect(
      releaseFingerprint({ ...desired, values: { ...desired.values, 'backend.image.tag': 'b2' } }),
    ).not.toBe(releaseFingerprint(desired));
    expect(releaseFingerprint(desired)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('digests secrets without exposing them, keyed by the JWT secret', () => {
    const digest = secretDigest({ JWT_SECRET: 'j', DATABASE_URL: 'postgres://u:pw@h/db' });
    expect(digest).toMatch(/^[0-9a-f]{32}$/);
    expect(secretDigest({ DATABASE_URL: 'postgres://u:pw@h/db', JWT_SECRET: 'j' })).toBe(digest);
    expect(secretDigest({ JWT_SECRET: 'j', DATABASE_URL: 'postgres://u:pw2@h/db' })).not.toBe(
      digest,
    );
  });
});

describe('decideRelease', () => {
  it('installs when nothing is deployed', () => {
    expect(decideRelease(desired, readDeployed([], 'todo'))).toEqual({
      upgrade: true,
      reason: 'no deployed release: installing',
    });
  });

  it('does not invoke helm when the healthy release was made from these inputs', () => {
    const deployed = readDeployed(healthy(), 'todo');
    expect(deployed?.revision).toBe(2);
    const decision = decideRelease(desired, deployed);
    expect(decision.upgrade).toBe(false);
    expect(decision.reason).toMatch(/revision 2 .* helm not invoked/);
  });

  it('upgrades when the inputs changed', () => {
    const decision = decideRelease(desired, readDeployed(healthy('other'), 'todo'));
    expect(decision).toMatchObject({ upgrade: true });
    expect(decision.reason).toMatch(/other inputs/);
  });

  it('upgrades when a workload runs another image (changed behind the pipeline)', () => {
    const items = healthy();
    items[2] = deployment('backend', 'todo-chatbot/backend:hand-edited');
    expect(decideRelease(desired, readDeployed(items, 'todo')).reason).toMatch(
      /runs todo-chatbot\/backend:hand-edited, not todo-chatbot\/backend:b1/,
    );
  });

  it('upgrades when a workload is not available', () => {
    const items = healthy();
    items[3] = deployment('frontend', 'todo-chatbot/frontend:f1', false);
    expect(decideRelease(desired, readDeployed(items, 'todo')).reason).toMatch(
      /todo-frontend not fully available/,
    );
  });

  it('restores objects changed by hand, also when the inputs changed too', () => {
    const drifted = readDeployed(healthy(), 'todo');
    if (drifted)
      drifted.drift =
        'Deployment todo-backend changed outside the release (spec.replicas 0, want 1)';
    expect(decideRelease(desired, drifted)).toEqual({
      upgrade: true,
      restore: true,
      reason:
        'Deployment todo-backend changed outside the release (spec.replicas 0, want 1): restoring',
    });
    const both = readDeployed(healthy('other'), 'todo');
    if (both) both.drift = 'Service todo-frontend was deleted outside the release';
    expect(decideRelease(desired, both)).toMatchObject({
      upgrade: true,
      restore: true,
      reason: expect.stringMatching(
        /other inputs .*; Service todo-frontend was deleted outside the release: restoring$/,
      ),
    });
  });

  it('says so when the app does not answer, without an upgrade that would not change it', () => {
    const silent = readDeployed(healthy(), 'todo');
    if (silent)
      silent.unanswered = 'the app does not answer through Service todo-frontend (HTTP 503)';
    const decision = decideRelease(desired, silent);
    expect(decision.upgrade).toBe(false);
    expect(decision.reason).toMatch(
      /but the app does not answer .*HTTP 503.*the smoke test checks the app/,
    );
  });

  it('ignores other releases in the namespace', () => {
    expect(readDeployed(healthy(), 'another')).toBeUndefined();
  });
});

describe('migrationsNeeded', () => {
  it('runs them on a first install', () => {
    expect(migrationsNeeded(desired, undefined)).toMatchObject({ upgrade: true });
  });

  it('skips the Job when the deployed revision recorded the same migrations', () => {
    const decision = migrationsNeeded(desired, readDeployed(healthy('other'), 'todo'));
    expect(decision).toEqual({
      upgrade: false,
      reason: 'migrations unchanged since revision 2: migration Job skipped',
    });
  });

  it('runs them when the migrations changed, or the revision recorded none', () => {
    const items = healthy('other');
    items[1] = releaseRecord(2, 'other', 'deployed', 'fedcba9876543210');
    expect(migrationsNeeded(desired, readDeployed(items, 'todo'))).toMatchObject({
      upgrade: true,
      reason: expect.stringMatching(/differ from revision 2/),
    });
    const unlabelled = readDeployed(healthy('other'), 'todo');
    if (unlabelled) unlabelled.migrations = undefined;
    expect(migrationsNeeded(desired, unlabelled).upgrade).toBe(true);
  });
});

describe('chartDigest across checkouts', () => {
  it('names a values file inside the workspace by its relative path, one outside by its own', () => {
    expect(valuesFileName('/a/ws/infra/values.yaml', '/a/ws')).toBe('infra/values.yaml');
    expect(valuesFileName('/etc/team/values.yaml', '/a/ws')).toBe('/etc/team/values.yaml');
  });

  it('is the same for two clones of one commit in different folders', async () => {
    const [one, two] = await Promise.all([
      mkdtemp(join(tmpdir(), 'clone-a-')),
      mkdtemp(join(tmpdir(), 'clone-b-')),
    ]);
    for (const root of [one, two]) {
      await mkdir(join(root, 'chart', 'templates'), { recursive: true });
      await writeFile(join(root, 'chart', 'Chart.yaml'), 'name: x\n');
      await writeFile(join(root, 'values.local.yaml'), 'replicas: 1\n');
    }
    const digest = (root: string) =>
      chartDigest(join(root, 'chart'), [join(root, 'values.local.yaml')], root);
    expect(await digest(one)).toBe(await digest(two));
    await writeFile(join(two, 'values.local.yaml'), 'replicas: 2\n');
    expect(await digest(one)).not.toBe(await digest(two));
  });
});
