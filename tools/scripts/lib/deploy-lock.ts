/**
 * One upgrade at a time per release, across machines: a coordination.k8s.io Lease in the
 * release's namespace, naming who holds it, the commit and since when, renewed while the
 * deploy runs. Helm's own guard is the release's `pending-*` status, which a second deploy
 * only meets as "another operation is in progress", and which a killed deploy leaves behind
 * for good; a Lease that is not renewed expires, so a dead holder never blocks anyone.
 */
import { hostname, userInfo } from 'node:os';
import { UserError } from './command.ts';
import { stopIfInterrupted } from './interrupt.ts';
import type { Kube } from './kube.ts';

/** How long a lease holds without renewal: a killed deploy blocks others this long at most. */
export const LEASE_SECONDS = 30;
const RENEW_MS = 10_000;
const POLL_MS = 1_000;
const PROGRESS_MS = 5_000;
const COMMIT = 'todo-chatbot.dev/commit';

export type Lease = {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
  };
};

export type Holder = { identity: string; commit: string; since: string };

export type LeaseState =
  | { kind: 'free' }
  | { kind: 'held'; holder: Holder }
  | { kind: 'expired'; holder: Holder };

export const leaseName = (release: string) => `${release}-deploy`;

/** Pure: who holds the lease now, if anyone (a lease past its renewal time is nobody's). */
export function leaseState(lease: Lease | undefined, now: Date): LeaseState {
  const identity = lease?.spec.holderIdentity;
  if (!lease || !identity) return { kind: 'free' };
  const holder = {
    identity,
    commit: lease.metadata.annotations?.[COMMIT] ?? 'an unknown commit',
    since: lease.spec.acquireTime ?? 'an unknown time',
  };
  const renewed = Date.parse(lease.spec.renewTime ?? lease.spec.acquireTime ?? '');
  const seconds = lease.spec.leaseDurationSeconds ?? LEASE_SECONDS;
  if (Number.isNaN(renewed) || renewed + seconds * 1000 < now.getTime())
    return { kind: 'expired', holder };
  return { kind: 'held', holder };
}

/** Pure: the holder as a message names it. */
export const holderLine = (holder: Holder) =>
  `deploy of ${holder.commit} from ${holder.identity} running since ${holder.since}`;

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
const microTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** Pure: the lease this deploy writes, over `current` when it takes one that exists. */
export function ourLease(options: {
  namespace: string;
  release: string;
  identity: string;
  commit: string;
  acquired: Date;
  now: Date;
  current?: Lease;
}): Lease {
  return {
    metadata: {
      name: leaseName(options.release),
      namespace: options.namespace,
      ...(options.current?.metadata.resourceVersion && {
        resourceVersion: options.current.metadata.resourceVersion,
      }),
      labels: {
        'app.kubernetes.io/instance': options.release,
        'app.kubernetes.io/managed-by': 'todo-chatbot-pipeline',
      },
      annotations: { [COMMIT]: options.commit },
    },
    spec: {
      holderIdentity: options.identity,
      leaseDurationSeconds: LEASE_SECONDS,
      acquireTime: microTime(options.acquired),
      renewTime: microTime(options.now),
    },
  };
}

type LeaseApi = {
  read: () => Promise<Lease | undefined>;
  /** False when another writer got there first (the lease exists, or changed since read). */
  write: (lease: Lease, create: boolean) => Promise<Lease | false>;
  remove: (resourceVersion: string) => Promise<void>;
};

/** A delete that the API server refuses (409) unless the lease is still at this version. */
const deleteOptions = (resourceVersion: string) => ({
  kind: 'DeleteOptions',
  apiVersion: 'v1',
  preconditions: { resourceVersion },
});

