/**
 * The deploy lock against the test cluster's API server, through both ways it talks to it:
 * the API client (direct HTTPS, where the kubeconfig's credentials allow) and kubectl (where
 * they need a plugin). Whichever it is, a deploy that lets go of the lock removes its own
 * lease and never one that another deploy has taken over in the meantime.
 */
import { randomBytes } from 'node:crypto';
import { acquireDeployLock, type Lease, leaseName } from '@todo/scripts/lib/deploy-lock.ts';
import { connect, type Kube } from '@todo/scripts/lib/kube.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT, paths } from '../cluster/lib/config.ts';

const NAMESPACE = `deploy-lock-${randomBytes(3).toString('hex')}`;
let viaApi: Kube;

beforeAll(async () => {
  process.env.KUBECONFIG = paths.kubeconfig;
  viaApi = await connect(CONTEXT);
  await viaApi.run(['create', 'namespace', NAMESPACE]);
});

afterAll(async () => {
  await viaApi?.tryRun(['delete', 'namespace', NAMESPACE, '--wait=false']);
});

const lock = (kube: Kube, release: string) =>
  acquireDeployLock(kube, {
    namespace: NAMESPACE,
    release,
    commit: 'abc1234',
    waitSeconds: 0,
    onWait: () => {},
  });

const readLease = async (release: string): Promise<Lease | undefined> => {
  const text = await viaApi.tryRun([
    'get',
    'lease',
    leaseName(release),
    '--namespace',
    NAMESPACE,
    '-o',
    'json',
  ]);
  return text ? (JSON.parse(text) as Lease) : undefined;
};

describe.each([
  ['the API client', () => viaApi],
  ['kubectl', () => ({ ...viaApi, api: undefined })],
])('the deploy lock through %s', (transport, kube) => {
  const release = transport === 'kubectl' ? 'by-kubectl' : 'by-api';

  it('removes its own lease when released', async () => {
    const held = await lock(kube(), release);
    expect((await readLease(release))?.spec.holderIdentity).toContain(`pid ${process.pid}`);
    await held.release();
    expect(await readLease(release)).toBeUndefined();
  });

  it('leaves a lease another deploy took over in the meantime', async () => {
    const held = await lock(kube(), release);
    const ours = await readLease(release);
    // What a deploy taking over an expired lease writes: the same object, a new holder.
    const theirs = {
      ...ours,
      spec: { ...ours?.spec, holderIdentity: 'someone@elsewhere (pid 1)' },
    };
    await viaApi.run(['replace', '-f', '-'], JSON.stringify(theirs));
    await held.release();
    expect((await readLease(release))?.spec.holderIdentity).toBe('someone@elsewhere (pid 1)');
    await viaApi.run(['delete', 'lease', leaseName(release), '--namespace', NAMESPACE]);
  });
});
