/**
 * What every run shares: the timestamped progress log, Ctrl-C, and the cleanup that stops
 * whatever the run started, on success, on failure and on interruption alike.
 */
import { formatDuration, messageOf } from './format.ts';

const startedAt = performance.now();
const interruption = new AbortController();

/** Aborted by the first SIGINT, SIGTERM or SIGHUP. */
export const interrupted = interruption.signal;

export function handleInterrupts(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted.aborted) {
        // The backend's exit hook (backend-process.ts) kills it; nothing else is waited for.
        console.error(`${signal} again: killing the backend and exiting without waiting`);
        process.exit(130);
      }
      console.error(`\n${signal} received: stopping and cleaning up (send again to force)`);
      interruption.abort(new Error(`interrupted by ${signal}`));
    });
  }
}

export const elapsedMs = (): number => performance.now() - startedAt;

export function log(message: string): void {
  console.log(`[${(elapsedMs() / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

/**
 * Logs a step and how long it took. Once the run is interrupted, a step neither starts nor
 * reports "done"; so a step that starts something must register its cleanup inside `fn`.
 */
export async function phase<T>(label: string, fn: () => Promise<T>): Promise<T> {
  interrupted.throwIfAborted();
  const start = performance.now();
  log(`${label} ...`);
  const result = await fn();
  interrupted.throwIfAborted();
  log(`${label}: done in ${formatDuration(performance.now() - start)}`);
  return result;
}

/** Undo steps, run last-in first-out; one that fails does not keep the others from running. */
export class Cleanups {
  readonly #steps: { label: string; run: () => Promise<void> }[] = [];

  add(label: string, run: () => Promise<void>): void {
    this.#steps.push({ label, run });
  }

  async run(): Promise<void> {
    for (const { label, run } of this.#steps.splice(0).reverse()) {
      const start = performance.now();
      try {
        await run();
        log(`cleanup: ${label} (${formatDuration(performance.now() - start)})`);
      } catch (error) {
        console.error(`cleanup: ${label} failed: ${messageOf(error)}`);
      }
    }
  }
}
