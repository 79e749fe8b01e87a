import { describe, expect, it } from 'vitest';
import { UserError } from '../../lib/command.ts';
import {
  MINIKUBE_NO_PROXY,
  minikubeResources,
  parseAddons,
  parseMinikubeStatus,
  planClusterUp,
  proxySettings,
  startArgs,
} from '../../lib/ops/minikube.ts';

const status = (host: string, extra: object = {}) =>
  JSON.stringify({ Name: 'minikube', Host: host, Kubelet: host, APIServer: host, ...extra });

describe('minikube status', () => {
  it('is running only when host, kubelet and API server all are', () => {
    expect(parseMinikubeStatus(status('Running'), 'minikube')).toEqual({
      running: true,
      detail: 'profile minikube: Host Running, Kubelet Running, APIServer Running',
    });
    expect(parseMinikubeStatus(status('Stopped'), 'dev').running).toBe(false);
    const partial = JSON.stringify({ Host: 'Running', Kubelet: 'Stopped', APIServer: 'Stopped' });
    expect(parseMinikubeStatus(partial, 'dev').running).toBe(false);
  });

  it('reads the control-plane node of a multi-node profile', () => {
    const nodes = `[${status('Running')},${status('Stopped')}]`;
    expect(parseMinikubeStatus(nodes, 'multi').running).toBe(true);
  });

  it('treats no JSON (unknown profile) as not running', () => {
    expect(parseMinikubeStatus('🤷  Profile "x" not found.', 'x')).toEqual({
      running: false,
      detail: 'profile x does not exist',
    });
  });
});

describe('addons and the plan', () => {
  const addons = (ingress: string, metrics: string) =>
    JSON.stringify({
      ingress: { Profile: 'minikube', Status: ingress },
      'metrics-server': { Profile: 'minikube', Status: metrics },
      dashboard: { Profile: 'minikube', Status: 'disabled' },
    });

  it('reads enabled addons', () => {
    expect(parseAddons(addons('enabled', 'disabled'))).toEqual({
      ingress: true,
      'metrics-server': false,
      dashboard: false,
    });
  });

  it('starts a stopped profile, enables missing addons, and skips a complete one', () => {
    const running = parseMinikubeStatus(status('Running'), 'minikube');
    expect(
      planClusterUp(parseMinikubeStatus(status('Stopped'), 'minikube'), undefined).action,
    ).toBe('start');
    expect(planClusterUp(running, parseAddons(addons('disabled', 'enabled')))).toMatchObject({
      action: 'enable-addons',
      addons: ['ingress'],
    });
    const skip = planClusterUp(running, parseAddons(addons('enabled', 'enabled')));
    expect(skip.action).toBe('skip');
    expect(skip.reason).toMatch(/nothing to do$/);
  });
});

describe('minikube start', () => {
  it('defaults to 2 CPUs and 4096 MB, overridable, and rejects nonsense', () => {
    expect(minikubeResources({})).toEqual({ cpus: 2, memoryMb: 4096 });
    expect(minikubeResources({ MINIKUBE_CPUS: '4', MINIKUBE_MEMORY: '8192' })).toEqual({
      cpus: 4,
      memoryMb: 8192,
    });
    expect(() => minikubeResources({ MINIKUBE_MEMORY: '4g' })).toThrow(UserError);
    expect(() => minikubeResources({ MINIKUBE_CPUS: '1' })).toThrow(/MINIKUBE_CPUS=1/);
  });

  it('passes no proxy flags without a proxy', () => {
    expect(proxySettings({ NO_PROXY: 'corp.local' })).toEqual({ dockerEnv: [], processEnv: {} });
  });

  it('hands the proxy to the node and keeps minikube networks off it', () => {
    const proxy = proxySettings({
      https_proxy: 'http://proxy:3128',
      HTTP_PROXY: 'http://proxy:3128',
      no_proxy: 'corp.local, localhost',
    });
    const noProxy = ['corp.local', ...MINIKUBE_NO_PROXY].join(',');
    expect(proxy.processEnv).toEqual({
      HTTP_PROXY: 'http://proxy:3128',
      HTTPS_PROXY: 'http://proxy:3128',
      NO_PROXY: noProxy,
    });
    expect(startArgs('dev', { cpus: 2, memoryMb: 4096 }, proxy)).toEqual([
      'start',
      '-p',
      'dev',
      '--cpus=2',
      '--memory=4096',
      '--addons=ingress',
      '--addons=metrics-server',
      '--docker-env=HTTP_PROXY=http://proxy:3128',
      '--docker-env=HTTPS_PROXY=http://proxy:3128',
      `--docker-env=NO_PROXY=${noProxy}`,
    ]);
  });
});
