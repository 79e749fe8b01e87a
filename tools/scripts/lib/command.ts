/**
 * How every pipeline command ends: a UserError (bad input, missing tool, unreachable cluster)
 * is one line that says what to do, never a stack trace; anything else is a bug, reported with
 * its message and, only when DEBUG is set, its stack.
 */

/** An expected failure whose message names the problem and the fix. */
export class UserError extends Error {}

/** A failed zx command, recognised by shape so that light commands need not load zx. */
function isProcessOutput(error: unknown): error is { exitCode: number | null; stderr: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'exitCode' in error &&
    typeof (error as { stderr?: unknown }).stderr === 'string'
  );
}

export async function runCommand(scope: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
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
}
