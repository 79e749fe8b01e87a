/**
 * The smoke test's checks, against any base URL that serves the frontend (a port-forward in
 * the pipeline, local servers in the tests). A throw-away user exercises the whole path
 * (frontend, its /api proxy, backend, database, assistant) and is deleted afterwards, so
 * repeated runs leave nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { interruptSignal } from './interrupt.ts';

export type CheckResult = { name: string; ok: boolean; detail: string; ms: number };

export class SmokeFailure extends Error {
  readonly check: string;
  constructor(check: string, detail: string) {
    super(`${check}: ${detail}`);
    this.check = check;
  }
}

export type ApiAnswer = { status: number; body: unknown; text: string; headers: Headers };

/**
 * One JSON call to the app through `baseUrl`, with a bearer token when given. A signal to this
 * process (Ctrl-C) ends it at once, unless `interruptible` is false.
 */
export async function apiCall(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number; interruptible?: boolean } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.any([
      AbortSignal.timeout(options.timeoutMs ?? 15_000),
      ...(options.interruptible === false ? [] : [interruptSignal]),
    ]),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, headers: response.headers };
}

function expectStatus(check: string, result: ApiAnswer, status: number): void {
  if (result.status !== status) {
    throw new SmokeFailure(
      check,
      `expected HTTP ${status}, got ${result.status}: ${result.text.slice(0, 200)}`,
    );
  }
}

type Check = { name: string; work: () => Promise<string> };

/**
 * Runs the checks in stages: the checks of a stage at once (each is a round trip, and the
 * sign-up's password hash alone takes most of a second), a stage only when the one before
 * passed, since its checks need what that one proved. Results are reported in the order the
 * checks are listed, and a failing stage throws the first failure in that order.
 */
export async function runSmokeChecks(
  baseUrl: string,
  onResult: (result: CheckResult) => void = () => {},
  /**
   * Asked before a failing stage reports: the error to end with instead, when the checks were
   * cut short from outside (the way to the app was stopped) rather than failed.
   */
  cutShort: () => Promise<Error | undefined> = async () => undefined,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const stage = async (...checks: Check[]) => {
    const settled = await Promise.all(
      checks.map(async ({ name, work }) => {
        const started = performance.now();
        try {
          const detail = await work();
          return { result: { name, ok: true, detail, ms: performance.now() - started } };
        } catch (error) {
          const failure =
            error instanceof SmokeFailure
              ? error
              : new SmokeFailure(name, (error as Error).message);
          const ms = performance.now() - started;
          return { result: { name, ok: false, detail: failure.message, ms }, failure };
        }
      }),
    );
    const failed = settled.find(({ failure }) => failure);
    // Checks cut short by Ctrl-C did not fail: the step ends with its last word instead.
    interruptSignal.throwIfAborted();
    const instead = failed && (await cutShort());
    if (instead) throw instead;
    for (const { result } of settled) {
      results.push(result);
      onResult(result);
    }
    if (failed?.failure) throw failed.failure;
  };

  const email = `smoke-${randomBytes(6).toString('hex')}@example.invalid`;
  const password = randomBytes(18).toString('base64url');
  let token: string | undefined;
  try {
    await stage(
      {
        name: 'frontend page',
        work: async () => {
          const page = await apiCall(baseUrl, 'GET', '/');
          expectStatus('frontend page', page, 200);
          if (!page.headers.get('content-type')?.includes('text/html'))
            throw new SmokeFailure('frontend page', 'GET / did not answer HTML');
          return 'GET / answers HTML';
        },
      },
      {
        name: 'backend readiness through the proxy',
        work: async () => {
          const ready = await apiCall(baseUrl, 'GET', '/api/readyz');
          expectStatus('backend readiness through the proxy', ready, 200);
          return 'GET /api/readyz answers ready';
        },
      },
      {
        name: 'sign-up',
        work: async () => {
          const signup = await apiCall(baseUrl, 'POST', '/api/auth/signup', {
            body: { email, password, name: 'Smoke test' },
          });
          expectStatus('sign-up', signup, 201);
          token = (signup.body as { token?: string }).token;
          if (!token) throw new SmokeFailure('sign-up', 'no session token in the answer');
          return `signed up ${email}`;
        },
      },
    );
    await stage(
      {
        name: 'task create, list, delete',
        work: async () => {
          const created = await apiCall(baseUrl, 'POST', '/api/tasks', {
            token,
            body: { title: 'smoke test task' },
          });
          expectStatus('task create', created, 201);
          const id = (created.body as { id: number }).id;
          const list = await apiCall(baseUrl, 'GET', '/api/tasks', { token });
          expectStatus('task list', list, 200);
          const items = (list.body as { items?: { id: number }[] }).items ?? [];
          if (!items.some((task) => task.id === id))
            throw new SmokeFailure('task list', `task ${id} is missing from the list`);
          expectStatus(
            'task delete',
            await apiCall(baseUrl, 'DELETE', `/api/tasks/${id}`, { token }),
            204,
          );
          return `task ${id} created, listed and deleted`;
        },
      },
      {
        name: 'assistant round trip',
        work: async () => {
          const chat = await apiCall(baseUrl, 'POST', '/api/chat', {
            token,
            body: { message: 'add buy milk' },
          });
          expectStatus('assistant round trip', chat, 200);
          const reply = (chat.body as { reply?: string }).reply;
          if (!reply) throw new SmokeFailure('assistant round trip', 'the assistant gave no reply');
          return `assistant replied (${reply.length} characters)`;
        },
      },
    );
  } finally {
    if (token) {
      // Also after a Ctrl-C: the throw-away user is not left behind.
      const removed = await apiCall(baseUrl, 'DELETE', '/api/auth/me', {
        token,
        timeoutMs: 5_000,
        interruptible: false,
      }).catch(() => undefined);
      if (removed?.status !== 204)
        console.error(`[smoke-test] could not delete the throw-away user ${email}`);
    }
  }
  return results;
}

/**
 * Right after a rollout, pods of the previous revision drain for a few seconds and still answer
 * on connections opened before (the frontend's proxy keeps them alive), with the previous
 * configuration: a session the new backend signed with a rotated JWT_SECRET is refused by the
 * old one. Only the new revision counts, so a failure while pods of the release are being
 * deleted is checked once more after they are gone; any other failure stands.
 * `after`: milliseconds waited for the drain, 0 when the first round passed.
 */
export async function againAfterDrain(
  check: () => Promise<CheckResult[]>,
  drain: {
    draining: () => Promise<string | undefined>;
    untilDrained: (what: string, check: string) => Promise<number>;
  },
): Promise<{ results: CheckResult[]; after: number }> {
  try {
    return { results: await check(), after: 0 };
  } catch (error) {
    const what = error instanceof SmokeFailure ? await drain.draining() : undefined;
    if (!what || !(error instanceof SmokeFailure)) throw error;
    const after = await drain.untilDrained(what, error.check);
    return { results: await check(), after };
  }
}
