/**
 * Bounded fuzzing from the API's own OpenAPI description: every documented operation, each of
 * its body fields, query parameters and path parameters given values of the wrong type, shape,
 * size and content, and whole bodies of the wrong kind. A client mistake is answered 4xx (or
 * accepted), never 5xx; U+0000 in any text is a 400 that names the field. New operations and
 * fields are covered as soon as they are documented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../support/app.ts';

type Schema = {
  type?: string;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
};
type Parameter = { in: 'query' | 'path'; name: string; schema?: Schema };
type Operation = {
  responses?: Record<string, unknown>;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

/** A value the schema accepts: the baseline each mutation departs from. */
function valid(schema: Schema | undefined, name = ''): unknown {
  if (!schema) return 'x';
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length) return valid(schema.anyOf[0], name);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, valid(value, key)]),
      );
    default:
      if (schema.format === 'email' || name === 'email') return 'fuzz@example.com';
      if (schema.format === 'date') return '2030-01-01';
      if (schema.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      return 'a fine value'.padEnd(Math.max(schema.minLength ?? 0, 12), 'x');
  }
}

const NUL = 'before\0after';
const FIELD_VALUES: unknown[] = [
  NUL,
  '',
  ' ',
  'x'.repeat(10_000),
  '\ud800 a lone surrogate',
  '🙂'.repeat(300),
  "'; DROP TABLE users; --",
  0,
  -1,
  1.5,
  1e308,
  2 ** 63,
  true,
  null,
  [],
  ['x'],
  {},
  { nested: { deeper: [1, 2, 3] } },
];
const PARAMETER_VALUES = [
  NUL,
  '',
  '-1',
  '0',
  '1.5',
  '1e308',
  '99999999999999999999',
  'abc',
  'x'.repeat(5_000),
  '[]',
];
const WHOLE_BODIES = ['[]', '"text"', '1', 'null', '{}', '{"a":'.repeat(200)];

describe('every documented operation, fuzzed', () => {
  let t: TestApp;
  let user: TestUser;
  let operations: { method: string; path: string; op: Operation }[];
  const answers: { op: Operation; request: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    user = await t.signUp();
    const doc = await t.request('GET', '/api/openapi.json');
    operations = Object.entries(doc.body.paths as Record<string, Record<string, Operation>>)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })))
      // Deleting the account last keeps every other operation authenticated.
      .sort(
        (a, b) =>
          Number(a.path === '/api/auth/me' && a.method === 'delete') -
          Number(b.path === '/api/auth/me' && b.method === 'delete'),
      );
    // Something for the path parameters to find.
    await t.request('POST', '/api/tasks', { token: user.token, body: { title: 'fuzz target' } });
    await t.request('POST', '/api/chat', { token: user.token, body: { message: 'hello' } });
  });
  afterAll(() => t?.close());

  async function send(
    op: Operation,
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; query?: Record<string, string> },
  ) {
    const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
    const res = await t.request(method.toUpperCase(), `${path}${query}`, {
      token: user.token,
      ...(options.body !== undefined && { body: options.body }),
      ...(options.rawBody !== undefined && { rawBody: options.rawBody }),
    });
    const request = `${method.toUpperCase()} ${path}${query}`;
    answers.push({ op, request: request.slice(0, 120), status: res.status, body: res.body });
    return res;
  }

  function baseline(op: Operation) {
    const params = op.parameters ?? [];
    const query = Object.fromEntries(
      params.filter((p) => p.in === 'query').map((p) => [p.name, String(valid(p.schema, p.name))]),
    );
    const schema = op.requestBody?.content?.['application/json']?.schema;
    return { params, query, schema, body: schema ? valid(schema) : undefined };
  }

  const fill = (path: string, values: Record<string, string>) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? '1'));

  it('covers the whole API description', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
    expect(operations.filter((o) => o.op.requestBody).length).toBeGreaterThanOrEqual(5);
  });

  it('answers U+0000 in any body field, query or path parameter with a 400 naming it', async () => {
    let probes = 0;
    for (const { method, path, op } of operations) {
      const { params, query, schema, body } = baseline(op);
      for (const field of Object.keys(schema?.properties ?? {})) {
        const res = await send(op, method, fill(path, {}), {
          body: { ...(body as object), [field]: NUL },
          query,
        });
        expect(res.status, `${method} ${path} body.${field}`).toBe(400);
        expect(res.body.message).toContain(`${field} must not contain the NUL character`);
        probes++;
      }
      for (const param of params) {
        const inQuery = param.in === 'query';
        const res = await send(op, method, fill(path, inQuery ? {} : { [param.name]: NUL }), {
          query: inQuery ? { ...query, [param.name]: NUL } : query,
          ...(body !== undefined && { body }),
        });
        expect(res.status, `${method} ${path} ${param.in} ${param.name}`).toBe(400);
        expect(res.body.details).toEqual([
          expect.objectContaining({ field: param.name, in: inQuery ? 'querystring' : 'params' }),
        ]);
        probes++;
      }
    }
    expect(probes).toBeGreaterThanOrEqual(25);
  });

  it('answers wrong types, shapes and sizes with 4xx or success, never 5xx', async () => {
    for (const { method, path, op } of operations) {
      const { params, query, schema, body } = baseline(op);
      for (const field of Object.keys(schema?.properties ?? {})) {
        for (const value of FIELD_VALUES) {
          await send(op, method, fill(path, {}), {
            body: { ...(body as object), [field]: value },
            query,
          });
        }
      }
      for (const param of params) {
        for (const value of PARAMETER_VALUES) {
          const inQuery = param.in === 'query';
          await send(op, method, fill(path, inQuery ? {} : { [param.name]: value }), {
            query: inQuery ? { ...query, [param.name]: value } : query,
            ...(body !== undefined && { body }),
          });
        }
      }
      if (schema) {
        for (const rawBody of WHOLE_BODIES)
          await send(op, method, fill(path, {}), { rawBody, query });
        await send(op, method, fill(path, {}), {
          body: { ...(body as object), unknownField: 1 },
          query,
        });
      }
    }
    // Every answer is one the operation documents (its description lists its errors too).
    const undocumented = answers
      .filter((answer) => !(String(answer.status) in (answer.op.responses ?? {})))
      .map((answer) => `${answer.status} for ${answer.request}`);
    expect([...new Set(undocumented)]).toEqual([]);
    const serverErrors = answers.filter((answer) => answer.status >= 500);
    expect(serverErrors, JSON.stringify(serverErrors.slice(0, 5), null, 2)).toEqual([]);
    expect(answers.length).toBeGreaterThan(300);
    // Every answer, success or not, in one of the API's shapes.
    for (const answer of answers.filter((a) => a.status >= 400)) {
      expect(
        Object.keys(answer.body as object).sort(),
        `${answer.status} ${JSON.stringify(answer.body)}`,
      ).toEqual(['details', 'error', 'message']);
    }
  });
});