/** The Lease through the API server directly, or kubectl where the credentials need it. */
function leaseApi(kube: Kube, namespace: string, release: string): LeaseApi {
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
  const path = `${collection}/${leaseName(release)}`;
  const body = (lease: Lease) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    ...lease,
  });
  const { api } = kube;
  if (api) {
    return {
      read: async () => {
        const answer = await api.send<Lease>('GET', path);
        if (answer.status === 404) return undefined;
        if (answer.status !== 200) throw new Error(`GET ${path}: HTTP ${answer.status}`);
        return answer.body;
      },
      write: async (lease, create) => {
        const answer = create
          ? await api.send<Lease>('POST', collection, body(lease))
          : await api.send<Lease>('PUT', path, body(lease));
        if (answer.status === 409) return false;
        if (answer.status !== 200 && answer.status !== 201)
          throw new Error(`${create ? 'POST' : 'PUT'} ${path}: HTTP ${answer.status}`);
        return answer.body;
      },
      remove: async (resourceVersion) => {
        await api.send('DELETE', path, deleteOptions(resourceVersion));
      },
    };
  }
  const ns = ['--namespace', namespace];
  return {
    read: async () => {
      const text = await kube.tryRun(['get', 'lease', leaseName(release), ...ns, '-o', 'json']);
      return text ? (JSON.parse(text) as Lease) : undefined;
    },
    write: async (lease, create) => {
      try {
        const out = await kube.run(
          [create ? 'create' : 'replace', '-f', '-', '-o', 'json'],
          JSON.stringify(body(lease)),
        );
        return JSON.parse(out) as Lease;
      } catch (error) {
        if (/AlreadyExists|Conflict|has been modified/i.test((error as Error).message))
          return false;
        throw error;
      }
    },
    remove: async (resourceVersion) => {
      // Only the version this deploy wrote: a deploy that took the lease over keeps it.
      await kube
        .run(['delete', '--raw', path, '-f', '-'], JSON.stringify(deleteOptions(resourceVersion)))
        .catch(() => undefined);
    },
  };
}

/** The release's lease as it stands, for the doctor. */
export function fetchLeaseState(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<LeaseState> {
  return leaseApi(kube, namespace, release)
    .read()
    .then((lease) => leaseState(lease, new Date()));
}

export type DeployLock = {
  /** Seconds spent waiting for another deploy; undefined when the lease was free. */
  waitedSeconds?: number;
  /** What it took over: the holder of an expired lease, whose deploy is gone. */
  tookOverFrom?: Holder;
  release: () => Promise<void>;
  /** Stops renewing and leaves the lease to expire: whoever takes it over then knows we are gone. */
  abandon: () => void;
};

/**
 * Takes the release's lease, waiting up to `waitSeconds` (0: not at all) for another live
 * holder, with a line every few seconds; then renews it until released.
 */
export async function acquireDeployLock(
  kube: Kube,
  options: {
    namespace: string;
    release: string;
    commit: string;
    waitSeconds: number;
    onWait: (line: string) => void;
  },
): Promise<DeployLock> {
  const leases = leaseApi(kube, options.namespace, options.release);
  const identity = `${userInfo().username}@${hostname()} (pid ${process.pid})`;
  const started = Date.now();
  let lastProgress = 0;
  let waited = false;
  let tookOverFrom: Holder | undefined;
  let held: Lease | false = false;
  while (!held) {
    const current = await leases.read();
    const state = leaseState(current, new Date());
    if (state.kind === 'held') {
      stopIfInterrupted();
      waited = true;
      const elapsed = Date.now() - started;
      if (elapsed >= options.waitSeconds * 1000) {
        throw new UserError(
          options.waitSeconds === 0
            ? `another deploy holds release ${options.namespace}/${options.release}: ${holderLine(state.holder)}; run again when it is done, or set DEPLOY_LOCK_WAIT_SECONDS to wait for it`
            : `waited ${options.waitSeconds} s for the ${holderLine(state.holder)}; it still holds release ${options.namespace}/${options.release} (DEPLOY_LOCK_WAIT_SECONDS)`,
        );
      }
      if (elapsed - lastProgress >= PROGRESS_MS || lastProgress === 0) {
        options.onWait(
          `waiting for the ${holderLine(state.holder)} (${Math.round(elapsed / 1000)} s of DEPLOY_LOCK_WAIT_SECONDS=${options.waitSeconds})`,
        );
        lastProgress = Math.max(elapsed, 1);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    const now = new Date();
    tookOverFrom = state.kind === 'expired' ? state.holder : undefined;
    held = await leases.write(
      ourLease({ ...options, identity, acquired: now, now, current }),
      current === undefined,
    );
  }

  let lease: Lease = held;
  const acquired = new Date(lease.spec.acquireTime ?? Date.now());
  // One write at a time, so that the release deletes the version the last renewal wrote.
  let renewing = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      const renewed = await leases
        .write(ourLease({ ...options, identity, acquired, now: new Date(), current: lease }), false)
        .catch(() => false as const);
      if (renewed) lease = renewed;
    });
  }, RENEW_MS);
  timer.unref();
  let released = false;
  return {
    ...(waited && { waitedSeconds: Math.round((Date.now() - started) / 1000) }),
    ...(tookOverFrom && { tookOverFrom }),
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      await renewing;
      await leases.remove(lease.metadata.resourceVersion ?? '').catch(() => {});
    },
    abandon: () => {
      released = true;
      clearInterval(timer);
    },
  };
}
