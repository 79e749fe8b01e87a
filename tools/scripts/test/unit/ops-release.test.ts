import { describe, expect, it } from 'vitest';
import { rollbackArgs } from '../../lib/helm.ts';
import { historyArgs, listArgs, uninstallArgs } from '../../lib/ops/helm-ops.ts';
import {
  accessUrls,
  componentImages,
  findRelease,
  formatAge,
  formatTable,
  imageTag,
  type Pod,
  podRows,
  releaseLine,
  type Service,
} from '../../lib/ops/release-view.ts';

const ref = { release: 'todo', namespace: 'apps', context: 'minikube' };
const helm4 = { major: 4, minor: 1, text: 'v4.1.4' };
const helm3 = { major: 3, minor: 14, text: 'v3.14.2' };

describe('helm arguments', () => {
  it('lists only this release, in every state (Helm 4 by default, Helm 3 with --all)', () => {
    expect(listArgs(helm4, ref)).toEqual([
      'list',
      '--namespace',
      'apps',
      '--kube-context',
      'minikube',
      '--filter',
      '^todo$',
      '--output',
      'json',
    ]);
    expect(listArgs(helm3, ref)).toContain('--all');
    expect(historyArgs(ref)).toContain('history');
  });

  it('waits with the strategy Helm 4 wants and the switch Helm 3 has', () => {
    const options = { ...ref, timeoutSeconds: 300 };
    expect(uninstallArgs(helm4, options)).toEqual([
      'uninstall',
      'todo',
      '--namespace',
      'apps',
      '--kube-context',
      'minikube',
      '--wait=watcher',
      '--timeout',
      '300s',
    ]);
    expect(uninstallArgs(helm3, options)).toContain('--wait');
    expect(rollbackArgs(helm3, { ...options, revision: 2 })).toEqual([
      'rollback',
      'todo',
      '2',
      '--namespace',
      'apps',
      '--kube-context',
      'minikube',
      '--wait',
      '--timeout',
      '300s',
    ]);
  });
});

const entry = {
  name: 'todo',
  namespace: 'apps',
  revision: '3',
  updated: '2025-01-02 10:00:00 +0000 UTC',
  status: 'deployed',
  chart: 'todo-chatbot-0.1.0',
  app_version: '0.1.0',
};

describe('release line', () => {
  it('finds the release in helm list output', () => {
    expect(findRelease(JSON.stringify([{ ...entry, name: 'todo-2' }, entry]), 'todo')).toEqual(
      entry,
    );
    expect(findRelease('[]', 'todo')).toBeUndefined();
    expect(findRelease('', 'todo')).toBeUndefined();
    expect(releaseLine(entry)).toBe(
      'release todo (namespace apps): revision 3, deployed, chart todo-chatbot-0.1.0, app 0.1.0, updated 2025-01-02 10:00:00 +0000 UTC',
    );
  });
});

const pod = (
  name: string,
  component: string,
  image: string,
  ready: boolean,
  restarts: number,
): Pod => ({
  metadata: {
    name,
    creationTimestamp: '2025-01-02T10:00:00Z',
    labels: { 'app.kubernetes.io/component': component },
  },
  spec: { containers: [{ name: component, image }] },
  status: { phase: 'Running', containerStatuses: [{ ready, restartCount: restarts }] },
});

