/**
 * Step progress for the pipeline commands: one line when a step starts and one with its
 * duration when it ends, so a slow step is visible in CI logs without extra tooling.
 */

const ms = (since: number) => `${Math.round(performance.now() - since)} ms`;

/** Prints a line prefixed with the command's name, e.g. `[docker-build] skipped: ...`. */
export function info(scope: string, message: string): void {
  console.log(`[${scope}] ${message}`);
}

/** The exit code of a command's result that did not succeed (a zx `nothrow` run), if any. */
function failedExitCode(result: unknown): number | undefined {
  const code = (result as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' && code !== 0 ? code : undefined;
}

/**
 * Runs `work` between a start line and an end line that carries the step's duration, and
 * says `failed` when it throws or returns a command's result with a non-zero exit code.
 */
export async function step<T>(scope: string, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  info(scope, `${name}...`);
  try {
    const result = await work();
    const code = failedExitCode(result);
    info(
      scope,
      code === undefined
        ? `${name}: done in ${ms(started)}`
        : `${name}: failed (exit ${code}) after ${ms(started)}`,
    );
    return result;
  } catch (error) {
    info(scope, `${name}: failed after ${ms(started)}`);
    throw error;
  }
}

/** Human-readable size in decimal units, as `docker images` counts; kB below 0.1 MB. */
export function mb(bytes: number): string {
  if (bytes < 1e5) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
