import { describe, expect, it } from 'vitest';
import { floodVerdict, type PodMemory, statusCounts } from '../../lib/flood-checks.ts';

const MiB = 2 ** 20;
const pod = (over: Partial<PodMemory> = {}): PodMemory => ({
  component: 'backend',
  pod: 'todo-backend-1',
  limitBytes: 384 * MiB,
  peakBytes: 200 * MiB,
  restarts: 0,
  ...over,
});

describe('floodVerdict', () => {
  it('holds when every answer is clear and the pods stayed', () => {
    const { lines, problems } = floodVerdict(
      [{ name: 'sign-ups', statuses: [201, 429, 429, 401], seconds: 3.21 }],
      [pod()],
      [pod()],
    );
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      'sign-ups: 201 x1, 401 x1, 429 x2 in 3.2 s',
      'backend todo-backend-1: peak 209.7 MB of limit 402.7 MB, 0 restarts',
    ]);
  });

  it('names 5xx, unanswered requests, restarts and replaced pods', () => {
    const { problems } = floodVerdict(
      [{ name: 'uploads', statuses: [413, 502, 0], seconds: 1 }],
      [pod(), pod({ component: 'frontend', pod: 'todo-frontend-1' })],
      [pod({ restarts: 1 }), pod({ component: 'frontend', pod: 'todo-frontend-2' })],
    );
    expect(problems).toEqual([
      'uploads: answered 0 x1, 502 x1',
      'todo-backend-1 restarted (an OOM kill?)',
      'frontend pod todo-frontend-2 is new: its predecessor went away',
    ]);
  });

  it('counts statuses in order', () => {
    expect(statusCounts([429, 201, 429])).toBe('201 x1, 429 x2');
  });
});
