import { describe, expect, it } from 'vitest';
import { eventLines, objectDiff, tail, whyLines } from '../../lib/mcp/answers.ts';
import { writeJobs } from '../../lib/mcp/write-jobs.ts';

describe('events', () => {
  const events = [
    {
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting\n',
      count: 3,
      involvedObject: { kind: 'Pod', name: 'b-1' },
      lastTimestamp: '2026-12-01T10:00:02Z',
    },
    {
      type: 'Normal',
      reason: 'Scheduled',
      message: 'assigned',
      involvedObject: { kind: 'Pod', name: 'b-1' },
      lastTimestamp: null,
      eventTime: '2026-12-01T10:00:00Z',
    },
  ];

  it('lists oldest first, with repeats counted, newest kept when limited', () => {
    expect(eventLines(events, 10, false)).toEqual([
      '2026-12-01T10:00:00Z Normal Scheduled Pod/b-1: assigned',
      '2026-12-01T10:00:02Z Warning BackOff Pod/b-1 (x3): Back-off restarting',
    ]);
    expect(eventLines(events, 1, false)).toHaveLength(1);
    expect(eventLines(events, 1, false)[0]).toContain('BackOff');
  });

  it('keeps only warnings when asked, and says when there are none', () => {
    expect(eventLines(events, 10, true)).toHaveLength(1);
    expect(eventLines([], 10, true)).toEqual(['no warning events']);
  });
});

describe('why', () => {
  it('points to the deploy when there is no report', () => {
    expect(whyLines(undefined, 'ns/r')[0]).toContain('npx nx run infra:deploy');
  });

  it('gives each step its outcome, time and reason', () => {
    const report = {
      generatedAt: 't',
      release: 'ns/r',
      steps: [
        { task: 'infra:helm-deploy', outcome: 'skipped', reason: 'cache hit', seconds: '0.0' },
      ],
      urls: ['http://x'],
    };
    expect(whyLines(report, 'ns/r')).toEqual([
      'last deploy of ns/r: t',
      'infra:helm-deploy  skipped     0.0 s  cache hit',
      'open: http://x',
    ]);
    expect(whyLines(report, 'other/r')[0]).toBe(
      'note: the last deploy in this workspace was of ns/r, not other/r: its steps below say nothing about other/r',
    );
  });
});

describe('tail', () => {
  it('keeps whole newest lines and says how much was left out', () => {
    const text = ['one', 'two', 'three', 'four'].join('\n');
    expect(tail(text, 100)).toBe(text);
    const cut = tail(text, 12);
    expect(cut.split('\n').slice(1)).toEqual(['three', 'four']);
    expect(cut).toMatch(/^\[\.\.\. \d+ earlier characters left out\]/);
  });
});

describe('object diff', () => {
  const deployment = (image: string, replicas = 1) => ({
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: { replicas, template: { spec: { containers: [{ name: 'api', image }] } } },
  });
  const secret = (value: string) => ({
    kind: 'Secret',
    metadata: { name: 's' },
    data: { KEY: value },
  });

  it('says nothing changes for equal objects', () => {
    expect(objectDiff([deployment('a:1')], [deployment('a:1')])).toEqual([
      'no object would change',
    ]);
  });

  it('names each changed field with both sides, and added and removed objects', () => {
    const lines = objectDiff(
      [deployment('a:2', 2), { kind: 'Service', metadata: { name: 'new' } }],
      [deployment('a:1'), { kind: 'ConfigMap', metadata: { name: 'old' } }],
    );
    expect(lines).toEqual([
      '~ Deployment/api:',
      '    spec.replicas: deployed 1, desired 2',
      '    spec.template.spec.containers[0].image: deployed "a:1", desired "a:2"',
      '+ Service/new: would be created',
      '- ConfigMap/old: would be deleted',
    ]);
  });

  it('never shows what a Secret holds', () => {
    const lines = objectDiff([secret('TkVX')], [secret('T0xE')]);
    expect(lines).toEqual(['~ Secret/s: would change (content withheld: it is a Secret)']);
    expect(lines.join('\n')).not.toMatch(/TkVX|T0xE/);
  });

  it('stops listing after a few fields', () => {
    const many = (value: number) => ({
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, String(value)])),
    });
    const lines = objectDiff([many(1)], [many(2)]);
    expect(lines.at(-1)).toBe('    ... and more');
    expect(lines.length).toBeLessThan(12);
  });
});

describe('write jobs', () => {
  const commands = {
    deploy: ['sh', '-c', 'echo building; echo done'],
    rollback: ['sh', '-c', 'echo "nothing to roll back" >&2; exit 1'],
  };

  it('runs one job at a time and reports its state and last lines', async () => {
    const jobs = writeJobs({ ...commands, deploy: ['sh', '-c', 'sleep 0.3; echo done'] });
    expect(jobs.describe()).toEqual([]);
    expect(jobs.start('deploy', [])).toMatch(/^deploy started/);
    expect(jobs.start('rollback', [])).toMatch(/^a deploy started \d+ s ago is still running/);
    expect(jobs.describe()[0]).toMatch(/running for \d+ s/);
    await jobs.idle();
    expect(jobs.describe()[0]).toMatch(/deploy started here .*: succeeded after \d+ s/);
    expect(jobs.describe()).toContain('  done');
  });

  it('reports a failed job with its exit code and what it said', async () => {
    const jobs = writeJobs(commands);
    jobs.start('rollback', ['3']);
    await jobs.idle();
    expect(jobs.describe()[0]).toMatch(/rollback started here .*: failed \(exit 1\)/);
    expect(jobs.describe()).toContain('  nothing to roll back');
  });
});
