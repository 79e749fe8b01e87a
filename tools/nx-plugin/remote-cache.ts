/**
 * The remote cache check, run before every Nx run (tools/scripts/lib/remote-cache.ts says why):
 * an unreachable server or a refused token turns the remote cache off for that run, in one
 * line, instead of failing it.
 */
import { NOTICE_VARIABLE, remoteCacheOff, SERVER_VARIABLE } from '../scripts/lib/remote-cache.ts';

export async function preTasksExecution(): Promise<void> {
  const line = await remoteCacheOff(process.env);
  if (!line) return;
  // Nx hands what this hook sets in process.env to the run (an empty server is none).
  process.env[SERVER_VARIABLE] = '';
  // Under the Nx daemon nobody sees this process's output: the deploy's summary says it.
  if (process.env.NX_DAEMON_PROCESS === 'true') process.env[NOTICE_VARIABLE] = line;
  else console.warn(line);
}
