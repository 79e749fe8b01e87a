/**
 * Starts the node's components as detached background processes that outlive the
 * cluster-up command, each writing to its own log file, and finds or stops them later
 * through pid files. A pid counts only while /proc/<pid>/cmdline still shows the same
 * program, so a recycled pid is never mistaken for a component.
 */

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { poll } from '@todo/scripts/lib/poll.ts';
import { paths } from './config.ts';

export type Component = {
  name: string;
  command: string;
  args: string[];
  /**
   * Digest of what the process read at start beyond its arguments (config files,
   * certificates); a running process with a different one is restarted.
   */
  inputs?: string;
};

export function logFile(name: string): string {
  return join(paths.logs, `${name}.log`);
}

function pidFile(name: string): string {
  return join(paths.pids, `${name}.pid`);
}

function specFile(name: string): string {
  return join(paths.pids, `${name}.spec`);
}

/** What a component was started with; a running process with another spec is outdated. */
export function componentSpec(component: Component): string {
  return JSON.stringify([component.command, component.args, component.inputs ?? '']);
}

/**
 * Whether a process' NUL-separated cmdline runs the program of `command`. The file name
 * decides, not the path: a component started from binaries of another version or another
 * cache folder (CLUSTER_CACHE_DIR, HOME) is still that component, and must be found to be
 * stopped or restarted (else its ports stay taken).
 */
export function isSameProgram(cmdline: string, command: string): boolean {
  const program = cmdline.split('\0')[0] ?? '';
  return program !== '' && basename(program) === basename(command);
}

/** The pid of the component's process when it is alive, else undefined. */
export function runningPid(component: Component): number | undefined {
  const file = pidFile(component.name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return isSameProgram(cmdline, component.command) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export type StartResult = { pid: number; started: boolean };

/**
 * Starts the component unless it already runs with the same spec; one running with an
 * outdated spec (new flags, reissued certificates) is restarted.
 */
export async function startComponent(component: Component): Promise<StartResult> {
  const running = runningPid(component);
  const recorded = existsSync(specFile(component.name))
    ? readFileSync(specFile(component.name), 'utf8')
    : undefined;
  if (running && recorded === componentSpec(component)) return { pid: running, started: false };
  if (running) await stopComponent(component);
  await mkdir(paths.logs, { recursive: true });
  await mkdir(paths.pids, { recursive: true });
  // Appending keeps the log of an earlier crash; the banner separates the runs.
  const log = openSync(logFile(component.name), 'a');
  writeSync(
    log,
    `\n=== ${new Date().toISOString()} ${component.command} ${component.args.join(' ')}\n`,
  );
  const child = spawn(component.command, component.args, {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', reject);
  });
  child.unref();
  await writeFile(pidFile(component.name), `${pid}\n`);
  await writeFile(specFile(component.name), componentSpec(component));
  return { pid, started: true };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopComponent(component: Component, graceMs = 10_000): Promise<boolean> {
  const pid = runningPid(component);
  const gone = () => (runningPid(component) ? undefined : true);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    const stopped = await poll(gone, {
      timeoutMs: graceMs,
      intervalMs: 200,
      timeoutMessage: () => 'still running',
    }).catch(() => false);
    if (!stopped) {
      process.kill(pid, 'SIGKILL');
      await poll(gone, {
        timeoutMs: 10_000,
        intervalMs: 100,
        timeoutMessage: () => `${component.name} (pid ${pid}) still runs 10 s after SIGKILL`,
      });
    }
  }
  await rm(pidFile(component.name), { force: true });
  await rm(specFile(component.name), { force: true });
  return pid !== undefined;
}

/** The last `lines` lines of a component's log, for error reports. */
export async function logTail(name: string, lines = 40): Promise<string> {
  const text = await readFile(logFile(name), 'utf8').catch(() => '(no log)');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
