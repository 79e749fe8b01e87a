/**
 * `npx nx run infra:port-forward -- [--port=8080]`: forwards 127.0.0.1:<port> to the frontend
 * Service and prints the URL; runs until Ctrl+C. `infra:open` is the same with `--open`: it
 * also opens the URL in the browser when there is one to open (otherwise it only prints it).
 * Works with every provider and Service type, which is why status always suggests it.
 * kubectl forwards to one pod behind the Service: when that pod is replaced, rerun it.
 *
 * Usage: node tools/scripts/port-forward.ts [--port=8080] [--open]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { $ } from 'zx/core';
import { runCommand, UserError } from './lib/command.ts';
import { info } from './lib/log.ts';
import { browserCommand } from './lib/ops/browser.ts';
import { parseCommandArgs, positiveInt } from './lib/ops/cli.ts';
import { releaseTarget, streamingKubectl } from './lib/ops/release-target.ts';
import { DEFAULT_LOCAL_PORT } from './lib/ops/release-view.ts';
import { componentService } from './lib/port-forward.ts';

const SCOPE = 'port-forward';
const USAGE = 'port-forward.ts [--port=8080] [--open]';
const ADDRESS = '127.0.0.1';

/** Fails before kubectl does, with the fix instead of kubectl's bind error. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new UserError(`port ${port} on ${ADDRESS} is not available: pass --port=<another>`)
          : error,
      ),
    );
    server.listen(port, ADDRESS, () => server.close(() => resolve()));
  });
}

async function openBrowser(url: string): Promise<void> {
  const hasXdgOpen = (await $({ quiet: true, nothrow: true })`command -v xdg-open`).exitCode === 0;
  const command = browserCommand(process.platform, process.env, hasXdgOpen);
  if (!command) {
    info(SCOPE, `no browser to open here; open ${url} yourself`);
    return;
  }
  const [program = '', ...args] = command;
  const child = spawn(program, [...args, url], { stdio: 'ignore', detached: true });
  child.once('error', () => info(SCOPE, `could not start ${program}; open ${url} yourself`));
  child.unref();
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(USAGE, argv, {
    port: { type: 'string' },
    open: { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UserError(`unexpected "${positionals[0]}"; usage: ${USAGE}`);
  const port = positiveInt('--port', values.port) ?? DEFAULT_LOCAL_PORT;
  if (port > 65535) throw new UserError(`--port=${port} is not a TCP port (1-65535)`);
  await assertPortFree(port);

  const { kube, ref } = await releaseTarget(SCOPE);
  const service = await componentService(kube, ref.namespace, ref.release, 'frontend');

  const url = `http://${ADDRESS}:${port}`;
  const args = streamingKubectl(kube, [
    'port-forward',
    '--namespace',
    ref.namespace,
    '--address',
    ADDRESS,
    `service/${service.name}`,
    `${port}:${service.port}`,
  ]);
  info(SCOPE, `forwarding ${url} to service/${service.name}:${service.port} (Ctrl+C stops)`);
  const child = spawn('kubectl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  let ready = false;
  child.stdout.on('data', async (chunk: Buffer) => {
    // kubectl prints "Forwarding from ..." once listening, then a line per connection.
    if (ready || !chunk.toString().includes('Forwarding from')) return;
    ready = true;
    info(SCOPE, `ready: ${url}`);
    if (values.open) await openBrowser(url);
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('exit', (exitCode, signal) => resolve(signal === 'SIGINT' ? 0 : exitCode));
  });
  if (code !== 0 && code !== 130) {
    const reason = stderr.trim().split('\n').pop() || `exit ${code}`;
    throw new UserError(`kubectl port-forward stopped: ${reason}; rerun to reconnect`);
  }
}

if (import.meta.main) await runCommand(SCOPE, () => main(process.argv.slice(2)));
