/**
 * Proof that the test cluster is a real, working Kubernetes: run on the cluster
 * cluster-up brings up (npx nx run e2e:test-cluster does both). The workloads run from
 * a locally built image imported through containerd, the way the deploy pipeline loads
 * images into containerd-based nodes, and from an image Docker pushed to the cluster's
 * registry, the way its registry transport does.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { importImage } from '@todo/scripts/lib/containerd-images.ts';
import { inspectImage } from '@todo/scripts/lib/docker.ts';
import { STAND_IN_NODE_IMAGE } from '@todo/scripts/stand-in-node-image.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { $ } from 'zx';
import { manifestsYaml } from '../lib/addons.ts';
import { IMAGES, paths, REGISTRY_HOST, REGISTRY_PORT } from '../lib/config.ts';
import { ctr } from '../lib/containerd.ts';
import { kubectl, kubectlOk } from '../lib/kubectl.ts';
import { registryLog, uploadedBlobs } from '../lib/registry.ts';

const IMAGE = process.env.NODE_BASE_IMAGE ?? STAND_IN_NODE_IMAGE;
const suffix = randomBytes(3).toString('hex');
const NS = `cluster-proof-${suffix}`;
const RESTRICTED_NS = `cluster-restricted-${suffix}`;
/** The smallest local image, pushed under a tag of this run. */
const PUSHED_REPOSITORY = 'cluster-proof/pause';
const PUSHED = `${REGISTRY_HOST}/${PUSHED_REPOSITORY}:${suffix}`;

/** A tiny HTTP server answering with the pod's name: enough to tell a Service works. */
const SERVER = `require('node:http').createServer((_, res) => res.end(process.env.HOSTNAME)).listen(8080)`;

const container = (name: string, command: string[], extra: object = {}) => ({
  name,
  image: IMAGE,
  imagePullPolicy: 'Never',
  command,
  ...extra,
});

function manifests(): object[] {
  const labels = { app: 'web' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: NS, labels },
      spec: {
        containers: [
          container('web', ['node', '-e', SERVER], {
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
          }),
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: NS },
      spec: { type: 'NodePort', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: NS },
      spec: { containers: [container('client', ['sleep', 'infinity'])] },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: NS },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'writer', namespace: NS },
      spec: {
        restartPolicy: 'Never',
        // Non-root, like the chart's PostgreSQL: the provisioned directory must allow it.
        securityContext: { runAsUser: 999, runAsGroup: 999 },
        containers: [
          container('writer', ['sh', '-c', 'echo persisted > /data/proof && cat /data/proof'], {
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          }),
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      },
    },
  ];
}

/**
 * How long a check is retried: kube-proxy programs a new Service's rules, and the policy
 * controller a policy change, a moment after it is made.
 */
const SETTLES = { timeout: 30_000, interval: 500 };

/** Runs `node -e script` in the client pod and returns its output. */
async function inClient(script: string): Promise<string> {
  return (await kubectlOk(['-n', NS, 'exec', 'client', '--', 'node', '-e', script])).trim();
}

beforeAll(async () => {
  if (!(await inspectImage(IMAGE))) {
    await $`node ${new URL('../../../tools/scripts/stand-in-node-image.ts', import.meta.url).pathname} ${IMAGE}`;
  }
  await importImage(IMAGE, { address: paths.containerdSocket });
  await kubectlOk(['create', 'namespace', NS]);
  await kubectlOk(['apply', '-f', '-'], manifestsYaml(manifests()));
  await kubectlOk([
    '-n',
    NS,
    'wait',
    '--for=condition=Ready',
    'pod/web',
    'pod/client',
    '--timeout=120s',
  ]);
});

/**
 * Removes the pushed image from the registry (a manifest is deleted by its digest, as the
 * API requires), from the node (the tag and the digest reference the pull recorded) and
 * from Docker.
 */
