/**
 * What `infra:teardown` removes and what it keeps. The database's volume claims (and the
 * password Secret the chart keeps with `helm.sh/resource-policy: keep`, which that data was
 * initialised with) survive unless --delete-data is passed: losing the todos is never a side
 * effect of tidying up.
 */
import { INSTANCE_LABEL } from './release-view.ts';

export type Leftovers = {
  /** PersistentVolumeClaims labelled with the release. */
  claims: string[];
  /** Secrets labelled with the release that outlive `helm uninstall`, besides the app's. */
  keptSecrets: string[];
};

type Listed = {
  items: { metadata: { name: string; annotations?: Record<string, string> } }[];
};

/**
 * From `kubectl get pvc` and `kubectl get secrets` of the release's label: the claims (a
 * StatefulSet's claims are not Helm's to delete) and the Secrets Helm is told to keep.
 */
export function findLeftovers(claims: Listed, secrets: Listed, appSecret: string): Leftovers {
  return {
    claims: claims.items.map((item) => item.metadata.name).sort(),
    keptSecrets: secrets.items
      .filter(
        (item) =>
          item.metadata.name !== appSecret &&
          item.metadata.annotations?.['helm.sh/resource-policy'] === 'keep',
      )
      .map((item) => item.metadata.name)
      .sort(),
  };
}

export type TeardownInput = {
  release: string;
  namespace: string;
  installed: boolean;
  namespaceExists: boolean;
  appSecret: string;
  appSecretExists: boolean;
  leftovers: Leftovers;
  deleteData: boolean;
};

export type TeardownPlan = {
  uninstall: boolean;
  deleteAppSecret: boolean;
  /** kubectl deletions of the data, when --delete-data. */
  deleteData: { what: string; args: string[] }[];
  /** What is left in the cluster, and the command that removes it. */
  kept: string[];
  /** Nothing to do at all. */
  empty: boolean;
};

export function planTeardown(input: TeardownInput): TeardownPlan {
  const { namespace, release, leftovers } = input;
  const hasData = leftovers.claims.length > 0 || leftovers.keptSecrets.length > 0;
  const deleteData: TeardownPlan['deleteData'] = [];
  const kept: string[] = [];
  if (input.deleteData) {
    for (const [kind, names] of [
      ['pvc', leftovers.claims],
      ['secret', leftovers.keptSecrets],
    ] as const) {
      if (!names.length) continue;
      deleteData.push({
        what: `${kind} ${names.join(' ')}`,
        // A claim is only gone once no pod mounts it; waiting is kubectl's business, not ours.
        args: [
          'delete',
          kind,
          ...names,
          '--namespace',
          namespace,
          '--ignore-not-found',
          '--wait=false',
        ],
      });
    }
  } else if (hasData) {
    const items = [
      ...leftovers.claims.map((name) => `pvc/${name}`),
      ...leftovers.keptSecrets.map((name) => `secret/${name}`),
    ];
    kept.push(
      `kept database data: ${items.join(', ')}; remove with \`npx nx run infra:teardown -- --delete-data\` (or kubectl delete pvc,secret -n ${namespace} -l ${INSTANCE_LABEL}=${release})`,
    );
  }
  if (input.namespaceExists) {
    kept.push(
      `kept namespace ${namespace} (it may hold more than this release); remove with \`kubectl delete namespace ${namespace}\``,
    );
  }
  return {
    uninstall: input.installed,
    deleteAppSecret: input.appSecretExists,
    deleteData,
    kept,
    empty: !input.installed && !input.appSecretExists && deleteData.length === 0,
  };
}
