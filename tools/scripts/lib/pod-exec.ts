/**
 * A command's output from inside a pod, read whole. `kubectl exec` can lose the end of a
 * command's output and still exit 0 (kubernetes/kubernetes#124571; over WebSocket it logs
 * "Unknown stream id 1, discarding message" for the stdout it drops), so the command runs
 * under sh, which prints an end marker with the command's exit code once it is done. An
 * answer without the marker was cut short: the command, which must be safe to repeat, runs
 * again.
 */

const END = '__pod_exec_end__';

export type PodExecResult = { output: string; exitCode: number };

/** `command` wrapped so that sh prints the end marker and the exit code after it. */
export function markedCommand(command: string[]): string[] {
  return ['sh', '-c', `"$@"; code=$?; echo; echo ${END} $code`, 'sh', ...command];
}

/** The command's output and exit code, or undefined when the marker never arrived. */
export function readMarked(stdout: string): PodExecResult | undefined {
  const match = new RegExp(`\\n${END} (\\d+)\\n?$`).exec(stdout);
  if (!match) return undefined;
  return { output: stdout.slice(0, match.index), exitCode: Number(match[1]) };
}

/**
 * Runs `command` through `exec` (which runs its argument in the pod, `kubectl exec <pod> --
 * ...argv`, and returns stdout) until its whole output arrives, at most `attempts` times.
 */
export async function execWhole(
  exec: (argv: string[]) => Promise<string>,
  command: string[],
  attempts = 3,
): Promise<PodExecResult> {
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const result = readMarked(await exec(markedCommand(command)));
    if (result) return result;
  }
  throw new Error(
    `kubectl exec lost the end of the output of \`${command.join(' ')}\` ${attempts} times in a row`,
  );
}
