/**
 * Forwards same-origin /api/* calls to the backend. The backend's address is read at request
 * time, so one build serves every environment; everything else about the exchange (method,
 * body, cookies, status, set-cookie) passes through unchanged.
 */

export interface ProxyConfig {
  backendUrl: URL;
  timeoutMs: number;
  /** The largest request body forwarded; a larger one is answered 413 without being read. */
  bodyLimitBytes: number;
}

export const DEFAULT_BACKEND_URL = 'http://localhost:8000';
/** Longer than the backend's own assistant timeout (LLM_TIMEOUT_MS, 20 s by default). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * The backend's own limit (BODY_LIMIT in apps/backend/src/app.ts), and not a setting: a larger
 * body would reach a backend that answers 413 before reading it, which fetch reports as a
 * failed request (undici's UND_ERR_NOT_SUPPORTED), so the client would see a 502.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export class ProxyConfigError extends Error {}

export function readProxyConfig(env: Record<string, string | undefined>): ProxyConfig {
  const rawUrl = env.BACKEND_URL?.trim() || DEFAULT_BACKEND_URL;
  let backendUrl: URL;
  try {
    backendUrl = new URL(rawUrl);
  } catch {
    throw new ProxyConfigError(`BACKEND_URL is not a URL: ${rawUrl}`);
  }
  if (backendUrl.protocol !== 'http:' && backendUrl.protocol !== 'https:') {
    throw new ProxyConfigError(`BACKEND_URL must be http(s): ${rawUrl}`);
  }
  return {
    backendUrl,
    timeoutMs: positiveInteger(env, 'BACKEND_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
    bodyLimitBytes: BODY_LIMIT_BYTES,
  };
}

function positiveInteger(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
): number {
  const raw = env[name]?.trim();
  const value = raw ? Number(raw) : fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ProxyConfigError(`${name} must be a positive integer: ${raw}`);
  }
  return value;
}

/** Keeps a path prefix in BACKEND_URL, so the backend may itself sit behind a path. */
export function backendUrlFor(backendUrl: URL, requestUrl: URL): URL {
  const target = new URL(backendUrl);
  target.pathname = backendUrl.pathname.replace(/\/+$/, '') + requestUrl.pathname;
  target.search = requestUrl.search;
  return target;
}

// RFC 9110 §7.6.1: these describe one connection, not the message, so a proxy must not forward
// them, nor any header the Connection header names.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function isHopByHop(headers: Headers): (name: string) => boolean {
  const named = new Set(
    (headers.get('connection') ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  return (name) => HOP_BY_HOP.has(name) || named.has(name);
}

/**
 * Host names the backend, not the frontend; content-length is recomputed from the buffered
 * body. The x-forwarded-* headers pass through and tell the backend the real origin, and
 * X-Forwarded-For the client address this server vouches for (client-address.ts).
 */
export function headersForBackend(incoming: Headers): Headers {
  const skip = isHopByHop(incoming);
  const outgoing = new Headers();
  for (const [name, value] of incoming) {
    if (skip(name) || name === 'host' || name === 'content-length') continue;
    outgoing.append(name, value);
  }
  return outgoing;
}

/**
 * fetch() has already decoded the body, so the upstream encoding and length no longer describe
 * it. Set-Cookie is copied one value at a time: joined with commas it would no longer parse.
 */
export function headersForClient(upstream: Headers): Headers {
  const skip = isHopByHop(upstream);
  const outgoing = new Headers();
  for (const [name, value] of upstream) {
    if (skip(name) || name === 'set-cookie') continue;
    if (name === 'content-encoding' || name === 'content-length') continue;
    outgoing.append(name, value);
  }
  for (const cookie of upstream.getSetCookie()) outgoing.append('set-cookie', cookie);
  return outgoing;
}

/** The backend's own error shape, so that the UI handles proxy failures like any other error. */
export function errorResponse(status: number, error: string, message: string, details: unknown) {
  return Response.json({ error, message, details }, { status });
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** RFC 9110 §9.2.2: repeating these has the same effect as sending them once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** The peer closed or reset the connection (undici reports the former as UND_ERR_SOCKET). */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

class BodyTooLarge extends Error {}

/**
 * The request body, read chunk by chunk and given up as soon as it passes `limit` bytes, so a
 * client cannot make the server hold more than that (a declared length past it is refused
 * before reading anything). Buffered rather than streamed so an idempotent request can be
 * sent again after a connection reset.
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new BodyTooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Whole megabytes when it is a whole number of them, else bytes: "1 MB", "1500 bytes". */
function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export async function forward(
  request: Request,
  config: ProxyConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const target = backendUrlFor(config.backendUrl, new URL(request.url));
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let body: Uint8Array<ArrayBuffer> | undefined;
  try {
    body = hasBody ? await readBody(request, config.bodyLimitBytes) : undefined;
  } catch (error) {
    // The backend's answer to the same request, given without sending it any of the body.
    if (error instanceof BodyTooLarge) {
      return errorResponse(
        413,
        'payload_too_large',
        `The request body is larger than ${sizeText(config.bodyLimitBytes)}`,
        { limitBytes: config.bodyLimitBytes },
      );
    }
    // The client went away or broke off the upload: its mistake, never a 500.
    if (request.signal.aborted) return new Response(null, { status: 499 });
    return errorResponse(400, 'bad_request', 'The request body could not be read', null);
  }
  const timeout = AbortSignal.timeout(config.timeoutMs);

  const send = () =>
    fetchImpl(target, {
      method: request.method,
      headers: headersForBackend(request.headers),
      body: body?.byteLength ? body : undefined,
      redirect: 'manual',
      signal: AbortSignal.any([timeout, request.signal]),
    });

  let upstream: Response;
  try {
    upstream = await send().catch((error: unknown) => {
      // A kept-alive connection to a backend replica that is shutting down (a rolling update)
      // can be closed just as a request goes out on it. The request never reached the app, so
      // an idempotent one is sent once more, on a fresh connection, to a replica that is up.
      const retryable =
        IDEMPOTENT.has(request.method) &&
        RESET_CODES.has(causeCode(error) ?? '') &&
        !timeout.aborted;
      if (!retryable) throw error;
      return send();
    });
  } catch (error) {
    if (timeout.aborted) {
      console.error(
        `proxy: ${request.method} ${target.pathname} timed out after ${config.timeoutMs} ms`,
      );
      return errorResponse(
        504,
        'backend_timeout',
        `The backend did not answer within ${config.timeoutMs / 1000} s; try again`,
        { timeoutMs: config.timeoutMs },
      );
    }
    // Nobody is left to read an answer; 499 is what nginx logs for this.
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const code = causeCode(error);
    console.error(`proxy: ${request.method} ${target.pathname} failed: ${code ?? error}`);
    return errorResponse(
      502,
      'backend_unreachable',
      'The backend is unreachable right now; try again in a moment',
      { code: code ?? null },
    );
  }

  const nullBody = request.method === 'HEAD' || NULL_BODY_STATUSES.has(upstream.status);
  return new Response(nullBody ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: headersForClient(upstream.headers),
  });
}
