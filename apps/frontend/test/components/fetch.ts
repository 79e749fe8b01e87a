import { vi } from 'vitest';

type Handler = (body: unknown) => { status?: number; body?: unknown };

/** Stubs fetch with answers keyed by "METHOD /path", and records what the page sent. */
export function stubApi(routes: Record<string, Handler>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetch = vi.fn(async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const path = input.split('?')[0] ?? input;
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path, body });
    const handler = routes[`${method} ${path}`];
    if (!handler) return Response.json({ error: 'not_found', message: 'no stub' }, { status: 404 });
    const answer = handler(body);
    const status = answer.status ?? 200;
    return status === 204 ? new Response(null, { status }) : Response.json(answer.body, { status });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}
