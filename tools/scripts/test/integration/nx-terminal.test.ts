/**
 * `npx nx` as a developer first types it: in a terminal, outside CI. Nx asks there whether to
 * share usage data, waits for an answer and writes it into nx.json, so without the answer
 * committed the first deploy stops at a prompt and then leaves the workspace changed. The
 * terminal is a real pseudo-terminal (util-linux `script`), with nothing to read on stdin.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../../lib/workspace-root.ts';

const run = promisify(execFile);

/** The environment of a developer's shell: none of the variables Nx reads as "in CI". */
function terminalEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR'];
  return {
    ...Object.fromEntries(
      keep.flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])),
    ),
    TERM: 'xterm-256color',
    // This test asks one question; it leaves no daemon behind.
    NX_DAEMON: 'false',
  };
}

describe('npx nx in a terminal', () => {
  it('runs without a prompt and leaves nx.json as committed', async () => {
    const nxJson = join(workspaceRoot, 'nx.json');
    const before = await readFile(nxJson, 'utf8');
    const { stdout } = await run('script', ['-qec', 'npx nx show projects', '/dev/null'], {
      cwd: workspaceRoot,
      env: terminalEnv(),
      timeout: 60_000,
      killSignal: 'SIGKILL',
    }).catch((error: Error & { stdout?: string; killed?: boolean }) => {
      throw new Error(
        `npx nx show projects in a terminal ${error.killed ? 'never finished (waiting for input?)' : 'failed'}: ${error.message}\n${error.stdout?.slice(-1500) ?? ''}`,
      );
    });
    expect(stdout).not.toMatch(/usage data/i);
    expect(stdout).toMatch(/\bbackend\b/);
    expect(await readFile(nxJson, 'utf8')).toBe(before);
  }, 90_000);
});
