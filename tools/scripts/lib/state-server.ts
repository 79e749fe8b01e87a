/**
 * The resident state server behind the Nx runtime inputs (deploy-state.ts, served by
 * deploy-state-server.ts). Each runtime input is a Node start that loads the pipeline's
 * modules, parses the kubeconfig and opens a TLS connection: about a quarter of a second here,
 * three levels deep on the critical path of every deploy, for a question a warm process
 * answers in a few milliseconds.
 *
 * A server answers exactly what the input would compute in its own process: it is one per
 * workspace, code and environment (its socket is named by their digest, so a client of edited
 * code or another setting never reaches it), and it computes every answer afresh (it keeps
 * loaded modules and open connections, never an answer). This module is what the client
 * loads on every input, so it uses Node's built-ins only.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long a server waits for its next question before it exits. */
export const IDLE_EXIT_MS = 10 * 60_000;
/** A server that has not answered in this long is treated as absent (the input runs itself). */
const ANSWER_TIMEOUT_MS = 30_000;

export const STATE_SERVER_MODES = ['auto', 'on', 'off'] as const;

/** Variables that differ between two runs of one command without changing any answer. */
const VOLATILE = /^(NX_|npm_|LERNA_)|^(_|OLDPWD|PWD|SHLVL)$/;

const truthy = (value: string | undefined) =>
  value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * Pure: whether runtime inputs use a resident server. `auto` follows Nx's own rule for its
 * daemon: none in CI or with NX_DAEMON=false (a CI job leaves no process behind). A value
 * other than the three modes means off here; the deploy steps' settings name the mistake.
 */
export function stateServerWanted(env: NodeJS.ProcessEnv, platform = process.platform): boolean {
  // Named pipes are open to other users by default: Windows computes every input itself.
  if (platform === 'win32') return false;
  const mode = env.DEPLOY_STATE_SERVER ?? 'auto';
  if (mode === 'on') return true;
  if (mode !== 'auto') return false;
  return !truthy(env.CI) && env.NX_DAEMON !== 'false';
}

/** Pure: the environment as far as it can change an answer, in a stable order. */
export function answeringEnvironment(env: NodeJS.ProcessEnv): [string, string][] {
  return Object.entries(env)
    .filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !VOLATILE.test(entry[0]),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The pipeline's code a server runs: its scripts, its installed packages and Node itself. */
export function codeDigest(scriptsDir: string, workspaceRoot: string): string {
  const hash = createHash('sha256').update(`${process.execPath}\0${process.version}\0`);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'test', 'test-results'].includes(entry.name)) walk(path);
      } else if (entry.name.endsWith('.ts')) {
        hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
      }
    }
  };
  walk(scriptsDir);
  // npm rewrites this file on every install, so a changed dependency is a changed digest.
  try {
    hash.update(readFileSync(join(workspaceRoot, 'node_modules', '.package-lock.json')));
  } catch {
    hash.update('no lock');
  }
  return hash.digest('hex');
}

/**
 * A directory only this user can use: a socket another user could create would let them
 * answer "unchanged" for a cluster that is not. Undefined when it cannot be made so.
 */
function privateDir(env: NodeJS.ProcessEnv): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = env.XDG_RUNTIME_DIR || join(tmpdir(), `todo-chatbot-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The socket of the server for this workspace, code and environment (undefined: none). */
export function stateServerSocket(
  env: NodeJS.ProcessEnv,
  workspaceRoot: string,
  scriptsDir: string,
): string | undefined {
  if (!stateServerWanted(env)) return undefined;
  const dir = privateDir(env);
  if (!dir) return undefined;
  const digest = createHash('sha256')
    .update(workspaceRoot)
    .update('\0')
    .update(codeDigest(scriptsDir, workspaceRoot))
    .update(JSON.stringify(answeringEnvironment(env)))
    .digest('hex');
  // Socket paths are limited to ~100 bytes: a short name in a short directory.
  return join(dir, `deploy-state-${digest.slice(0, 20)}.sock`);
}

/** The server's answer to one runtime input, or undefined when no server answers. */
export function askStateServer(socket: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    let answer = '';
    const connection = connect(socket);
    const give = (value: string | undefined) => {
      connection.destroy();
      resolve(value);
    };
    connection.setEncoding('utf8');
    connection.setTimeout(ANSWER_TIMEOUT_MS, () => give(undefined));
    connection.on('connect', () => connection.end(`${JSON.stringify(args)}\n`));
    connection.on('data', (chunk: string) => {
      answer += chunk;
    });
    connection.on('end', () => give(answer.endsWith('\n') ? answer.slice(0, -1) : undefined));
    connection.on('error', () => give(undefined));
  });
}

/** Starts a server for next time, detached: this input's process exits without waiting. */
export function startStateServer(serverScript: string, socket: string, cwd: string): void {
  spawn(process.execPath, [serverScript, socket], {
    cwd,
    detached: true,
    stdio: 'ignore',
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_'))),
  }).unref();
}