describe('pods', () => {
  it('takes the tag, not a registry port or a digest', () => {
    expect(imageTag('todo-chatbot/backend:c0ffee123456')).toBe('c0ffee123456');
    expect(imageTag('localhost:5000/todo/backend:abc')).toBe('abc');
    expect(imageTag('localhost:5000/todo/backend')).toBe('latest');
    expect(imageTag('postgres:17.6-bookworm@sha256:0123')).toBe('17.6-bookworm');
  });

  it('formats ages like kubectl, coarser', () => {
    expect(formatAge(45_000)).toBe('45s');
    expect(formatAge(12 * 60_000)).toBe('12m');
    expect(formatAge(5 * 3_600_000)).toBe('5h');
    expect(formatAge(3 * 86_400_000)).toBe('3d');
    expect(formatAge(-5)).toBe('0s');
  });

  it('tabulates the pods', () => {
    const now = Date.parse('2025-01-02T10:05:00Z');
    const rows = podRows(
      [
        pod('todo-backend-1', 'backend', 'todo-chatbot/backend:aaa', true, 0),
        pod('todo-postgresql-0', 'postgresql', 'postgres:17.6-bookworm', false, 4),
      ],
      now,
    );
    expect(formatTable(rows, ['name', 'component', 'ready', 'restarts', 'age', 'tags'])).toEqual([
      'NAME               COMPONENT   READY  RESTARTS  AGE  TAGS',
      'todo-backend-1     backend     1/1    0         5m   aaa',
      'todo-postgresql-0  postgresql  0/1    4         5m   17.6-bookworm',
    ]);
  });

  it('lists each component image once', () => {
    const pods = [
      pod('b1', 'backend', 'todo-chatbot/backend:aaa', true, 0),
      pod('b2', 'backend', 'todo-chatbot/backend:aaa', true, 0),
      pod('f1', 'frontend', 'todo-chatbot/frontend:bbb', true, 0),
    ];
    expect(componentImages(pods)).toEqual([
      'backend: todo-chatbot/backend:aaa',
      'frontend: todo-chatbot/frontend:bbb',
    ]);
  });
});

describe('access URLs', () => {
  const frontend = (type: string, extra: Partial<Service> = {}): Service => ({
    metadata: { name: 'todo-frontend', labels: { 'app.kubernetes.io/component': 'frontend' } },
    spec: { type, ports: [{ name: 'http', port: 3000, nodePort: 30080 }] },
    ...extra,
  });
  const base = { ingresses: [], minikubeProfile: 'dev', namespace: 'apps' };

  it('points minikube users at minikube service, and always offers port-forward', () => {
    expect(accessUrls({ ...base, services: [frontend('NodePort')], provider: 'minikube' })).toEqual(
      [
        'service todo-frontend (NodePort): minikube service todo-frontend -n apps -p dev --url',
        'port-forward: npx nx run infra:port-forward (then http://127.0.0.1:8080) or kubectl port-forward -n apps svc/todo-frontend 8080:3000',
      ],
    );
  });

  it('gives the NodePort on 127.0.0.1 elsewhere, and a load balancer address when there is one', () => {
    const [nodePort] = accessUrls({ ...base, services: [frontend('NodePort')], provider: 'kind' });
    expect(nodePort).toMatch(/^service todo-frontend \(NodePort\): http:\/\/127\.0\.0\.1:30080 /);
    const lb = frontend('LoadBalancer', {
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } },
    });
    expect(accessUrls({ ...base, services: [lb], provider: 'k3d' })[0]).toBe(
      'service todo-frontend (LoadBalancer): http://10.0.0.9:3000',
    );
    expect(
      accessUrls({ ...base, services: [frontend('ClusterIP')], provider: 'kind' }),
    ).toHaveLength(1);
  });

  it('lists ingress hosts, https where TLS covers them', () => {
    const lines = accessUrls({
      ...base,
      provider: 'minikube',
      services: [],
      ingresses: [
        {
          metadata: { name: 'todo' },
          spec: { tls: [{ hosts: ['todo.local'] }], rules: [{ host: 'todo.local' }] },
        },
        {
          metadata: { name: 'open' },
          spec: { rules: [{}] },
          status: { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } },
        },
        { metadata: { name: 'pending' }, spec: { rules: [{}] } },
      ],
    });
    expect(lines.slice(0, 3)).toEqual([
      'ingress todo: https://todo.local/',
      'ingress open: http://192.168.49.2/',
      'ingress pending: no address yet (is the ingress addon on? minikube addons enable ingress -p dev)',
    ]);
    expect(lines[3]).toBe(
      'port-forward: npx nx run infra:port-forward (then http://127.0.0.1:8080)',
    );
  });
});
