/**
 * The namespace quota of values.local.yaml holds what it is sized for: the release, a rollout's
 * surge, the migration Job and the `helm test` pods, with the variations the project's own
 * scenarios deploy (two backend replicas, a third app, the backend autoscaled to three), as
 * the deploy's own fit check (tools/scripts/lib/fit.ts) counts them; and a release it cannot
 * hold is named by component and amount.
 */
import { limitRangeDefaults, podDemands, quotaShortfalls } from '@todo/scripts/lib/fit.ts';
import { describe, expect, it } from 'vitest';
import { CHART, fixture, type Manifest, render, renderSet } from './support/helm.ts';

const LOCAL = `${CHART}/values.local.yaml`;

function shortfalls(manifests: Manifest[]): string[] {
  const quota = manifests.find((m) => m.kind === 'ResourceQuota');
  if (!quota) throw new Error('no ResourceQuota rendered');
  return quotaShortfalls(
    podDemands(manifests),
    { name: quota.metadata.name, hard: quota.spec.hard, fix: 'raise namespaceQuota.hard' },
    'the release',
  );
}

describe('namespace quota', () => {
  it('is off by default and on in values.local.yaml, with its LimitRange', async () => {
    const kinds = (manifests: Manifest[]) => manifests.map((m) => m.kind);
    expect(kinds(await renderSet('defaults'))).not.toContain('ResourceQuota');
    const local = await renderSet('local');
    expect(kinds(local)).toEqual(expect.arrayContaining(['ResourceQuota', 'LimitRange']));
    expect(limitRangeDefaults(local)).toEqual({
      request: { cpu: 0.05, memory: 64 * 1024 ** 2 },
      limit: { cpu: 0.5, memory: 256 * 1024 ** 2 },
    });
  });

  it.each([
    ['the local release', {}],
    ['the default release', { values: [], set: { 'namespaceQuota.enabled': 'true' } }],
    ['two backend replicas', { set: { 'backend.replicaCount': '2' } }],
    ['a third app', { values: [LOCAL, fixture('values/worker.yaml')] }],
    [
      'the backend autoscaled up to three',
      {
        set: {
          'backend.autoscaling.enabled': 'true',
          'backend.autoscaling.minReplicas': '1',
          'backend.autoscaling.maxReplicas': '3',
        },
      },
    ],
  ])('holds %s with a surge, the migration Job and the helm test pods', async (_, options) => {
    const manifests = await render({ values: [LOCAL], ...options });
    const roles = new Set(podDemands(manifests).map((demand) => demand.role));
    expect([...roles]).toEqual(expect.arrayContaining(['replica', 'surge', 'hook', 'test']));
    expect(shortfalls(manifests)).toEqual([]);
  });

  it('names the key, the components and the shortfall when the release outgrows it', async () => {
    const manifests = await render({ values: [LOCAL], set: { 'backend.replicaCount': '8' } });
    const found = shortfalls(manifests);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^ResourceQuota demo-todo-chatbot-quota: the release needs limits\.cpu 14 \(backend 8 × 1, backend \(rollout surge\) 1, .*, test \(helm test\) 2 × 500m, .*\) and it allows 10: short by 4; raise namespaceQuota\.hard$/,
      ),
    );
    expect(found).toContainEqual(
      expect.stringMatching(/needs pods 15 .* it allows 12: short by 3/),
    );
  });
});