async function removePushedImage(): Promise<void> {
  const manifests = `http://127.0.0.1:${REGISTRY_PORT}/v2/${PUSHED_REPOSITORY}/manifests`;
  const head = await fetch(`${manifests}/${suffix}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  }).catch(() => undefined);
  const digest = head?.ok ? head.headers.get('docker-content-digest') : null;
  if (digest) {
    await fetch(`${manifests}/${digest}`, { method: 'DELETE' });
    await ctr(['images', 'rm', `${REGISTRY_HOST}/${PUSHED_REPOSITORY}@${digest}`]).catch(
      () => undefined,
    );
  }
  await ctr(['images', 'rm', PUSHED]).catch(() => undefined);
  await $({ nothrow: true, quiet: true })`docker rmi ${PUSHED}`;
}

afterAll(async () => {
  await kubectl(['delete', 'namespace', NS, RESTRICTED_NS, '--ignore-not-found', '--wait=false']);
  await removePushedImage();
});

describe('the test cluster', () => {
  it('has all nodes Ready', async () => {
    const nodes = JSON.parse(await kubectlOk(['get', 'nodes', '-o', 'json'])).items;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
      expect(ready?.status, node.metadata.name).toBe('True');
    }
  });

  it('answers DNS queries with CoreDNS', async () => {
    const address = await inClient(
      `require('node:dns').promises.resolve4('kubernetes.default.svc.cluster.local').then((a) => console.log(a[0]))`,
    );
    expect(address).toBe('10.96.0.1');
  });

  it('runs a pod from a locally imported image', async () => {
    const pod = JSON.parse(await kubectlOk(['-n', NS, 'get', 'pod', 'web', '-o', 'json']));
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.containerStatuses[0].image).toContain(IMAGE);
  });

  it('reaches a Service from another pod by its DNS name', async () => {
    // Until kube-proxy has programmed the new Service, packets to its ClusterIP leave the
    // cluster, and what answers there is the machine's network (a transparent proxy of this
    // VM answered 404): only the web pod's own answer counts.
    const script = `fetch('http://web.${NS}.svc.cluster.local/').then(async (r) => console.log(r.status, await r.text()), (e) => console.log('failed', e.cause?.code ?? e.message))`;
    await expect.poll(() => inClient(script), SETTLES).toBe('200 web');
  });

  it('reaches a NodePort on 127.0.0.1', async () => {
    const port = (
      await kubectlOk([
        '-n',
        NS,
        'get',
        'service',
        'web',
        '-o',
        'jsonpath={.spec.ports[0].nodePort}',
      ])
    ).trim();
    const body = await vi.waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        signal: AbortSignal.timeout(5000),
      });
      return response.text();
    }, SETTLES);
    expect(body).toBe('web');
  });

  it('enforces NetworkPolicy: a selected pod takes connections only from the peers it allows', async () => {
    const web = `fetch('http://web.${NS}.svc.cluster.local/', { signal: AbortSignal.timeout(2000) }).then((r) => r.text(), () => 'blocked').then(console.log)`;
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web-from-friends', namespace: NS },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'friend' } } }] }],
      },
    };
    await kubectlOk(['apply', '-f', '-'], manifestsYaml([policy]));
    try {
      await expect.poll(() => inClient(web), SETTLES).toBe('blocked');
      await kubectlOk(['-n', NS, 'label', 'pod', 'client', 'role=friend']);
      await expect.poll(() => inClient(web), SETTLES).toBe('web');
      await kubectlOk(['-n', NS, 'label', 'pod', 'client', 'role-']);
      await expect.poll(() => inClient(web), SETTLES).toBe('blocked');
    } finally {
      await kubectl([
        '-n',
        NS,
        'delete',
        'networkpolicy',
        'web-from-friends',
        '--ignore-not-found',
      ]);
      await kubectl(['-n', NS, 'label', 'pod', 'client', 'role-']);
    }
    // Without a policy selecting it, the pod is open again.
    await expect.poll(() => inClient(web), SETTLES).toBe('web');
  });

  it('binds a PVC through the default StorageClass and a non-root pod writes to it', async () => {
    await kubectlOk([
      '-n',
      NS,
      'wait',
      '--for=jsonpath={.status.phase}=Bound',
      'pvc/data',
      '--timeout=60s',
    ]);
    await kubectlOk([
      '-n',
      NS,
      'wait',
      '--for=jsonpath={.status.phase}=Succeeded',
      'pod/writer',
      '--timeout=120s',
    ]);
    expect((await kubectlOk(['-n', NS, 'logs', 'writer'])).trim()).toBe('persisted');
    // Provisioned where the scheduler placed the pod, and pinned to that node.
    const claim = JSON.parse(await kubectlOk(['-n', NS, 'get', 'pvc', 'data', '-o', 'json']));
    const pod = JSON.parse(await kubectlOk(['-n', NS, 'get', 'pod', 'writer', '-o', 'json']));
    expect(claim.metadata.annotations['volume.kubernetes.io/selected-node']).toBe(
      pod.spec.nodeName,
    );
    const volume = JSON.parse(await kubectlOk(['get', 'pv', claim.spec.volumeName, '-o', 'json']));
    expect(volume.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({
      key: 'kubernetes.io/hostname',
      operator: 'In',
      values: [pod.spec.nodeName],
    });
  });

  it('provisions no volume for a claim until a pod that uses it is scheduled', async () => {
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'unused', namespace: NS },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    await kubectlOk(['apply', '-f', '-'], manifestsYaml([claim]));
    const reasons = async () =>
      JSON.parse(
        await kubectlOk([
          '-n',
          NS,
          'get',
          'events',
          '--field-selector',
          'involvedObject.kind=PersistentVolumeClaim,involvedObject.name=unused',
          '-o',
          'json',
        ]),
      ).items.map((event: { reason: string }) => event.reason);
    await vi.waitFor(
      async () => expect(await reasons()).toContain('WaitForFirstConsumer'),
      SETTLES,
    );
    // Two of the provisioner's one-second rounds: time to act on the claim if it would.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const pending = JSON.parse(await kubectlOk(['-n', NS, 'get', 'pvc', 'unused', '-o', 'json']));
    expect(pending.status.phase).toBe('Pending');
    expect(pending.spec.volumeName).toBeUndefined();
  });

  it('runs a pod from an image Docker pushed to the local registry', async () => {
    // A label of this run gives the image a config blob no earlier run pushed: the push
    // has to upload it, whatever the registry holds already.
    const dockerfile = `FROM ${IMAGES.pause}\nLABEL todo-chatbot.cluster-proof=${suffix}\n`;
    await $({ quiet: true, input: dockerfile })`docker build --quiet --tag ${PUSHED} -`;
    await $({ quiet: true })`docker push ${PUSHED}`;
    const format = '{{.Id}} {{index .RepoDigests 0}}';
    const [id, repoDigest] = (
      await $({ quiet: true })`docker image inspect --format ${format} ${PUSHED}`
    ).stdout
      .trim()
      .split(' ');
    // Docker's image id is the digest of its config blob.
    await vi.waitFor(
      async () =>
        expect(uploadedBlobs(await readFile(registryLog(), 'utf8'))).toContainEqual({
          repository: PUSHED_REPOSITORY,
          digest: id,
        }),
      SETTLES,
    );

    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pulled', namespace: NS },
      // Always: the node has to ask the registry, even for an image it already has.
      spec: { containers: [{ name: 'pause', image: PUSHED, imagePullPolicy: 'Always' }] },
    };
    await kubectlOk(['apply', '-f', '-'], manifestsYaml([pod]));
    await kubectlOk(['-n', NS, 'wait', '--for=condition=Ready', 'pod/pulled', '--timeout=60s']);
    const status = JSON.parse(await kubectlOk(['-n', NS, 'get', 'pod', 'pulled', '-o', 'json']))
      .status.containerStatuses[0];
    expect(status.imageID).toBe(repoDigest);
  });

  it('advertises the registry with the KEP-1755 ConfigMap', async () => {
    const configMap = JSON.parse(
      await kubectlOk([
        '-n',
        'kube-public',
        'get',
        'configmap',
        'local-registry-hosting',
        '-o',
        'json',
      ]),
    );
    expect(parse(configMap.data['localRegistryHosting.v1']).host).toBe(REGISTRY_HOST);
  });

  it('rejects a privileged pod in a namespace enforcing the restricted Pod Security level', async () => {
    await kubectlOk(['create', 'namespace', RESTRICTED_NS]);
    await kubectlOk([
      'label',
      'namespace',
      RESTRICTED_NS,
      'pod-security.kubernetes.io/enforce=restricted',
    ]);
    const privileged = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'privileged', namespace: RESTRICTED_NS },
      spec: {
        containers: [
          container('shell', ['sleep', 'infinity'], { securityContext: { privileged: true } }),
        ],
      },
    };
    const result = await kubectl(['apply', '-f', '-'], manifestsYaml([privileged]));
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('violates PodSecurity "restricted:latest"');
  });
});
