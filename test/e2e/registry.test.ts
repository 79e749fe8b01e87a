/**
 * The registry transport on the test cluster, driven as a user drives it: the cluster
 * advertises its Distribution registry (kube-public/local-registry-hosting), `npx nx run
 * infra:deploy` pushes there and the node pulls. What travelled is asserted from the
 * registry's own access log and manifests, never from the pipeline's output alone. Like
 * deploy.test.ts: a workspace copy, a namespace of its own, scenarios in order.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nx } from '@todo/scripts/lib/nx-run.ts';
import { registryClient } from '@todo/scripts/lib/registry/client.ts';
import { describe, expect, it } from 'vitest';
import { REGISTRY_HOST } from '../cluster/lib/config.ts';
import { restartRegistry, storedBlobs, uploadedBlobs } from '../cluster/lib/registry.ts';
import { imageOnNode } from './support/cluster.ts';
import { logMark, logSince, startLockedRegistry, writeRequests } from './support/registry.ts';
import { deploySuite } from './support/suite.ts';

const suite = deploySuite('todo-e2e-registry', 'auto');
const { deploy, imageRecord } = suite;
const { deployedRevision, pods, podUids } = suite.view;
const registry = registryClient(REGISTRY_HOST);

/** The blobs a manifest in the test registry names: its layers and its config. */
async function blobs(repository: string, tag: string): Promise<Map<string, number>> {
  const manifest = await registry.manifest(repository, tag);
  const all = [...(manifest.layers ?? []), ...(manifest.config ? [manifest.config] : [])];
  return new Map(all.map((blob) => [blob.digest, blob.size]));
}

describe('registry 1. cold deploy through the advertised registry', () => {
  it('pushes both images, and the pods run them from the registry', async () => {
    const run = await deploy('registry: cold deploy');
    expect(run.output).toContain(`the cluster advertises registry ${REGISTRY_HOST}`);
    for (const app of ['backend', 'frontend']) {
      const { repository, tag } = await imageRecord(app);
      expect(await registry.manifestDigest(repository, tag)).toMatch(/^sha256:/);
      const pulled = `${REGISTRY_HOST}/${repository}:${tag}`;
      // The pods' spec, not their status: a node that also holds the same image side-loaded
      // (deploy.test.ts, same content tag) reports it under its docker.io name.
      const images = (await pods(app)).map((pod) => pod.spec.containers[0]?.image);
      expect(images.length).toBeGreaterThan(0);
      expect(images).toEqual(images.map(() => pulled));
      expect(await imageOnNode(pulled)).toBe(true);
    }
  });
});

describe('registry 2. no change', () => {
  it('sends nothing to the registry and leaves the release alone', async () => {
    await deploy('registry: settle');
    const revision = await deployedRevision();
    const mark = await logMark();
    const run = await deploy('registry: no-change redeploy');
    expect(run.executed.filter((task) => task !== 'infra:deploy')).toEqual([]);
    expect(writeRequests(await logSince(mark))).toEqual([]);
    expect(await deployedRevision()).toBe(revision);
  });
});

