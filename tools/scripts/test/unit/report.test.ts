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
    expect(lines[1]?.reason).toBe(
      "Nx cache hit, checked this run: the cluster's registry or node still has that image; last ran 2026-11-22T01:00:00.000Z: loaded",
    );
  });

  it('says what each replayed step checked, never "unchanged" about what it did not check', () => {
    const steps = ['docker-build', 'minikube-load', 'helm-deploy', 'smoke-test'];
    const lines = summarize(
      steps.map((step) => record(`infra:${step}`, 'earlier')),
      'now',
    );
    const reasons = lines.map((line) => line.reason);
    expect(new Set(reasons).size).toBe(steps.length);
    expect(reasons.join('\n')).not.toMatch(/state unchanged/);
    expect(reasons[2]).toMatch(/no object it applied changed by hand/);
    expect(reasons[3]).toMatch(/helm-deploy found the release exactly as these checks left it/);
  });
});
