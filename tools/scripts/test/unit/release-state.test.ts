import { describe, expect, it } from 'vitest';
import {
  type DesiredRelease,
  decideRelease,
  FINGERPRINT_LABEL,
  readDeployed,
  releaseFingerprint,
  secretDigest,
} from '../../lib/release-state.ts';

const desired: DesiredRelease = {
  namespace: 'todo',
  release: 'todo',
  chartDigest: 'chart-1',
  values: { 'backend.image.tag': 'b1', 'frontend.image.tag': 'f1', 'secrets.checksum': 's1' },
  images: { backend: 'todo-chatbot/backend:b1', frontend: 'todo-chatbot/frontend:f1' },
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

function releaseRecord(version: number, fingerprint: string, status = 'deployed') {
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

  it('ignores other releases in the namespace', () => {
    expect(readDeployed(healthy(), 'another')).toBeUndefined();
  });
});
