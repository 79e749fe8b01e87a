/**
 * The resident state server behind the Nx runtime inputs (deploy-state.ts, served by
 * deploy-state-server.ts). Each runtime input is a process on the critical path of every
 * deploy, three levels deep: computed in its own Node process it loads the pipeline's modules,
 * parses the kubeconfig and opens a TLS connection (about a quarter of a second here), for a
 * question a warm process answers in a few milliseconds.
 *
 * One server per workspace listens on a Unix socket inside it (STATE_SOCKET), so that the
 * input can ask it without starting Node at all: deploy-state.sh sends `env` through curl, and
 * Node (deploy-state.ts) is the fallback. The server answers exactly what the input would
 * compute in its own process: only for the environment and the pipeline code it started with
 * (it checks both on every question, and retires on a difference so the input starts a new
 * one), and it computes every answer afresh (it keeps loaded modules and open connections,
 * never an answer). This module is what the Node client loads, so it uses Node's built-ins only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/** How long a server waits for its next question before it exits. */
export const IDLE_EXIT_MS = 10 * 60_000;
/** A server that has not answered in this long is treated as absent (the input runs itself). */
const ANSWER_TIMEOUT_MS = 30_000;

export const STATE_SERVER_MODES = ['auto', 'on', 'off'] as const;

/**
 * The server's socket, relative to the workspace root (the inputs' working directory): a path
 * a shell can name without computing anything, short enough for a socket wherever the
 * workspace lives. Whoever answers there decides what counts as unchanged; inside the
 * workspace that is whoever can already change its code.
 */
export const STATE_SOCKET = 'node_modules/.cache/todo-chatbot/deploy-state.sock';

/**
 * Variables that differ between two runs of one command without changing any answer (the
 * compile cache only speeds up the Node fallback, which sets it and the shell client does not;
 * the owner is the Nx process of the run).
 */
const VOLATILE = /^(NX_|npm_|LERNA_)|^(_|OLDPWD|PWD|SHLVL|NODE_COMPILE_CACHE|DEPLOY_STATE_OWNER)$/;

const truthy = (value: string | undefined) =>
  value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * How runtime inputs use a server. `resident`: one that outlives the run and exits after ten
 * idle minutes, like Nx's daemon. `run`: one that serves only the Nx process that asks (the
 * `DEPLOY_STATE_OWNER` its runtime commands pass, `$PPID`) and exits with it, so a CI job
 * leaves no process behind. `off`: every input computes its own answer.
 */
export type ServerMode = 'resident' | 'run' | 'off';

/**
 * Pure: the mode for an environment. `auto` follows Nx's rule for its daemon: resident unless
 * in CI or with NX_DAEMON=false, where it is run-scoped. A value other than the three settings
 * means off here; the deploy steps' settings name the mistake.
 */
export function stateServerMode(env: NodeJS.ProcessEnv, platform = process.platform): ServerMode {
  if (!serverWanted(env, platform)) return 'off';
  if (env.DEPLOY_STATE_SERVER === 'on') return 'resident';
  if (!truthy(env.CI) && env.NX_DAEMON !== 'false') return 'resident';
  return stateOwner(env) ? 'run' : 'off';
}

/** Pure: whether the setting and the platform let a server answer at all. */
export function serverWanted(env: NodeJS.ProcessEnv, platform = process.platform): boolean {
  // Named pipes are open to other users by default: Windows computes every input itself.
  if (platform === 'win32') return false;
  const setting = env.DEPLOY_STATE_SERVER ?? 'auto';
  return setting === 'on' || setting === 'auto';
}

