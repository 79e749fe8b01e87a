/**
 * The one shape of every wait in the pipeline and its tests: ask until the answer is there, at
 * a fixed interval, up to a deadline, ending early when the thing waited for can no longer
 * come (a process exited) or the caller gave up (an AbortSignal). Built on p-retry with a
 * fixed interval (factor 1, no jitter).
 */
import pRetry, { AbortError } from 'p-retry';
import { UserError } from './command.ts';

export type PollOptions = {
  /** How long to keep asking. */
  timeoutMs: number;
  /** The pause between two attempts. */
  intervalMs: number;
  /** The error message when time runs out, given the last attempt's error ('' if none threw). */
  timeoutMessage: (last: string) => string;
  /** Asked before each attempt: a message ends the wait at once, as the error's message. */
  stopped?: () => string | undefined;
  signal?: AbortSignal;
};

/**
 * Thrown when the wait ended without the answer: its time ran out, or `stopped` said why. A
 * UserError: its message is the whole story (what was waited for, how long, what to do).
 */
export class PollError extends UserError {}

class NotYet extends Error {}

/**
 * The first value `attempt` gives that is not undefined. An attempt that throws counts as "not
 * yet" (the server is not listening yet), and its message is passed to `timeoutMessage`.
 */
export async function poll<T>(
  attempt: () => Promise<T | undefined> | T | undefined,
  options: PollOptions,
): Promise<T> {
  let last = '';
  try {
    return await pRetry(
      async () => {
        const reason = options.stopped?.();
        if (reason) throw new AbortError(reason);
        let value: T | undefined;
        try {
          value = await attempt();
        } catch (error) {
          last = error instanceof Error ? error.message : String(error);
          throw error instanceof Error ? error : new Error(last);
        }
        if (value === undefined) throw new NotYet();
        return value;
      },
      {
        retries: Number.POSITIVE_INFINITY,
        factor: 1,
        minTimeout: options.intervalMs,
        maxTimeout: options.intervalMs,
        randomize: false,
        maxRetryTime: options.timeoutMs,
        signal: options.signal,
      },
    );
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    const reason = options.stopped?.();
    if (reason) throw new PollError(reason, { cause: error });
    throw new PollError(options.timeoutMessage(last), { cause: error });
  }
}
