/** The benchmark's data, made through the public API like a client would (not measured). */
import { randomBytes, randomUUID } from 'node:crypto';

/** Signs up a new user with `tasks` tasks of mixed shapes; returns the user's token. */
export async function seedUser(url: string, tasks: number, signal: AbortSignal): Promise<string> {
  const email = `bench-${randomUUID()}@example.com`;
  const password = randomBytes(12).toString('hex');
  const { body } = await call<{ token: string }>(url, 'POST', '/api/auth/signup', 201, signal, {
    body: { email, password },
  });
  const priorities = ['low', 'medium', 'high'] as const;
  for (let i = 1; i <= tasks; i++) {
    await call(url, 'POST', '/api/tasks', 201, signal, {
      token: body.token,
      body: {
        title: `Benchmark seed task number ${i}`,
        priority: priorities[i % 3],
        ...(i % 2 === 0 && {
          description: 'A short description, as a typical task would have one.',
        }),
        ...(i % 4 !== 0 && { dueDate: `2030-${String((i % 12) + 1).padStart(2, '0')}-15` }),
      },
    });
  }
  return body.token;
}

/** Checks that a list page holds all `expected` tasks; returns the response's size in bytes. */
export async function verifyPage(
  url: string,
  path: string,
  token: string,
  expected: number,
  signal: AbortSignal,
): Promise<number> {
  const { body, bytes } = await call<{ items: unknown[]; total: number }>(
    url,
    'GET',
    path,
    200,
    signal,
    { token },
  );
  if (body.items.length !== expected || body.total !== expected) {
    throw new Error(
      `GET ${path} returned ${body.items.length} items (total ${body.total}), expected ${expected}`,
    );
  }
  return bytes;
}

async function call<T>(
  url: string,
  method: string,
  path: string,
  expectStatus: number,
  signal: AbortSignal,
  options: { token?: string; body?: unknown },
): Promise<{ body: T; bytes: number }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
  });
  const text = await res.text();
  if (res.status !== expectStatus) {
    throw new Error(
      `${method} ${path} answered ${res.status} (expected ${expectStatus}): ${text.slice(0, 500)}`,
    );
  }
  return { body: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
}
