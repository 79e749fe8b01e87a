import { describe, expect, it } from 'vitest';
import { type StepRecord, summarize } from '../../lib/report.ts';

const record = (task: string, invocation: string): StepRecord => ({
  task,
  action: 'loaded',
  reason: 'was not on the node',
  durationMs: 1234,
  finishedAt: '2026-11-22T01:00:00.000Z',
  invocation,
});

describe('deploy summary', () => {
  it('reports this run as it happened and earlier runs as skipped', () => {
    const lines = summarize(
      [record('backend:minikube-load', '42'), record('frontend:minikube-load', '7')],
      '42',
    );
    expect(lines[0]).toEqual({
      task: 'backend:minikube-load',
      outcome: 'loaded',
      reason: 'was not on the node',
      seconds: '1.2',
    });
    expect(lines[1]).toMatchObject({
      task: 'frontend:minikube-load',
      outcome: 'skipped',
      seconds: '0.0',
    });
    expect(lines[1]?.reason).toMatch(/Nx cache hit .* last ran 2026-11-22T01:00:00.000Z: loaded/);
  });
});
