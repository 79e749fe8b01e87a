/** The browser's only way to the backend: same-origin /api, carrying the httpOnly session cookie. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The request never got an answer from the backend: offline, proxy 502/504, or a 503. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export interface FieldError {
  field: string;
  message: string;
}

/** Validation errors name their fields in details; other errors have none. */
export function fieldErrors(error: ApiError): FieldError[] {
  const { details } = error;
  if (Array.isArray(details)) {
    return details.filter(
      (d): d is FieldError => typeof d?.field === 'string' && typeof d?.message === 'string',
    );
  }
  const field = (details as { field?: unknown } | null)?.field;
  return typeof field === 'string' ? [{ field, message: error.message }] : [];
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function errorFrom(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: unknown;
    message?: unknown;
    details?: unknown;
  } | null;
  const code = typeof body?.error === 'string' ? body.error : `http_${response.status}`;
  const message =
    typeof body?.message === 'string'
      ? body.message
      : `The server answered ${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, code, message, body?.details ?? null);
}

export async function api<T>(path: string, method: Method = 'GET', body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server; check your connection');
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'unexpected', error instanceof Error ? error.message : String(error));
}
