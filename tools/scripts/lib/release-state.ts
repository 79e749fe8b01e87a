/**
 * What should run on the cluster versus what does. The desired side is a fingerprint of
 * everything `helm upgrade` would be given; the deployed side is read back from the cluster in
 * one kubectl call: the release record (Helm stores our fingerprint as a release label) and the
 * release's workloads. `decideRelease` is the pure comparison.
 */
import { createHash, createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type Kube, type ListedKind, listByLabel } from './kube.ts';

export const FINGERPRINT_LABEL = 'deploy-fingerprint';
/** Release label: digest of the migrations the release's images carry. */
export const MIGRATIONS_LABEL = 'deploy-migrations';
/** Release label: the commit the revision was deployed from (deployed-commit.ts). */
export const COMMIT_LABEL = 'deploy-commit';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * A digest of the secret values that proves nothing about them: an HMAC keyed with the JWT
 * secret, so a short password in DATABASE_URL cannot be guessed back from the digest that ends
 * up in a pod annotation and the release history.
 */
export function secretDigest(secrets: Record<string, string>): string {
  const canonical = Object.keys(secrets)
    .sort()
    .map((key) => `${key}=${secrets[key]}`)
    .join('\n');
  return createHmac('sha256', secrets.JWT_SECRET ?? '')
    .update(canonical)
    .digest('hex')
    .slice(0, 32);
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** Pure: a values file as the digest names it: inside the workspace, by its relative path. */
export function valuesFileName(file: string, root: string): string {
  const inside = relative(root, file);
  return inside.startsWith('..') || isAbsolute(inside) ? file : inside.split(sep).join('/');
}

/**
 * Digest of the chart folder and the values files: any edit to either means a new release.
 * The same for every checkout of the same commit, wherever it lives, so that another machine
 * (or another clone) finds the release it deployed current.
 */
export async function chartDigest(
  chartDir: string,
  valuesFiles: string[],
  root: string,
): Promise<string> {
  const lines: string[] = [];
  for await (const path of walk(chartDir)) {
    lines.push(
      `chart ${relative(chartDir, path).split(sep).join('/')} ${sha256(await readFile(path))}`,
    );
  }
  for (const file of valuesFiles)
    lines.push(`values ${valuesFileName(file, root)} ${sha256(await readFile(file))}`);
  return sha256(lines.sort().join('\n'));
}

export type DesiredRelease = {
  namespace: string;
  release: string;
  chartDigest: string;
  /** The pipeline's own chart values, by dotted path (image tags, secret name and digest...). */
  values: Record<string, string | boolean>;
  /** Image reference each workload must run, by component. */
  images: Record<string, string>;
  /** Digest of the database migrations the images carry; part of the tags already. */
  migrations: string;
};

/** Pure: 16 hex characters, short enough for a label value. */
export function releaseFingerprint(desired: DesiredRelease): string {
  const values = Object.keys(desired.values)
    .sort()
    .map((key) => `${key}=${desired.values[key]}`);
  return sha256(
    [`${desired.namespace}/${desired.release}`, desired.chartDigest, ...values].join('\n'),
  ).slice(0, 16);
}

export type Workload = {
  kind: string;
  name: string;
  component: string;
  images: string[];
  /** Rolled out and every replica available. */
  ready: boolean;
};

export type DeployedRelease = {
  revision: number;
  /** UID of Helm's record of that revision: a reinstall under the same number is new. */
  recordUid: string;
  fingerprint: string | undefined;
  /** The migrations digest the revision was deployed with, when it recorded one. */
  migrations: string | undefined;
  /** The commit label the revision was deployed with (deployed-commit.ts), when it has one. */
  commit: string | undefined;
  workloads: Workload[];
  /** Helm's encoded record of the revision (its manifest), for the drift check. */
  releaseData?: string;
  /** Set once the live objects were inspected (release-live.ts): what changed by hand. */
  drift?: string;
  /** Set once the app was asked: why it does not answer. */
  unanswered?: string;
};

type Item = {
  kind: string;
  type?: string;
  metadata: {
    name: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
  };
  data?: { release?: string };
  spec?: { replicas?: number; template?: { spec?: { containers?: { image: string }[] } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
};

function workloadReady(item: Item): boolean {
  const want = item.spec?.replicas ?? 1;
  const status = item.status ?? {};
  if ((status.observedGeneration ?? 0) < (item.metadata.generation ?? 0)) return false;
  if (item.kind === 'StatefulSet') {
    return (status.readyReplicas ?? 0) >= want && status.currentRevision === status.updateRevision;
  }
  return (
    (status.updatedReplicas ?? 0) >= want &&
    (status.availableReplicas ?? 0) >= want &&
    (status.replicas ?? 0) === want
  );
}

/** Pure: the deployed release from `kubectl get deployments,statefulsets,secrets -o json`. */
export function readDeployed(items: Item[], release: string): DeployedRelease | undefined {
  const records = items.filter(
    (item) =>
      item.kind === 'Secret' &&
      item.type === 'helm.sh/release.v1' &&
      item.metadata.labels?.name === release &&
      item.metadata.labels?.status === 'deployed',
  );
  const latest = records
    .map((item) => ({ item, revision: Number(item.metadata.labels?.version ?? 0) }))
    .sort((a, b) => b.revision - a.revision)[0];
  if (!latest) return undefined;
  const workloads = items
    .filter(
      (item) =>
        (item.kind === 'Deployment' || item.kind === 'StatefulSet') &&
        item.metadata.labels?.['app.kubernetes.io/instance'] === release,
    )
    .map((item) => ({
      kind: item.kind,
      name: item.metadata.name,
      component: item.metadata.labels?.['app.kubernetes.io/component'] ?? item.metadata.name,
      images: (item.spec?.template?.spec?.containers ?? []).map((container) => container.image),
      ready: workloadReady(item),
    }));
  return {
    revision: latest.revision,
    recordUid: latest.item.metadata.uid ?? '',
    fingerprint: latest.item.metadata.labels?.[FINGERPRINT_LABEL],
    migrations: latest.item.metadata.labels?.[MIGRATIONS_LABEL],
    commit: latest.item.metadata.labels?.[COMMIT_LABEL],
    workloads,
    releaseData: latest.item.data?.release,
  };
}

export async function fetchDeployed(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<DeployedRelease | undefined> {
  // Narrow queries at once rather than one wide one: the namespace may hold many large
  // release records of other releases.
  const workloadSelector = `app.kubernetes.io/instance=${release}`;
  const recordSelector = `owner=helm,name=${release},status=deployed`;
  const list = (plural: ListedKind, kind: string, selector: string) =>
    listByLabel<Item>(kube, plural, namespace, selector).then((items) =>
      items.map((item) => ({ ...item, kind })),
    );
  const lists = await Promise.all([
    list('deployments', 'Deployment', workloadSelector),
    list('statefulsets', 'StatefulSet', workloadSelector),
    list('secrets', 'Secret', recordSelector),
  ]);
  return readDeployed(lists.flat(), release);
}

/** `restore`: objects were changed by hand; the upgrade replaces them with what it applies. */
export type ReleaseDecision = { upgrade: boolean; reason: string; restore?: boolean };

/**
 * Pure: Helm runs unless the cluster already runs exactly the desired release, healthy and as
 * applied. Drift makes it replace the release's objects (a server-side apply keeps fields that
 * another manager set, such as an env var added with `kubectl set env`).
 */
export function decideRelease(
  desired: DesiredRelease,
  deployed: DeployedRelease | undefined,
): ReleaseDecision {
  const decision = decideInputs(desired, deployed);
  if (!deployed?.drift) return decision;
  const restoring = `${deployed.drift}: restoring`;
  return {
    upgrade: true,
    restore: true,
    reason: decision.upgrade ? `${decision.reason}; ${restoring}` : restoring,
  };
}

function decideInputs(
  desired: DesiredRelease,
  deployed: DeployedRelease | undefined,
): ReleaseDecision {
  if (!deployed) return { upgrade: true, reason: 'no deployed release: installing' };
  const fingerprint = releaseFingerprint(desired);
  if (deployed.fingerprint !== fingerprint) {
    return {
      upgrade: true,
      reason: `revision ${deployed.revision} was deployed from other inputs (chart, values, image tags or secrets changed): upgrading`,
    };
  }
  for (const [component, image] of Object.entries(desired.images)) {
    const workload = deployed.workloads.find((w) => w.component === component);
    if (!workload)
      return { upgrade: true, reason: `no ${component} workload in the cluster: upgrading` };
    if (!workload.images.includes(image)) {
      return {
        upgrade: true,
        reason: `${workload.kind} ${workload.name} runs ${workload.images.join(', ')}, not ${image}: upgrading`,
      };
    }
  }
  const unready = deployed.workloads.filter((w) => !w.ready);
  if (unready.length) {
    return {
      upgrade: true,
      reason: `${unready.map((w) => `${w.kind} ${w.name}`).join(', ')} not fully available: upgrading`,
    };
  }
  if (deployed.unanswered) {
    return {
      upgrade: false,
      reason: `revision ${deployed.revision} runs these inputs, but ${deployed.unanswered}: helm not invoked (an upgrade would not change it); the smoke test checks the app`,
    };
  }
  return {
    upgrade: false,
    reason: `revision ${deployed.revision} already runs these inputs and is healthy: helm not invoked`,
  };
}

/**
 * Pure: whether an upgrade must run the migration Job. Only when the deployed revision
 * recorded the very migrations this one carries can it be skipped: the schema is already
 * theirs, and a backend pod still answers /readyz 503 on a schema that is not current.
 */
export function migrationsNeeded(
  desired: DesiredRelease,
  deployed: DeployedRelease | undefined,
): ReleaseDecision {
  if (!deployed) return { upgrade: true, reason: 'first install: migrations run' };
  if (deployed.migrations !== desired.migrations) {
    return {
      upgrade: true,
      reason: `migrations differ from revision ${deployed.revision}'s: the migration Job runs before the rollout`,
    };
  }
  return {
    upgrade: false,
    reason: `migrations unchanged since revision ${deployed.revision}: migration Job skipped`,
  };
}
