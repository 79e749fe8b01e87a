/**
 * Runs Nx in a workspace copy and reads back which tasks actually ran: Nx marks a task it
 * replayed from its cache with `[local cache]` (or `[existing outputs match the cache...]`).
 */
import { stripVTControlCharacters } from 'node:util';
import type { ScratchWorkspace } from './scratch-workspace.ts';

export type NxRun = {
  exitCode: number;
  output: string;
  seconds: number;
  /** `project:target` of every task that executed (not replayed from the cache). */
  executed: string[];
  /** `project:target` of every task Nx replayed from its cache. */
  cached: string[];
};

const TASK_LINE = /^> nx run ([\w-]+:[\w-]+)(?:\s+\[([^\]]+)\])?/gm;

/** Pure: the executed and cached tasks named in Nx's stream output. */
export function tasksOf(output: string): { executed: string[]; cached: string[] } {
  const executed: string[] = [];
  const cached: string[] = [];
  for (const match of stripVTControlCharacters(output).matchAll(TASK_LINE)) {
    const [, task = '', note] = match;
    (note?.includes('cache') ? cached : executed).push(task);
  }
  return { executed, cached };
}

export async function nx(
  workspace: ScratchWorkspace,
  args: string[],
  env: Record<string, string>,
): Promise<NxRun> {
  const started = performance.now();
  const result = await workspace.run(['npx', 'nx', ...args, '--outputStyle=stream'], env);
  const output = stripVTControlCharacters(result.stdout + result.stderr);
  const tasks = tasksOf(output);
  // A run that did something but names no task means Nx changed its output format: fail
  // loudly rather than let "no task executed" pass for the right answer.
  if (result.exitCode === 0 && !tasks.executed.length && !tasks.cached.length) {
    throw new Error(
      `no task lines found in the output of nx ${args.join(' ')}:\n${output.slice(-2000)}`,
    );
  }
  return {
    exitCode: result.exitCode ?? 1,
    output,
    seconds: (performance.now() - started) / 1000,
    ...tasks,
  };
}
