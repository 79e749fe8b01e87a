import { describe, expect, it } from 'vitest';
import { detectProvider } from '../../lib/providers/detect.ts';

describe('detectProvider', () => {
  it.each([
    ['minikube', 'minikube', 'minikube'],
    ['kind-dev', 'kind', 'dev'],
    ['k3d-mycluster', 'k3d', 'mycluster'],
    ['docker-desktop', 'docker-desktop', undefined],
    ['kubernetes-admin@kubernetes', 'containerd', undefined],
    ['default', 'containerd', undefined],
  ])('context %s -> %s', (context, provider, cluster) => {
    const detection = detectProvider({ explicit: 'auto', context });
    expect(detection.provider).toBe(provider);
    expect(detection.cluster).toBe(cluster);
    expect(detection.reason).toContain(context);
  });

  it('recognises a renamed minikube context by its node', () => {
    expect(
      detectProvider({ explicit: 'auto', context: 'work', nodeNames: ['minikube'] }).provider,
    ).toBe('minikube');
  });

  it('obeys DEPLOY_PROVIDER over the context name', () => {
    const detection = detectProvider({ explicit: 'containerd', context: 'kind-dev' });
    expect(detection).toEqual({
      provider: 'containerd',
      cluster: undefined,
      reason: 'DEPLOY_PROVIDER=containerd',
    });
  });
});
