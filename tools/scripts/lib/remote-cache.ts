/**
 * Nx's self-hosted remote cache (NX_SELF_HOSTED_REMOTE_CACHE_SERVER and _ACCESS_TOKEN), as the
 * workspace's Nx plugin checks it before every run (tools/nx-plugin).
 *
 * Nx 23 ends a run with exit 1 when that server cannot be reached or refuses the token ("Failed
 * to send request"), even when every task succeeded: a cache outage would fail a deploy. So
 * the plugin asks the server first, with the same token, and when the answer is not one Nx can
 * work with it turns the remote cache off for this run (Nx reads an empty server variable as
 * none) and says so in one line: the run goes on with the local cache.
 */
import { send } from './http-send.ts';

export const SERVER_VARIABLE = 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER';
export const TOKEN_VARIABLE = 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN';
/** The line, for the run's tasks, when the plugin could not say it (deploy-summary.sh says it). */
export const NOTICE_VARIABLE = 'TODO_CHATBOT_REMOTE_CACHE_NOTICE';
/** An entry no task has (Nx's hashes are 64-bit numbers in decimal): the answer is 404 or 200. */
export const PROBE_HASH = '0';
const PROBE_TIMEOUT_MS = 2_000;

export type ProbeOutcome = { status: number } | { error: string };

/** Pure: the server as it may be printed: no user, password, query or fragment. */
export function printableServer(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/**
 * Pure: what is wrong with the server's answer to a read of the probe entry, undefined when
 * Nx can use it (a miss or a hit). A token that may only read is fine: Nx's uploads then get
 * 403, which it ignores.
 */
export function probeProblem(outcome: ProbeOutcome, hasToken: boolean): string | undefined {
  if ('error' in outcome) return `cannot be reached (${outcome.error})`;
  const { status } = outcome;
  if (status === 200 || status === 404) return undefined;
  if (status === 401)
    return hasToken
      ? `refused the access token (401): check ${TOKEN_VARIABLE}`
      : `needs an access token (401): set ${TOKEN_VARIABLE}`;
  if (status === 403) return `refused reads with this access token (403): check ${TOKEN_VARIABLE}`;
  return `answered ${status} to a cache read`;
}

/** Pure: the one line said when the remote cache is turned off for a run. */
export function offLine(server: string, problem: string): string {
  return `Remote cache ${printableServer(server)} ${problem}; this run uses the local cache only.`;
}

/** Reads the probe entry as Nx would, with its token. */
export async function probeServer(
  server: string,
  token: string | undefined,
): Promise<ProbeOutcome> {
  let url: URL;
  try {
    url = new URL(`v1/cache/${PROBE_HASH}`, server.endsWith('/') ? server : `${server}/`);
  } catch {
    return { error: `${SERVER_VARIABLE} is not a URL` };
  }
  try {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const { status } = await send(url, { method: 'GET', headers, timeoutMs: PROBE_TIMEOUT_MS });
    return { status };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { error: code ?? message };
  }
}

/** The line that turns the remote cache off for this run, undefined while it is usable or unset. */
export async function remoteCacheOff(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const server = env[SERVER_VARIABLE];
  if (!server) return undefined;
  const token = env[TOKEN_VARIABLE] || undefined;
  const problem = probeProblem(await probeServer(server, token), token !== undefined);
  return problem && offLine(server, problem);
}
