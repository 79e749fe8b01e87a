/**
 * Runs Nx in a workspace copy and reads back which tasks actually ran: Nx marks a task it
 * replayed from its cache with `[local cache]` (or `[existing outputs match the cache...]`),
 * in its stream output (`> nx run ...`) and in its default one (`✔  nx run ...`).
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
  /** The output without the logs Nx replayed from its cache: what this run's tasks printed. */
  fresh: string;
};

const TASK_LINE = /^\s*[>✔✖]\s+nx run ([\w-]+:[\w-]+)(?:\s+\[([^\]]+)\])?/gm;

/** Pure: the executed and cached tasks named in Nx's output, each once. */
export function tasksOf(output: string): { executed: string[]; cached: string[] } {
  const seen = new Map<string, boolean>();
  for (const match of stripVTControlCharacters(output).matchAll(TASK_LINE)) {
    const [, task = '', note] = match;
    // The default output names a task in its list and again above the task's own output.
    seen.set(task, (seen.get(task) ?? false) || Boolean(note?.includes('cache')));
  }
  const tasks = [...seen];
  return {
    executed: tasks.filter(([, cached]) => !cached).map(([task]) => task),
    cached: tasks.filter(([, cached]) => cached).map(([task]) => task),
  };
}

const STREAM_HEADER = /^\s*>\s+nx run [\w-]+:[\w-]+(?:\s+\[([^\]]+)\])?/;

/**
 * Pure: the stream output without the logs of replayed tasks. A replay is printed whole under
 * its header; what a running task prints meanwhile carries its project's prefix (`backend: `).
 */
export function freshOutput(output: string): string {
  let replay = false;
  const kept: string[] = [];
  for (const line of stripVTControlCharacters(output).split('\n')) {
    const header = STREAM_HEADER.exec(line);
    if (header) replay = Boolean(header[1]?.includes('cache'));
    else if (/^\s*NX\s/.test(line)) replay = false;
    if (!replay || /^[\w-]+: /.test(line)) kept.push(line);
  }
  return kept.join('\n');
}

/**
 * `stream` shows every task's output as it runs (what a test reads a step's message from);
 * `default` is the command exactly as a developer types it (what a benchmark times: the stream
 * output replays every cached task's log, 0.2 s of a no-change deploy).
 */
export async function nx(
  workspace: ScratchWorkspace,
  args: string[],
  env: Record<string, string>,
  style: 'stream' | 'default' = 'stream',
): Promise<NxRun> {
  const started = performance.now();
  const flags = style === 'stream' ? ['--outputStyle=stream'] : [];
  const result = await workspace.run(['npx', 'nx', ...args, ...flags], env);
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
    fresh: freshOutput(output),
  };
}
