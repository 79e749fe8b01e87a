/**
 * The verdict of `bench-floods.ts` (pure): under a flood of unauthenticated requests every
 * answer must be a clear one, and no pod may pass its memory limit or restart.
 */
import { mb } from './log.ts';

/** The answers a flood may get: success, a client mistake, or a request to come back. */
export const CLEAR_STATUSES = new Set([201, 401, 409, 413, 429]);

export type PodMemory = {
  component: string;
  pod: string;
  limitBytes: number | undefined;
  peakBytes: number | undefined;
  restarts: number;
};

export type FloodResult = {
  name: string;
  statuses: number[];
  seconds: number;
};

/** `{201: 3, 429: 47}` as "201 x3, 429 x47", by status. */
export function statusCounts(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status} x${count}`)
    .join(', ');
}

export function floodVerdict(
  floods: FloodResult[],
  before: PodMemory[],
  after: PodMemory[],
): { lines: string[]; problems: string[] } {
  const lines: string[] = [];
  const problems: string[] = [];
  for (const flood of floods) {
    lines.push(`${flood.name}: ${statusCounts(flood.statuses)} in ${flood.seconds.toFixed(1)} s`);
    const unclear = flood.statuses.filter((status) => !CLEAR_STATUSES.has(status));
    if (unclear.length) problems.push(`${flood.name}: answered ${statusCounts(unclear)}`);
  }
  for (const pod of after) {
    const was = before.find((p) => p.pod === pod.pod);
    const peak = pod.peakBytes === undefined ? 'peak unknown' : `peak ${mb(pod.peakBytes)}`;
    const limit = pod.limitBytes === undefined ? 'no limit' : `limit ${mb(pod.limitBytes)}`;
    lines.push(`${pod.component} ${pod.pod}: ${peak} of ${limit}, ${pod.restarts} restarts`);
    if (!was) problems.push(`${pod.component} pod ${pod.pod} is new: its predecessor went away`);
    else if (pod.restarts > was.restarts) problems.push(`${pod.pod} restarted (an OOM kill?)`);
    if (
      pod.peakBytes !== undefined &&
      pod.limitBytes !== undefined &&
      pod.peakBytes > pod.limitBytes
    ) {
      problems.push(
        `${pod.pod} peaked at ${mb(pod.peakBytes)}, over its ${mb(pod.limitBytes)} limit`,
      );
    }
  }
  return { lines, problems };
}
