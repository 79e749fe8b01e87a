import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiError, api, fieldErrors } from '../../src/lib/api';

function answer(status: number, body?: unknown, statusText = '') {
  const init = { status, statusText, headers: { 'content-type': 'application/json' } };
  return new Response(body === undefined ? null : JSON.stringify(body), init);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api', () => {
  test('sends JSON to same-origin /api with the session cookie and returns the parsed answer', async () => {
    const fetch = vi.fn(async () => answer(201, { id: 1 }));
    vi.stubGlobal('fetch', fetch);
    expect(await api('/tasks', 'POST', { title: 'buy milk' })).toEqual({ id: 1 });
    expect(fetch).toHaveBeenCalledWith('/api/tasks', {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"buy milk"}',
    });
  });

  test('sends no body and no content-type without a payload, and a 204 resolves to nothing', async () => {
    const fetch = vi.fn(async () => answer(204));
    vi.stubGlobal('fetch', fetch);
    expect(await api('/auth/logout', 'POST')).toBeUndefined();
    expect(fetch).toHaveBeenCalledWith(
      '/api/auth/logout',
      expect.objectContaining({ headers: undefined, body: undefined }),
    );
  });

  test('an error answer becomes an ApiError with the backend’s code, message and details', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(409, { error: 'email_taken', message: 'Log in instead', details: { field: 'email' } }),
    );
    const error = await api('/auth/signup', 'POST', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'email_taken', message: 'Log in instead' });
    expect((error as ApiError).unreachable).toBe(false);
  });

  test('an answer that is not JSON still gives a readable error', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>', { status: 500, statusText: 'Oops' }));
    await expect(api('/tasks')).rejects.toMatchObject({
      status: 500,
      code: 'http_500',
      message: 'The server answered 500 Oops',
    });
  });

  test.each([0, 502, 503, 504])('status %i counts as an unreachable backend', async (status) => {
    vi.stubGlobal('fetch', async () => {
      if (status === 0) throw new TypeError('Failed to fetch');
      return answer(status, { error: 'backend_unreachable', message: 'down', details: null });
    });
    const error = (await api('/tasks').catch((e: unknown) => e)) as ApiError;
    expect(error.unreachable).toBe(true);
  });
});

test('fieldErrors reads validation details and single-field details', () => {
  const validation = new ApiError(400, 'validation_error', 'Invalid body', [
    { field: 'password', in: 'body', message: 'must be at least 8 characters' },
    { nonsense: true },
  ]);
  expect(fieldErrors(validation)).toEqual([
    { field: 'password', in: 'body', message: 'must be at least 8 characters' },
  ]);
  const taken = new ApiError(409, 'email_taken', 'Log in instead', { field: 'email' });
  expect(fieldErrors(taken)).toEqual([{ field: 'email', message: 'Log in instead' }]);
  expect(fieldErrors(new ApiError(401, 'invalid_credentials', 'Wrong'))).toEqual([]);
});