/** The Nx process a run-scoped server serves: the pid the runtime command passes. */
export function stateOwner(env: NodeJS.ProcessEnv): number | undefined {
  const pid = Number(env.DEPLOY_STATE_OWNER);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/**
 * Whether a process runs. One that ended but was not reaped yet does not: under a PID 1 that
 * never reaps (many CI containers), an Nx stopped together with its parent stays a zombie, and
 * its run-scoped server would wait for it until its idle exit. Linux's /proc tells; elsewhere,
 * kill(0).
 */
export function processRuns(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    if (existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  // `pid (comm) state ...`: the command name may hold spaces and parentheses.
  return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
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
      } else if (/\.(ts|sh)$/.test(entry.name)) {
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
 * Pure: the environment a client sent, as `env` prints it (NAME=value per line; a line that
 * does not start a variable continues the value before it). A value holding a newline followed
 * by NAME= reads as two variables: then it differs from the server's own, and the input
 * computes its answer itself.
 */
export function parseEnvListing(listing: string): Record<string, string> {
  const env: Record<string, string> = {};
  let last: string | undefined;
  for (const line of listing.replace(/\n$/, '').split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(line);
    if (match?.[1] !== undefined) {
      last = match[1];
      env[last] = match[2] ?? '';
    } else if (last !== undefined) env[last] += `\n${line}`;
  }
  return env;
}

/** Pure: the listing `env` would print for this environment (what the Node client sends). */
export function envListing(env: NodeJS.ProcessEnv): string {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
}

export type Verdict = 'answer' | 'refuse' | 'retire';

/**
 * Pure: whether a client works in this server's workspace (one in another workspace reached
 * this socket through a link: the answer is its own).
 */
const inWorkspace = (client: NodeJS.ProcessEnv, root: string) => client.PWD === root;

/**
 * Pure: what the server does with a question (the client's PWD is its workspace root, as the
 * server resolves it). `refuse`: this client computes its own answer (its mode is off, or it
 * works in another workspace); `retire`: the client runs other code, another environment, another run or
 * mode (a CI-mode run is never served by what an earlier run left), so the server answers no
 * more and exits, and the client's input starts the right one.
 */
export function serverVerdict(
  client: NodeJS.ProcessEnv,
  server: { env: NodeJS.ProcessEnv; owner: number | undefined; root: string },
  code: { now: string; atStart: string },
): Verdict {
  const mode = stateServerMode(client);
  if (mode === 'off' || !inWorkspace(client, server.root)) return 'refuse';
  const owner = mode === 'run' ? stateOwner(client) : undefined;
  if (owner !== server.owner) return 'retire';
  if (code.now !== code.atStart) return 'retire';
  const same =
    JSON.stringify(answeringEnvironment(client)) ===
    JSON.stringify(answeringEnvironment(server.env));
  return same ? 'answer' : 'retire';
}

/**
 * Pure: whether the server prints a run's summary for a client (`POST /summary`). The summary
 * reads only the steps' records and the client's run id, so which run or environment the
 * server belongs to does not matter (the `deploy` target's client names no owner, even in a
 * CI-mode run), and a difference never retires it: the client then prints its own.
 */
export function summaryVerdict(
  client: NodeJS.ProcessEnv,
  server: { root: string },
  code: { now: string; atStart: string },
): 'answer' | 'refuse' {
  const ours =
    serverWanted(client) &&
    inWorkspace(client, server.root) &&
    code.now === code.atStart &&
    client.NX_INVOCATION_ROOT_PID !== undefined;
  return ours ? 'answer' : 'refuse';
}

/** The path of a question: `/state/<kind>/<app>`. */
export function questionPath(args: string[]): string {
  return `/state/${args.map((arg) => encodeURIComponent(arg)).join('/')}`;
}

/** Pure: the input's arguments from a question's path. */
export function questionArgs(path: string): string[] {
  return path
    .replace(/^\/state\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
}

/** Only a socket of this user is asked (another could answer "unchanged" for a stale cluster). */
function ownSocket(socket: string): boolean {
  try {
    const stat = lstatSync(socket);
    return stat.isSocket() && stat.uid === process.getuid?.();
  } catch {
    return false;
  }
}

/** The server's answer to one runtime input of a workspace, or undefined when none answers it. */
export function askStateServer(
  socket: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  workspaceRoot: string,
): Promise<string | undefined> {
  if (!ownSocket(socket)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const question = request(
      { socketPath: socket, path: questionPath(args), method: 'POST', timeout: ANSWER_TIMEOUT_MS },
      (response) => {
        let answer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          answer += chunk;
        });
        response.on('end', () =>
          resolve(
            response.statusCode === 200 && answer.endsWith('\n') ? answer.slice(0, -1) : undefined,
          ),
        );
        response.on('error', () => resolve(undefined));
      },
    );
    question.on('timeout', () => question.destroy());
    question.on('error', () => resolve(undefined));
    question.end(envListing({ ...env, PWD: workspaceRoot }));
  });
}

/**
 * Starts the workspace's server for next time, detached: this input exits without waiting.
 * With an owner, the server exits when that process does.
 */
export function startStateServer(
  serverScript: string,
  workspaceRoot: string,
  owner?: number,
): ChildProcess {
  const server = spawn(
    process.execPath,
    [serverScript, ...(owner ? ['--owner', String(owner)] : [])],
    {
      cwd: workspaceRoot,
      detached: true,
      stdio: 'ignore',
      env: Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('NX_')),
      ),
    },
  );
  server.unref();
  return server;
}
