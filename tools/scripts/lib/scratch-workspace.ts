/**
 * A throw-away copy of the workspace for tests that edit sources and run Nx the way a developer
 * does (`nx run-many`, `nx affected`), without touching the real tree. It holds the files git
 * would see (tracked plus untracked-but-not-ignored, so uncommitted work is tested too) in a
 * fresh repository with one commit, and the real node_modules as hard links. The copy has an Nx
 * cache of its own (Nx keys it by workspace), so its first build of each app runs for real.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { $, type ProcessOutput } from 'zx/core';
import { LEDGER_FILE } from './runtime-ledger.ts';
import { STATE_SOCKET } from './state-server.ts';

export type ScratchWorkspace = {
  root: string;
  /** Runs a command in the copy with a clean Nx environment (no parent task's variables). */
  run: (command: string[], env?: Record<string, string>) => Promise<ProcessOutput>;
  /**
   * Starts a command like `run`, in a process group of its own, as a shell starts a job:
   * `process.kill(-pid, 'SIGINT')` then is the Ctrl-C of its terminal.
   */
  start: (command: string[], env?: Record<string, string>) => ChildProcess;
  /** Replaces `search` with `replacement` in a file of the copy; fails when it is absent. */
  edit: (path: string, search: string, replacement: string) => Promise<void>;
  /** Commits every change in the copy. */
  commit: (message: string) => Promise<void>;
  remove: () => Promise<void>;
};

/**
 * Environment for a nested Nx in the copy at `root`: a parent Nx task's NX_* variables would
 * point the child at the real workspace (NX_WORKSPACE_ROOT) or trip its recursion guard
 * (NX_INVOCATION_ROOT_PID), and its FORCE_COLOR would colour output that callers read. Nx copies
 * its 26 MB native binding into the system temp folder once per workspace path and never
 * removes it, so a copy's goes inside the copy, and goes with it.
 */
function cleanEnv(root: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('NX_') && !key.startsWith('LERNA_') && key !== 'FORCE_COLOR')
      env[key] = value;
  }
  return {
    ...env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_NATIVE_FILE_CACHE_DIRECTORY: join(root, '.nx', 'native-cache'),
    ...extra,
  };
}

/** The node_modules of a source workspace, hard-linked into a copy, without its state. */
async function linkPackages(source: string, root: string): Promise<void> {
  // Hard links: a copy in seconds, and unlike a symlink it keeps every package inside the
  // workspace root, which Turbopack insists on.
  const modules = [join(source, 'node_modules'), join(root, 'node_modules')];
  const linked = await $({ nothrow: true, quiet: true })`cp -al ${modules}`;
  if (linked.exitCode !== 0) await $({ quiet: true })`cp -a ${modules}`;
  // The state server's socket and the runtime ledger belong to the source workspace: a hard
  // link to the socket would reach the source's server.
  for (const state of [STATE_SOCKET, LEDGER_FILE]) await rm(join(root, state), { force: true });
}

async function setUser(root: string): Promise<void> {
  const git = (args: string[]) => $({ cwd: root, quiet: true })`git ${args}`;
  await git(['config', 'user.email', 'scratch@example.invalid']);
  await git(['config', 'user.name', 'scratch']);
}

export async function createScratchWorkspace(source: string): Promise<ScratchWorkspace> {
  const root = await mkdtemp(join(tmpdir(), 'todo-chatbot-scratch-'));
  const listed = await $({
    cwd: source,
    quiet: true,
  })`git ls-files -z --cached --others --exclude-standard`;
  const files = listed.stdout.split('\0').filter(Boolean);
  for (const file of files) {
    const from = join(source, file);
    const to = join(root, file);
    await mkdir(dirname(to), { recursive: true });
    // A tracked file deleted in the working tree is simply not copied.
    await cp(from, to, { force: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  await linkPackages(source, root);
  const git = (args: string[]) => $({ cwd: root, quiet: true })`git ${args}`;
  await git(['init', '--quiet', '--initial-branch=main']);
  await setUser(root);
  await git(['add', '--all']);
  await git(['commit', '--quiet', '--message', 'scratch base']);
  return scratchHandle(root);
}

/**
 * A `git clone` of a scratch workspace (its commits, not its uncommitted files or its dist/):
 * another machine's checkout of the same repository, with the same packages.
 */
export async function cloneScratchWorkspace(source: ScratchWorkspace): Promise<ScratchWorkspace> {
  const root = await mkdtemp(join(tmpdir(), 'todo-chatbot-clone-'));
  await $({ quiet: true })`git clone --quiet ${source.root} ${root}`;
  await linkPackages(source.root, root);
  await setUser(root);
  return scratchHandle(root);
}

function scratchHandle(root: string): ScratchWorkspace {
  const git = (args: string[]) => $({ cwd: root, quiet: true })`git ${args}`;
  return {
    root,
    run: (command, env = {}) =>
      $({ cwd: root, quiet: true, nothrow: true, env: cleanEnv(root, env) })`${command}`,
    start: ([file = '', ...args], env = {}) =>
      spawn(file, args, { cwd: root, env: cleanEnv(root, env), detached: true, stdio: 'pipe' }),
    edit: async (path, search, replacement) => {
      const file = join(root, path);
      const text = await readFile(file, 'utf8');
      if (!text.includes(search)) throw new Error(`${path} does not contain ${search}`);
      await writeFile(file, text.replace(search, replacement));
    },
    commit: async (message) => {
      await git(['add', '--all']);
      await git(['commit', '--quiet', '--message', message]);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
