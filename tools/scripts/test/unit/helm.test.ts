import { describe, expect, it } from 'vitest';
import { HelmError, parseHelmVersion, rollbackArgs, upgradeArgs } from '../../lib/helm.ts';

const options = {
  release: 'todo',
  chart: '/repo/infra/helm/todo-chatbot',
  namespace: 'apps',
  context: 'minikube',
  valuesFiles: ['/repo/values.local.yaml', '/repo/dist/deploy/values.generated.yaml'],
  labels: { 'deploy-fingerprint': 'f00d' },
  timeoutSeconds: 120,
};

describe('helm flags', () => {
  it('reads v3 and v4 versions', () => {
    expect(parseHelmVersion('v4.1.4+g05fa379')).toEqual({ major: 4, minor: 1, text: 'v4.1.4' });
    expect(parseHelmVersion('v3.14.2+gc309b6f\n')).toMatchObject({ major: 3, minor: 14 });
    expect(() => parseHelmVersion('garbage')).toThrow(HelmError);
  });

  it('uses --rollback-on-failure, the watcher and the server field validation on Helm 4', () => {
    expect(upgradeArgs(parseHelmVersion('v4.1.4'), options)).toEqual([
      'upgrade',
      '--install',
      'todo',
      '/repo/infra/helm/todo-chatbot',
      '--namespace',
      'apps',
      '--kube-context',
      'minikube',
      '--values',
      '/repo/values.local.yaml',
      '--values',
      '/repo/dist/deploy/values.generated.yaml',
      '--labels',
      'deploy-fingerprint=f00d',
      '--rollback-on-failure',
      '--wait=watcher',
      '--server-side=true',
      '--disable-openapi-validation',
      '--wait-for-jobs',
      '--timeout',
      '120s',
    ]);
  });

  it('uses --atomic and plain --wait on Helm 3', () => {
    const args = upgradeArgs(parseHelmVersion('v3.14.2'), options);
    expect(args).toContain('--atomic');
    expect(args).toContain('--wait');
    expect(args).not.toContain('--rollback-on-failure');
    expect(args.some((arg) => arg.startsWith('--wait='))).toBe(false);
    // Client-side apply: only Helm's own schema check catches an unknown field.
    expect(args).not.toContain('--disable-openapi-validation');
  });

  it('replaces the objects when restoring hand-edited ones (Helm 4 only client-side)', () => {
    const v4 = upgradeArgs(parseHelmVersion('v4.1.4'), { ...options, restore: true });
    expect(v4).toContain('--force-replace');
    expect(v4).toContain('--server-side=false');
    expect(v4).not.toContain('--server-side=true');
    expect(upgradeArgs(parseHelmVersion('v3.14.2'), { ...options, restore: true })).toContain(
      '--force',
    );
    expect(upgradeArgs(parseHelmVersion('v4.1.4'), options)).not.toContain('--force-replace');
  });

  it('rolls back with the same wait flavour', () => {
    const v4 = rollbackArgs(parseHelmVersion('v4.0.0'), {
      release: 'todo',
      namespace: 'apps',
      context: 'minikube',
      revision: 3,
      timeoutSeconds: 60,
    });
    expect(v4).toEqual([
      'rollback',
      'todo',
      '3',
      '--namespace',
      'apps',
      '--kube-context',
      'minikube',
      '--wait=watcher',
      '--timeout',
      '60s',
    ]);
    const v3 = rollbackArgs(parseHelmVersion('v3.15.0'), {
      release: 'todo',
      namespace: 'apps',
      context: 'minikube',
      timeoutSeconds: 60,
    });
    expect(v3).toEqual([
      'rollback',
      'todo',
      '--namespace',
      'apps',
      '--kube-context',
      'minikube',
      '--wait',
      '--timeout',
      '60s',
    ]);
  });
});