describe('registry 3. backend-only change', () => {
  it('pushes only the backend layers the registry lacks', async () => {
    const before = await imageRecord('backend');
    const frontend = await imageRecord('frontend');
    // What the registry holds before the push, from its own storage: per manifest the same
    // layer may carry another compressed digest, so the old manifest alone does not tell.
    const inRegistry = await storedBlobs();
    const inRepository = await storedBlobs(before.repository);
    // Unique to this run: the registry keeps what earlier runs pushed, and an edit seen before
    // would find its image there already.
    await suite.scratch.edit(
      'apps/backend/src/main.ts',
      "'shutting down'",
      `'shutting down (registry e2e ${randomBytes(4).toString('hex')})'`,
    );
    await suite.scratch.commit('backend-only change');
    const mark = await logMark();
    const run = await deploy('registry: backend-only change', [
      'affected',
      '-t',
      'deploy',
      '--base=HEAD~1',
    ]);
    // The image carries the migrations the release already applied: no Job before the rollout.
    expect(run.output).toMatch(/migrations unchanged since revision \d+: migration Job skipped/);

    const after = await imageRecord('backend');
    expect(after.tag).not.toBe(before.tag);
    expect(await imageRecord('frontend')).toEqual(frontend);
    const newBlobs = await blobs(after.repository, after.tag);
    const uploads = uploadedBlobs(await logSince(mark));
    const uploaded = uploads.map((upload) => upload.digest);
    // Exactly the blobs the registry lacked: all of the backend, none of the frontend, nothing
    // the backend's repository held already, and every blob of the image the registry lacked.
    expect(uploads.map((upload) => upload.repository)).toEqual(uploads.map(() => after.repository));
    expect(uploaded.length).toBeGreaterThan(0);
    expect(uploaded.filter((digest) => !newBlobs.has(digest) || inRepository.has(digest))).toEqual(
      [],
    );
    expect(
      [...newBlobs.keys()].filter(
        (digest) => !inRegistry.has(digest) && !uploaded.includes(digest),
      ),
    ).toEqual([]);
    const sent = uploaded.reduce((sum, digest) => sum + (newBlobs.get(digest) ?? 0), 0);
    const record = JSON.parse(
      await readFile(join(suite.scratch.root, 'dist', 'images', 'backend.json'), 'utf8'),
    ) as { appLayersBytes: number };
    expect(sent).toBeLessThanOrEqual(1.5 * record.appLayersBytes);
    const images = (await pods('backend')).map((pod) => pod.spec.containers[0]?.image);
    expect(images).toEqual(images.map(() => `${REGISTRY_HOST}/${after.repository}:${after.tag}`));
  });
});

describe('registry 4. the registry lost its data', () => {
  it('is noticed with the Nx cache intact, and the images are pushed again', async () => {
    await deploy('registry: settle before the wipe');
    const backendPods = await podUids('backend');
    await restartRegistry({ wipe: true });
    for (const app of ['backend', 'frontend']) {
      const { repository, tag } = await imageRecord(app);
      expect(await registry.manifestDigest(repository, tag)).toBeUndefined();
    }
    const mark = await logMark();
    const run = await deploy('registry: redeploy after the registry lost its data');
    expect(run.executed).toEqual(
      expect.arrayContaining(['backend:minikube-load', 'frontend:minikube-load']),
    );
    const uploaded = new Set(uploadedBlobs(await logSince(mark)).map((u) => u.repository));
    for (const app of ['backend', 'frontend']) {
      const { repository, tag } = await imageRecord(app);
      expect(uploaded).toContain(repository);
      expect(await registry.manifestDigest(repository, tag)).toMatch(/^sha256:/);
    }
    // The same images under the same names: nothing to roll.
    expect(await podUids('backend')).toEqual(backendPods);
  });
});

describe('registry 5. a registry that cannot be used fails in one line and changes nothing', () => {
  it.each([
    [
      'unreachable',
      async () => ({ host: '127.0.0.1:9', stop: async () => {} }),
      /registry 127\.0\.0\.1:9 is not reachable \(.+\): .*DEPLOY_REGISTRY=off/,
    ],
    [
      'refusing the credentials',
      startLockedRegistry,
      /registry localhost:\d+ refused access to todo-chatbot\/\w+ \(HTTP 401\): run `docker login localhost:\d+`/,
    ],
  ] as const)('%s', async (_name, start, message) => {
    const target = await start();
    try {
      const revision = await deployedRevision();
      const backendPods = await podUids('backend');
      const run = await nx(suite.scratch, ['run', 'infra:deploy'], {
        ...suite.env,
        DEPLOY_REGISTRY: target.host,
      });
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toMatch(message);
      expect(run.output).not.toMatch(/\n\s+at .*\(.*\.ts:\d+:\d+\)/);
      expect(run.executed).not.toContain('infra:helm-deploy');
      expect(await deployedRevision()).toBe(revision);
      expect(await podUids('backend')).toEqual(backendPods);
    } finally {
      await target.stop();
    }
  });
});
