/**
 * The commands that drive CLIs which cannot run here (minikube, kubectl-ai), run for real
 * against recording stand-ins: the exact argv they pass is the contract under test.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRecordingClis,
  type RecordingClis,
  type StandIn,
} from '../support/recording-clis.ts';

const scripts = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

let clis: RecordingClis | undefined;
afterEach(async () => {
  await clis?.remove();
  clis = undefined;
});

/** Runs a command with only the stand-ins and the system's basic tools on PATH. */
async function runScript(
  script: string,
  args: string[],
  standIns: Record<string, StandIn>,
  env: Record<string, string> = {},
) {
  clis = await createRecordingClis(standIns);
  const base: NodeJS.ProcessEnv = {
    PATH: `${clis.binDir}:/usr/bin:/bin`,
    HOME: process.env.HOME,
    // Away from the developer's own .env, context and proxy.
    DEPLOY_ENV_FILE: join(clis.binDir, 'no.env'),
  };
  const result = await run(process.execPath, [join(scripts, script), ...args], {
    env: { ...base, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return { ...result, calls: await clis.calls() };
}

const running = { Name: 'dev', Host: 'Running', Kubelet: 'Running', APIServer: 'Running' };
const addon = (status: string) => ({ Profile: 'dev', Status: status });

describe('minikube-up', () => {
  it('starts a stopped profile with the default size and both addons', async () => {
    const stopped = { ...running, Host: 'Stopped', Kubelet: 'Stopped', APIServer: 'Stopped' };
    const result = await runScript(
      'minikube-up.ts',
      [],
      {
        minikube: { stdout: JSON.stringify(stopped) },
      },
      { MINIKUBE_PROFILE: 'dev' },
    );
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      ['minikube', 'status', '-p', 'dev', '-o', 'json'],
      [
        'minikube',
        'start',
        '-p',
        'dev',
        '--cpus=2',
        '--memory=4096',
        '--addons=ingress',
        '--addons=metrics-server',
      ],
    ]);
  });

  it('passes size overrides and the proxy through', async () => {
    const result = await runScript(
      'minikube-up.ts',
      [],
      { minikube: { stdout: 'no profile' } },
      {
        MINIKUBE_CPUS: '4',
        MINIKUBE_MEMORY: '6144',
        HTTPS_PROXY: 'http://proxy:3128',
      },
    );
    expect(result.code).toBe(0);
    expect(result.calls[1]).toEqual([
      'minikube',
      'start',
      '-p',
      'minikube',
      '--cpus=4',
      '--memory=6144',
      '--addons=ingress',
      '--addons=metrics-server',
      '--docker-env=HTTPS_PROXY=http://proxy:3128',
      '--docker-env=NO_PROXY=localhost,127.0.0.1,10.96.0.0/12,192.168.49.0/24,192.168.59.0/24,192.168.39.0/24',
    ]);
    expect(result.stdout).toContain('proxy: passing HTTPS_PROXY, NO_PROXY to minikube');
  });

  // The stand-in answers every call alike, so one JSON object serves as both the status
  // (Host/Kubelet/APIServer) and the addons list (entries with a Status).
  it('skips a running profile whose addons are enabled, saying why', async () => {
    const answer = { ...running, ingress: addon('enabled'), 'metrics-server': addon('enabled') };
    const result = await runScript(
      'minikube-up.ts',
      [],
      {
        minikube: { stdout: JSON.stringify(answer) },
      },
      { MINIKUBE_PROFILE: 'dev' },
    );
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      ['minikube', 'status', '-p', 'dev', '-o', 'json'],
      ['minikube', 'addons', 'list', '-p', 'dev', '-o', 'json'],
    ]);
    expect(result.stdout).toContain('addons ingress and metrics-server enabled: nothing to do');
  });

  it('only enables the missing addon on a running profile', async () => {
    const answer = { ...running, ingress: addon('disabled'), 'metrics-server': addon('enabled') };
    const result = await runScript(
      'minikube-up.ts',
      [],
      {
        minikube: { stdout: JSON.stringify(answer) },
      },
      { MINIKUBE_PROFILE: 'dev' },
    );
    expect(result.calls.at(-1)).toEqual(['minikube', 'addons', 'enable', 'ingress', '-p', 'dev']);
  });

  it('fails in one line on a bad size, before calling minikube', async () => {
    const result = await runScript(
      'minikube-up.ts',
      [],
      { minikube: {} },
      { MINIKUBE_MEMORY: 'lots' },
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      '[cluster-up] MINIKUBE_MEMORY=lots is not valid: expected a whole number of MB, at least 1800 (default 4096)',
    ]);
    expect(result.calls).toEqual([]);
  });

  it('fails in one line, with a start failure pointing at the way out', async () => {
    const result = await runScript('minikube-up.ts', [], { minikube: { exitCode: 80 } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[cluster-up] minikube start failed (exit 80)');
    expect(result.stderr).not.toContain('    at ');
  });
});

describe('ai', () => {
  const kubeconfig = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'dev',
    contexts: [{ name: 'dev', context: { cluster: 'dev', user: 'dev' } }],
  });

  it('without kubectl-ai: says how to install it and the alternatives, exit 1', async () => {
    const result = await runScript(
      'ai.ts',
      ['hi'],
      { kubectl: { stdout: kubeconfig } },
      {
        KUBE_CONTEXT: 'dev',
      },
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[ai\] kubectl-ai is not installed: .*install\.sh.*kagent.*docker ai/,
    );
    expect(result.calls).toEqual([]);
  });

  it("without the chart's ops reader: refuses in one line, never running kubectl-ai", async () => {
    // The stand-in kubectl lists no ServiceAccount for every query.
    const result = await runScript(
      'ai.ts',
      ['hi'],
      { kubectl: { stdout: '{"items":[]}' }, 'kubectl-ai': { stdout: 'answer' } },
      { KUBE_CONTEXT: 'dev', DEPLOY_NAMESPACE: 'shop' },
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^\[ai\] release todo-chatbot in namespace shop has no ops reader: deploy it with opsReader\.enabled=true/,
      ),
    ]);
    expect(result.calls.some((call) => call[0] === 'kubectl-ai')).toBe(false);
    expect(result.calls.some((call) => call.includes('token'))).toBe(false);
  });
});
