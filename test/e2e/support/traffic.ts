/**
 * A bounded stream of requests through the deployed app while something happens to it (a
 * rollout, a failing release), counting every answer that is not the expected one.
 */
import type { ApiAnswer } from '@todo/scripts/lib/smoke-checks.ts';

/** Calls the app (through the frontend on 127.0.0.1), as `apiCall` with the base URL bound. */
export type AppCall = (
  method: string,
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number },
) => Promise<ApiAnswer>;

export type Traffic = {
  sent: number;
  failed: number;
  /** The first failures: time since the start, request, what went wrong. */
  failures: string[];
  seconds: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Requests until `stop` is called, `maxRequests` were sent or `maxMs` passed, one every
 * ~50 ms, reads and writes in turn: GET /api/readyz, POST /api/tasks, GET /api/tasks, DELETE
 * of the task just created. Writes matter: a proxy may resend a GET whose connection was
 * reset, never a POST. Any other status counts as a failure.
 */
export function startTraffic(
  call: AppCall,
  token: string,
  { maxRequests = 5000, maxMs = 300_000, intervalMs = 50 } = {},
) {
  const traffic: Traffic = { sent: 0, failed: 0, failures: [], seconds: 0 };
  let stopped = false;
  let created: number | undefined;
  const started = performance.now();
  const next = (): [method: string, path: string, status: number, body?: unknown] => {
    switch (traffic.sent % 4) {
      case 0:
        return ['GET', '/api/readyz', 200];
      case 1:
        return ['POST', '/api/tasks', 201, { title: `traffic ${traffic.sent}` }];
      case 2:
        return ['GET', '/api/tasks', 200];
      default:
        return created === undefined
          ? ['GET', '/api/tasks', 200]
          : ['DELETE', `/api/tasks/${created}`, 204];
    }
  };
  const done = (async () => {
    while (!stopped && traffic.sent < maxRequests && performance.now() - started < maxMs) {
      const [method, path, status, body] = next();
      traffic.sent++;
      const at = ((performance.now() - started) / 1000).toFixed(2);
      const failure = (what: string) => {
        traffic.failed++;
        if (traffic.failures.length < 20)
          traffic.failures.push(`${at} s ${method} ${path}: ${what}`);
      };
      try {
        const answer = await call(method, path, { token, body, timeoutMs: 10_000 });
        if (answer.status !== status) failure(`HTTP ${answer.status} ${answer.text.slice(0, 160)}`);
        else if (method === 'POST') created = (answer.body as { id: number }).id;
        else if (method === 'DELETE') created = undefined;
      } catch (error) {
        failure((error as Error).message);
      }
      await sleep(intervalMs);
    }
    traffic.seconds = (performance.now() - started) / 1000;
    return traffic;
  })();
  return {
    stop: async () => {
      stopped = true;
      return done;
    },
  };
}

/** Runs `work` while a request stream (startTraffic) goes on, and returns both outcomes. */
export async function underTraffic<T>(
  call: AppCall,
  token: string,
  work: () => Promise<T>,
): Promise<{ value: T; traffic: Traffic }> {
  const stream = startTraffic(call, token);
  try {
    const value = await work();
    return { value, traffic: await stream.stop() };
  } finally {
    await stream.stop();
  }
}

export function describeTraffic(traffic: Traffic): string {
  return `${traffic.sent} requests in ${traffic.seconds.toFixed(1)} s, ${traffic.failed} failed${
    traffic.failures.length ? `:\n${traffic.failures.join('\n')}` : ''
  }`;
}
