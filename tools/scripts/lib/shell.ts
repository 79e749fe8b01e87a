/**
 * zx, loaded on first use: the Nx runtime inputs of a no-change deploy (deploy-state.ts)
 * usually finish without spawning anything through it. The pipeline imports `zx/core` (the
 * `$` alone, 25 ms to load) rather than `zx`, whose bundled extras (globby, fs-extra, yaml...)
 * add 50 ms to the start of every step.
 */
import { execFile, spawn } from 'node:child_process';
import type { $ as Zx } from 'zx/core';

let loaded: Promise<Zx> | undefined;

export function shell(): Promise<Zx> {
  loaded ??= import('zx/core').then((zx) => zx.$);
  return loaded;
}

export type Exec = { exitCode: number; stdout: string; stderr: string };

/** Runs a program without a shell or zx, for the lookups on the no-change path. Never throws. */
export function exec(file: string, args: string[]): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ exitCode: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Runs a program in the workspace with this terminal (a command that hands over to another:
 * Nx, a deploy); resolves with its exit code, 1 when a signal ended it.
 */
export function runInherited(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<number> {
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: 'inherit' });
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
}
