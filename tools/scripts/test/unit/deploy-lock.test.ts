import { describe, expect, it } from 'vitest';
import { holderLine, type Lease, leaseState, ourLease } from '../../lib/deploy-lock.ts';

const now = new Date('2026-11-30T15:00:00.000Z');
const lease = (spec: Lease['spec'], commit = 'commit abc1234'): Lease => ({
  metadata: {
    name: 'todo-chatbot-deploy',
    namespace: 'ns',
    annotations: { 'todo-chatbot.dev/commit': commit },
  },
  spec,
});

describe('leaseState', () => {
  it('is free with no lease, or one that names no holder', () => {
    expect(leaseState(undefined, now)).toEqual({ kind: 'free' });
    expect(leaseState(lease({}), now)).toEqual({ kind: 'free' });
  });

  it('is held until its renewal is older than its duration, then expired', () => {
    const spec = {
      holderIdentity: 'ci@runner (pid 1)',
      leaseDurationSeconds: 30,
      acquireTime: '2026-11-30T14:58:00.000000Z',
    };
    const held = leaseState(lease({ ...spec, renewTime: '2026-11-30T14:59:31.000000Z' }), now);
    expect(held.kind).toBe('held');
    const expired = leaseState(lease({ ...spec, renewTime: '2026-11-30T14:59:29.000000Z' }), now);
    expect(expired).toEqual({
      kind: 'expired',
      holder: {
        identity: 'ci@runner (pid 1)',
        commit: 'commit abc1234',
        since: '2026-11-30T14:58:00.000000Z',
      },
    });
    // A lease with no time at all cannot be shown to be alive.
    expect(leaseState(lease({ holderIdentity: 'x' }), now).kind).toBe('expired');
  });
});

describe('ourLease and holderLine', () => {
  it('writes a MicroTime lease over the version it read, and names its holder', () => {
    const written = ourLease({
      namespace: 'ns',
      release: 'todo-chatbot',
      identity: 'dev@laptop (pid 7)',
      commit: 'commit 0123abc-dirty',
      acquired: now,
      now,
      current: { ...lease({}), metadata: { name: 'x', namespace: 'ns', resourceVersion: '42' } },
    });
    expect(written.metadata).toMatchObject({ name: 'todo-chatbot-deploy', resourceVersion: '42' });
    expect(written.spec).toEqual({
      holderIdentity: 'dev@laptop (pid 7)',
      leaseDurationSeconds: 30,
      acquireTime: '2026-11-30T15:00:00.000000Z',
      renewTime: '2026-11-30T15:00:00.000000Z',
    });
    const state = leaseState(written, now);
    if (state.kind !== 'held') throw new Error(`expected held, got ${state.kind}`);
    expect(holderLine(state.holder)).toBe(
      'deploy of commit 0123abc-dirty from dev@laptop (pid 7) running since 2026-11-30T15:00:00.000000Z',
    );
  });
});
