/**
 * How every pipeline command ends: a UserError (bad input, missing tool, unreachable cluster)
 * is one line that says what to do, never a stack trace; anything else is a bug, reported with
 * its message and, only when DEBUG is set, its stack. An interruptible command (a deploy step)
 * stopped by a signal ends with its last word instead (see interrupt.ts).
 */
import {
  Interrupted,
  interruptedLastWord,
  interruption,
  STOP_MS,
  signalExitCode,
  stoppedFromOutside,
  watchInterrupts,
} from './interrupt.ts';

/** An expected failure whose message names the problem and the fix. */
export class UserError extends Error {}

/** A failed zx command, recognised by shape so that light commands need not load zx. */
function isProcessOutput(
  error: unknown,
): error is { exitCode: number | null; signal?: NodeJS.Signals | null; stderr: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'exitCode' in error &&
    typeof (error as { stderr?: unknown }).stderr === 'string'
  );
}

/** An error that says how a child process ended (zx's, or kubectl's through lib/kube.ts). */
function endedChild(
  error: unknown,
): error is { exitCode?: number | null; signal?: NodeJS.Signals | null; stderr?: string } {
  return typeof error === 'object' && error !== null && ('exitCode' in error || 'signal' in error);
}

let ending: Promise<never> | undefined;

/**
 * Says where things stand, also as the step's record (Nx shows nothing a task prints after a
 * Ctrl-C), and exits with the signal's code; once, whoever asks first.
 */
function endInterrupted(scope: string, task: string, signal: NodeJS.Signals): Promise<never> {
  ending ??= (async () => {
    const word = await interruptedLastWord();
    const line = `stopped by ${signal}${word ? `; ${word}` : ''}`;
    console.error(`[${scope}] ${line}`);
    const { writeStepRecord } = await import('./report.ts');
    await writeStepRecord({
      task,
      action: 'interrupted',
      reason: line,
      durationMs: performance.now(),
    }).catch(() => undefined);
    process.exit(signalExitCode(signal));
  })();
  return ending;
}

export async function runCommand(
  scope: string,
  main: () => Promise<void>,
  options: { interruptible?: { task: string } } = {},
): Promise<void> {
  const interruptible = options.interruptible;
  if (interruptible) {
    await watchInterrupts((signal) => {
      // A step that has not unwound by then ends anyway; its lock expires on its own.
      setTimeout(() => void endInterrupted(scope, interruptible.task, signal), STOP_MS).unref();
    });
  }
  try {
    await main();
  } catch (error) {
    const signal =
      error instanceof Interrupted
        ? error.signal
        : (interruption() ??
          (interruptible && endedChild(error) ? await stoppedFromOutside(error) : undefined));
    if (signal && interruptible) await endInterrupted(scope, interruptible.task, signal);
    if (error instanceof UserError) {
      console.error(`[${scope}] ${error.message}`);
    } else if (isProcessOutput(error)) {
      const detail = error.stderr.trim().split('\n').slice(-5).join('\n');
      console.error(`[${scope}] a command failed (exit ${error.exitCode}):\n${detail}`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`[${scope}] unexpected error: ${message}`);
      if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
      else console.error(`[${scope}] rerun with DEBUG=1 for details`);
    }
    process.exit(1);
  }
  const signal = interruption();
  if (signal && interruptible) await endInterrupted(scope, interruptible.task, signal);
}
