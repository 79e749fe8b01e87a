/**
 * The smoke test's order of work, against a small HTTP server that answers like the app: the
 * checks of a stage go out together, a stage runs only after the one before passed, results
 * come in the listed order, and the throw-away user is deleted whatever happens.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  againAfterDrain,
  type CheckResult,
  runSmokeChecks,
  SmokeFailure,
} from '../../lib/smoke-checks.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const json = (response: ServerResponse, status: number, body?: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body === undefined ? undefined : JSON.stringify(body));
};

/** The app's answers, each overridable by "METHOD /path". */
function appAnswers(overrides: Record<string, Handler> = {}): Handler {
  const tasks: { id: number }[] = [];
  const routes: Record<string, Handler> = {
    'GET /': (_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html></html>');
    },
    'GET /api/readyz': (_, response) => json(response, 200, { status: 'ready' }),
    'POST /api/auth/signup': (_, response) => json(response, 201, { token: 't' }),
    'POST /api/tasks': (_, response) => {
      tasks.push({ id: tasks.length + 1 });
      json(response, 201, { id: tasks.length });
    },
    'GET /api/tasks': (_, response) => json(response, 200, { items: tasks }),
    'DELETE /api/tasks/1': (_, response) => json(response, 204),
    'POST /api/chat': (_, response) => json(response, 200, { reply: 'Added "buy milk".' }),
    'DELETE /api/auth/me': (_, response) => json(response, 204),
    ...overrides,
  };
  return (request, response) => {
    const route = routes[`${request.method} ${request.url}`];
    if (route) route(request, response);
    else json(response, 404, { error: 'not found' });
  };
}

let server: Server | undefined;
/** Every request as "METHOD /path", in arrival order. */
let seen: string[] = [];

async function serve(handler: Handler): Promise<string> {
  seen = [];
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    // Drain the body before answering, as a real server would.
    request.resume();
    request.on('end', () => handler(request, response));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  if (server) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('runSmokeChecks', () => {
  it('passes every check against a working app, reporting them in the listed order', async () => {
    const results = await runSmokeChecks(await serve(appAnswers()));
    expect(results.map((result) => [result.name, result.ok])).toEqual([
      ['frontend page', true],
      ['backend readiness through the proxy', true],
      ['sign-up', true],
      ['task create, list, delete', true],
      ['assistant round trip', true],
    ]);
    expect(seen.at(-1)).toBe('DELETE /api/auth/me');
  });

  it('sends the first stage together: no answer is needed before the sign-up goes out', async () => {
    const waiting: (() => void)[] = [];
    // The page and readiness answer only once the sign-up has arrived.
    const held: Handler = (request, response) => {
      waiting.push(() => appAnswers()(request, response));
    };
    const results = runSmokeChecks(
      await serve(
        appAnswers({
          'GET /': held,
          'GET /api/readyz': held,
          'POST /api/auth/signup': (request, response) => {
            for (const release of waiting.splice(0)) release();
            appAnswers()(request, response);
          },
        }),
      ),
    );
    expect((await results).every((result) => result.ok)).toBe(true);
  });

  it('stops after a failing stage, names its first failure and still deletes the user', async () => {
    const reported: string[] = [];
    const run = runSmokeChecks(
      await serve(
        appAnswers({ 'GET /api/readyz': (_, response) => json(response, 503, { ready: false }) }),
      ),
      (result) => reported.push(`${result.ok ? 'ok' : 'FAIL'} ${result.name}`),
    );
    await expect(run).rejects.toThrow(SmokeFailure);
    await expect(run).rejects.toThrow(/backend readiness through the proxy: expected HTTP 200/);
    expect(reported).toEqual([
      'ok frontend page',
      'FAIL backend readiness through the proxy',
      'ok sign-up',
    ]);
    expect(seen).not.toContain('POST /api/tasks');
    expect(seen).not.toContain('POST /api/chat');
    expect(seen.at(-1)).toBe('DELETE /api/auth/me');
  });

  it('cut short from outside (the way to the app stopped), ends with that instead of failures', async () => {
    const reported: string[] = [];
    const stopped = new Error('stopped by SIGTERM');
    const run = runSmokeChecks(
      await serve(appAnswers({ 'GET /': (request) => request.socket.destroy() })),
      (result) => reported.push(result.name),
      async () => stopped,
    );
    await expect(run).rejects.toBe(stopped);
    expect(reported).toEqual([]);
    // Asked only for a failing stage: a passing run never asks.
    let asked = 0;
    await runSmokeChecks(await serve(appAnswers()), undefined, async () => {
      asked++;
      return stopped;
    });
    expect(asked).toBe(0);
  });

  it('fails a later stage on its own check, after the first stage passed', async () => {
    const run = runSmokeChecks(
      await serve(appAnswers({ 'POST /api/chat': (_, response) => json(response, 200, {}) })),
    );
    await expect(run).rejects.toThrow('assistant round trip: the assistant gave no reply');
  });
});

describe('a failure while the previous revision drains', () => {
  const passed: CheckResult[] = [{ name: 'sign-up', ok: true, detail: 'signed up', ms: 1 }];
  const failOnce = () => {
    let calls = 0;
    return async () => {
      calls += 1;
      if (calls === 1) throw new SmokeFailure('assistant round trip', 'expected HTTP 200, got 401');
      return passed;
    };
  };

  it('is checked once more after those pods are gone, and the wait is reported', async () => {
    const waited: string[] = [];
    const outcome = await againAfterDrain(failOnce(), {
      draining: async () => '1 pod',
      untilDrained: async (what, check) => {
        waited.push(`${what}: ${check}`);
        return 4200;
      },
    });
    expect(outcome).toEqual({ results: passed, after: 4200 });
    expect(waited).toEqual(['1 pod: assistant round trip']);
  });

  it('stands when nothing drains, or when the second round fails too', async () => {
    const never = async () => {
      throw new Error('must not wait');
    };
    await expect(
      againAfterDrain(failOnce(), { draining: async () => undefined, untilDrained: never }),
    ).rejects.toThrow('got 401');
    const always = async (): Promise<CheckResult[]> => {
      throw new SmokeFailure('sign-up', 'expected HTTP 201, got 500');
    };
    await expect(
      againAfterDrain(always, { draining: async () => '2 pods', untilDrained: async () => 10 }),
    ).rejects.toThrow('got 500');
  });
});
