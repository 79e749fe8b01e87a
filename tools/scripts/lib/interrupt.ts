/**
 * Ctrl-C, a closed terminal, a cancelled CI job. How the signal arrives differs: run directly,
 * Ctrl-C reaches the command and its children at once; under Nx, Nx stops a task's processes
 * leaf first (helm, docker, ctr before the command), with SIGTERM; `kill <pid>` reaches the
 * command alone. A deploy step (see runCommand's `interruptible`) handles all three the same
 * way. The first SIGINT, SIGTERM or SIGHUP stops every child it started through zx with
 * SIGTERM, descendants included (Helm answers by marking its revision failed, never leaving
 * it pending), and lets the step unwind on its own path: the child it waits for fails,
 * `interruption()` tells it why, its `finally` blocks run (the deploy lock is released), and
 * it ends with its last word, where things stand read from the cluster, and the signal's exit
 * code. A second signal, or a step still running after STOP_MS, ends it at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long a step may take to unwind after the signal. */
export const STOP_MS = 15_000;

const children = new Set<ChildProcess>();
let received: NodeJS.Signals | undefined;
let stopping: Promise<unknown> = Promise.resolve();
let lastWord: (() => Promise<string>) | undefined;

/** The spawn zx runs commands with, once watched: it remembers each child until it exits. */
const trackedSpawn = ((...args: Parameters<typeof spawn>) => {
  const child = spawn(...args);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}) as typeof spawn;

/** The signal that interrupted this process, once one did. */
export const interruption = (): NodeJS.Signals | undefined => received;

const aborter = new AbortController();
/**
 * Aborted at the first signal: for work in this process that no child's end would stop, such
 * as a request to an app that does not answer.
 */
export const interruptSignal: AbortSignal = aborter.signal;

/** Thrown where a step notices the interruption itself (a wait it would otherwise go on with). */
export class Interrupted extends Error {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`stopped by ${signal}`);
    this.signal = signal;
  }
}

/** Throws Interrupted once a signal came. */
export function stopIfInterrupted(): void {
  if (received) throw new Interrupted(received);
}

/** How long a step waits for its own signal after a child was stopped from outside. */
const PARENT_SIGNAL_MS = 2_000;

/** Pure: the signal a shell's exit code reports (143: its command ended by SIGTERM), if any. */
export function signalOfExitCode(code: number | null | undefined): NodeJS.Signals | undefined {
  return SIGNALS.find((signal) => code === signalExitCode(signal));
}

/**
 * The signal that stopped the step, when a child it waited for failed because it was stopped
 * from outside: killed by a signal (or a shell whose command was), or saying so itself
 * (`cancelled`: Helm's "context canceled"). Under Nx the child is stopped before the step,
 * whose own signal follows a moment later and is waited for; a child stopped alone counts as
 * a SIGTERM. Undefined: a real failure.
 */
export async function stoppedFromOutside(
  child: { exitCode?: number | null; signal?: NodeJS.Signals | null; stderr?: string },
  cancelled?: RegExp,
): Promise<NodeJS.Signals | undefined> {
  if (received) return received;
  const stopped =
    child.signal ??
    signalOfExitCode(child.exitCode) ??
    (cancelled?.test(child.stderr ?? '') ? 'SIGTERM' : undefined);
  if (!stopped) return undefined;
  const deadline = Date.now() + PARENT_SIGNAL_MS;
  while (!received && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 50));
  return received ?? stopped;
}

/** Pure: the shell's exit code for a process ended by `signal` (130 for SIGINT). */
export const signalExitCode = (signal: NodeJS.Signals): number =>
  128 + (constants.signals[signal] ?? 15);

/**
 * What the step says last when interrupted, asked then and read from where things stand: what
 * the image build left, or the release's standing on the cluster.
 */
export function onInterruptSay(word: () => Promise<string>): void {
  lastWord = word;
}

/**
 * The step's last word, or undefined when it registered none or could not tell; asked once
 * the children are stopped, so that it reads what they left.
 */
export async function interruptedLastWord(): Promise<string | undefined> {
  await stopping;
  return lastWord?.().catch((error: Error) => `could not read the state: ${error.message}`);
}

/**
 * Starts handling the signals for this process; `onSignal` runs once, at the first. The
 * commands zx runs from now on are the children stopped then.
 */
export async function watchInterrupts(onSignal: (signal: NodeJS.Signals) => void): Promise<void> {
  const zx = await import('zx/core');
  zx.$.spawn = trackedSpawn;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (received) process.exit(signalExitCode(received));
      received = signal;
      aborter.abort(new Interrupted(signal));
      stopping = Promise.all(
        [...children].map((child) => child.pid && zx.kill(child.pid, 'SIGTERM').catch(() => {})),
      );
      onSignal(signal);
    });
  }
}
