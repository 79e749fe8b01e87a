/**
 * An interruptible step as a real process: a command of the pipeline's scripts (runCommand
 * with `interruptible`) that waits on a child started through zx, stopped the ways users and
 * Nx stop it. Its child's tree must end with it, its last line and its step record must say
 * where things stand, and its exit code must be the signal's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signalExitCode, signalOfExitCode } from '../../lib/interrupt.ts';
import { scriptsWorkspace } from '../support/scripts-workspace.ts';

/**
 * The step: `child` waits on a shell whose own child (a sleep) writes its pid; `timer` waits
 * on nothing a signal ends; `request` runs the smoke checks against the URL in place of the
 * pid file, an app that never answers. Its last word names the fixture.
 */
const STEP = `
import { $ } from 'zx/core';
import { runCommand } from './lib/command.ts';
import { onInterruptSay } from './lib/interrupt.ts';
import { runSmokeChecks } from './lib/smoke-checks.ts';

const [mode, pidFile] = process.argv.slice(2);
await runCommand(
  'fixture',
  async () => {
    onInterruptSay(async () => 'the fixture release is on revision 7');
    if (mode === 'child') await $({ quiet: true })\`sleep 60 & pid=$!; echo $pid > \${pidFile}; wait $pid\`;
    if (mode === 'timer') {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    if (mode === 'request') await runSmokeChecks(pidFile);
  },
  { interruptible: { task: 'fixture:step' } },
);
`;

let root: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  root = await scriptsWorkspace(await mkdtemp(join(tmpdir(), 'interrupt-')));
  await writeFile(join(root, 'tools', 'scripts', 'fixture-step.ts'), STEP);
});
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rm(root, { recursive: true, force: true }));

type Run = {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
  grandchild: () => Promise<number>;
};

function runStep(mode: 'child' | 'timer' | 'request', name: string): Run {
  const pidFile = mode === 'request' ? name : join(root, `${name}.pid`);
  const child = spawn(
    process.execPath,
    [join(root, 'tools', 'scripts', 'fixture-step.ts'), mode, pidFile],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const grandchild = async () => {
    for (let i = 0; i < 200; i++) {
      const text = existsSync(pidFile) ? (await readFile(pidFile, 'utf8')).trim() : '';
      if (text) return Number(text);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the fixture's child never started:\n${stderr}`);
  };
  return { child, stderr: () => stderr, exited, grandchild };
}

/** Running, as Linux tells: a zombie (ended, not yet reaped by whoever adopted it) is not. */
const running = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return /^State:\s+[^Z]/m.test(status);
};

/** Whether `pid` still runs a moment later: the signal is sent, its delivery takes a moment. */
async function stillRunning(pid: number): Promise<boolean> {
  for (let i = 0; i < 20 && (await running(pid)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return running(pid);
}

async function record(): Promise<{ action: string; reason: string }> {
  return JSON.parse(
    await readFile(join(root, 'dist', 'deploy', 'steps', 'fixture--step.json'), 'utf8'),
  );
}

describe('an interruptible step', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'on %s stops its child tree and ends with where things stand',
    async (signal, code) => {
      const run = runStep('child', signal);
      const sleep = await run.grandchild();
      run.child.kill(signal);
      expect(await run.exited).toBe(code);
      expect(await stillRunning(sleep)).toBe(false);
      const last = run.stderr().trim().split('\n').pop();
      expect(last).toBe(`[fixture] stopped by ${signal}; the fixture release is on revision 7`);
      expect(await record()).toMatchObject({
        action: 'interrupted',
        reason: `stopped by ${signal}; the fixture release is on revision 7`,
      });
    },
  );

  it('whose child Nx stopped first (leaf first) reports the interruption, not a failed command', async () => {
    const run = runStep('child', 'leaf-first');
    const sleep = await run.grandchild();
    process.kill(sleep, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    expect(run.stderr()).not.toMatch(/a command failed/);
    expect(run.stderr().trim().split('\n').pop()).toBe(
      '[fixture] stopped by SIGTERM; the fixture release is on revision 7',
    );
  });

  it('waiting on an app that never answers, ends its requests at once and fails no check', async () => {
    const requests: string[] = [];
    const hanging = createServer((request) => requests.push(`${request.method} ${request.url}`));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hanging.address() as AddressInfo;
      const run = runStep('request', `http://127.0.0.1:${port}/`);
      await expect
        .poll(() => requests.length, { timeout: 5_000, interval: 20 })
        .toBeGreaterThanOrEqual(3);
      const at = Date.now();
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(143);
      // Well before the requests' own timeouts (15 s) and the step's unwinding limit (15 s).
      expect(Date.now() - at).toBeLessThan(2_000);
      expect(run.stderr()).not.toMatch(/failed|FAIL|aborted/);
      expect(run.stderr().trim().split('\n').pop()).toBe(
        '[fixture] stopped by SIGTERM; the fixture release is on revision 7',
      );
      expect(requests.sort()).toEqual(['GET /', 'GET /api/readyz', 'POST /api/auth/signup']);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('ends at once on a second signal while it is still unwinding', async () => {
    const run = runStep('timer', 'second');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const at = Date.now();
    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(Date.now() - at).toBeLessThan(5_000);
  });
});

describe('signal exit codes', () => {
  it('are 128 plus the signal number, both ways', () => {
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGTERM')).toBe(143);
    expect(signalExitCode('SIGHUP')).toBe(129);
    expect(signalOfExitCode(143)).toBe('SIGTERM');
    expect(signalOfExitCode(130)).toBe('SIGINT');
    for (const code of [0, 1, 2, 137, null, undefined])
      expect(signalOfExitCode(code)).toBe(undefined);
  });
});
