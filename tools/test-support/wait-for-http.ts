import pRetry, { AbortError } from 'p-retry';

export type WaitForHttpOptions = {
  /** How long to keep asking. */
  timeoutMs: number;
  /** The pause between two requests. */
  intervalMs: number;
  /** The error message when time runs out, given the last answer (`HTTP 503`) or error. */
  timeoutMessage: (last: string) => string;
  /** Asked before each request: a message stops the wait at once (the server's process exited). */
  stopped?: () => string | undefined;
};

/** Polls `url` until it answers 2xx, through p-retry at a fixed interval. */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<void> {
  let last = '';
  try {
    await pRetry(
      async () => {
        const reason = options.stopped?.();
        if (reason) throw new AbortError(reason);
        const response = await fetch(url).catch((error: unknown) => {
          last = String(error);
          throw error;
        });
        if (response.ok) return;
        last = `HTTP ${response.status}`;
        throw new Error(last);
      },
      {
        retries: Number.POSITIVE_INFINITY,
        factor: 1,
        minTimeout: options.intervalMs,
        maxTimeout: options.intervalMs,
        randomize: false,
        maxRetryTime: options.timeoutMs,
      },
    );
  } catch (error) {
    const reason = options.stopped?.();
    if (reason) throw new Error(reason);
    throw new Error(options.timeoutMessage(last), { cause: error });
  }
}
