import { describe, expect, it } from 'vitest';
import {
  recoveryPlan,
  revisionsOf,
  type Standing,
  standingLine,
  standingOf,
  stuckRevision,
} from '../../lib/release-standing.ts';

const NOW = new Date('2026-11-30T12:00:00Z');
/** A record as Helm writes it; `createdAgo`: seconds before NOW. */
const record = (version: number, status: string, createdAgo = 3600) => ({
  metadata: {
    labels: {
      owner: 'helm',
      name: 'todo-chatbot',
      version: String(version),
      status,
      // Copied by Helm from the previous revision's record: not when this one began.
      modifiedAt: String(NOW.getTime() / 1000 - 86_400),
    },
    creationTimestamp: new Date(NOW.getTime() - createdAgo * 1000).toISOString(),
  },
});
const standing = (...records: ReturnType<typeof record>[]): Standing =>
  standingOf('todo-chatbot', revisionsOf(records));

describe('revisionsOf', () => {
  it("reads Helm's labels, newest first, and skips records that are not Helm's", () => {
    const revisions = revisionsOf([
      record(1, 'superseded', 600),
      record(3, 'failed'),
      { metadata: { labels: { owner: 'helm', status: 'deployed' } } },
      record(2, 'deployed', 300),
    ]);
    expect(revisions.map(({ revision, status }) => [revision, status])).toEqual([
      [3, 'failed'],
      [2, 'deployed'],
      [1, 'superseded'],
    ]);
    // When each record was written, whatever Helm's modifiedAt label says.
    expect(revisions[1]?.createdAt).toEqual(new Date('2026-11-30T11:55:00Z'));
  });
});

describe('standingLine: where the release stands, as the cluster says', () => {
  it('a deployed latest revision serves', () => {
    const line = standingLine(standing(record(1, 'superseded'), record(2, 'deployed')), NOW);
    expect(line).toBe('the release is on revision 2, which keeps serving');
  });

  it('after a rollback on failure: the rollback revision serves', () => {
    const line = standingLine(
      standing(record(4, 'superseded'), record(5, 'failed'), record(6, 'deployed')),
      NOW,
    );
    expect(line).toBe('the release is on revision 6, which keeps serving');
  });

  it('a failed latest revision names the one that still serves, or that none does', () => {
    expect(standingLine(standing(record(4, 'deployed'), record(5, 'failed')), NOW)).toBe(
      'revision 5 is failed; the release is on revision 4, which keeps serving',
    );
    expect(standingLine(standing(record(1, 'failed')), NOW)).toBe(
      'revision 1 is failed and no revision is deployed: nothing of release todo-chatbot serves',
    );
  });

  it.each([
    ['pending-upgrade', 'rollback` returns it to revision 4'],
    ['pending-rollback', 'rollback` returns it to revision 4'],
  ])('%s: names the revision, since when, and the way out', (status, way) => {
    const stuck = standing(record(4, 'deployed'), record(5, status, 90));
    expect(stuckRevision(stuck)?.revision).toBe(5);
    const line = standingLine(stuck, NOW);
    expect(line).toContain(
      `release todo-chatbot has been ${status} at revision 5 since 2026-11-30T11:58:30.000Z (90 s ago)`,
    );
    expect(line).toContain('another deploy of it is running, or one was interrupted');
    expect(line).toContain(`if none is running, \`npx nx run infra:${way}, then deploy again`);
  });

  it('a first install left pending: the half-installed release is removed, not rolled back', () => {
    const line = standingLine(standing(record(1, 'pending-install', 600)));
    expect(line).toMatch(/has been pending-install at revision 1 since .* \(\d+ min ago\)/);
    expect(line).toContain('`npx nx run infra:teardown` removes the half-installed release');
  });

  it('a pending revision that is not the latest blocks nothing', () => {
    const settled = standing(record(5, 'pending-upgrade'), record(6, 'deployed'));
    expect(stuckRevision(settled)).toBeUndefined();
  });

  it('no record: not installed', () => {
    expect(standingLine(standing(), NOW)).toBe('release todo-chatbot is not installed');
  });
});

describe('recoveryPlan: what the next deploy does about a pending revision', () => {
  const gone = 'deploy of commit abc1234 by ada@laptop (pid 7) since 2026-11-30T11:58:00Z';

  it('puts the release back on the revision that serves, when it took over the dead deploy', () => {
    const plan = recoveryPlan(standing(record(5, 'pending-upgrade'), record(4, 'deployed')), gone);
    expect(plan).toEqual({
      action: 'rollback',
      revision: 4,
      line: `revision 5 was left pending-upgrade by the interrupted ${gone}: back to revision 4, which serves, then upgrading`,
    });
    const rollback = recoveryPlan(
      standing(record(6, 'pending-rollback'), record(5, 'failed'), record(4, 'deployed')),
      gone,
    );
    expect(rollback).toMatchObject({ action: 'rollback', revision: 4 });
  });

  it('removes a first install that never finished, so that the install can run', () => {
    expect(recoveryPlan(standing(record(1, 'pending-install')), gone)).toMatchObject({
      action: 'uninstall',
      line: expect.stringContaining('removing the half-installed release, then installing'),
    });
  });

  it('touches nothing when no interrupted deploy of this pipeline owned it: someone may be running Helm', () => {
    const stuck = standing(record(5, 'pending-upgrade'), record(4, 'deployed'));
    expect(recoveryPlan(stuck, undefined)).toEqual({
      action: 'refuse',
      message: standingLine(stuck),
    });
  });
});
