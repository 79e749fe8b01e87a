import { describe, expect, it } from 'vitest';
import {
  type ScheduledPod,
  schedulingAdvice,
  unschedulable,
  unschedulableLine,
} from '../../lib/scheduling.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

function pending(
  name: string,
  seconds: number,
  message: string,
  component: string | undefined = 'backend',
): ScheduledPod {
  return {
    metadata: {
      name,
      labels: component ? { 'app.kubernetes.io/component': component } : {},
    },
    status: {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message,
          lastTransitionTime: ago(seconds),
        },
      ],
    },
  };
}

const DISK =
  '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
const CPU =
  '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';

describe('unschedulable', () => {
  it('waits out the grace period, then names the pod, its app, how long, and the reason', () => {
    expect(unschedulable([pending('web-1', 59, CPU)], NOW, 60)).toBeUndefined();
    expect(unschedulable([pending('web-1', 60, CPU)], NOW, 60)).toEqual({
      pod: 'web-1',
      app: 'backend',
      seconds: 60,
      message: CPU,
      advice: expect.stringContaining('lower backend.resources.requests'),
    });
  });

  it('ignores pods that are placed, running, or pending for another reason', () => {
    const placed: ScheduledPod = {
      metadata: { name: 'placed' },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: ago(600) }],
      },
    };
    const running: ScheduledPod = { ...pending('running', 600, CPU), status: { phase: 'Running' } };
    const gated = pending('gated', 600, 'waiting for gates');
    const gatedCondition = gated.status?.conditions?.[0];
    if (gatedCondition) gatedCondition.reason = 'SchedulingGated';
    expect(unschedulable([placed, running, gated], NOW, 10)).toBeUndefined();
  });

  it('reports the pod waiting longest when several are unplaceable', () => {
    const found = unschedulable(
      [pending('a', 70, CPU), pending('b', 300, DISK, 'frontend'), pending('c', 5, CPU)],
      NOW,
      60,
    );
    expect(found).toMatchObject({ pod: 'b', app: 'frontend', seconds: 300 });
  });

  it('skips a condition without a readable time instead of guessing one', () => {
    const pod = pending('a', 0, CPU);
    const condition = pod.status?.conditions?.[0];
    if (condition) condition.lastTransitionTime = 'not a time';
    expect(unschedulable([pod], NOW, 0)).toBeUndefined();
  });
});

describe('schedulingAdvice', () => {
  it.each([
    [DISK, /short of disk space.*docker system prune/],
    [
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }',
      /short of memory/,
    ],
    [
      '0/2 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/pid-pressure: }',
      /process ids/,
    ],
    [
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
      /no node is ready.*kubectl get nodes/,
    ],
    ['0/1 nodes are available: 1 node(s) were unschedulable.', /cordoned.*uncordon/],
    [CPU, /lower backend\.resources\.requests/],
    ['0/3 nodes are available: 3 Insufficient memory.', /lower backend\.resources\.requests/],
    [
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
      /backend\.nodeSelector/,
    ],
    ['0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.', /StorageClass/],
    [
      '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.',
      /taint.*toleration/,
    ],
    ['something the scheduler will say in a later release', /kubectl describe pod/],
  ])('%s', (message, advice) => {
    expect(schedulingAdvice(message, 'backend')).toMatch(advice);
  });

  it('names the values block generically when the pod carries no app label', () => {
    expect(schedulingAdvice(CPU, undefined)).toContain('<app>.resources.requests');
  });
});

describe('unschedulableLine', () => {
  it('reads as one sentence: pod, time, the scheduler, the fix', () => {
    const found = unschedulable([pending('todo-backend-7f', 61, CPU)], NOW, 60);
    expect(found && unschedulableLine(found)).toBe(
      `pod todo-backend-7f could not be scheduled for 61 s (${CPU.replace(/\.$/, '')}): the pod requests more than any node has free: lower backend.resources.requests in your values, or free room on the cluster (\`kubectl describe node\` lists what is allocated)`,
    );
  });
});
