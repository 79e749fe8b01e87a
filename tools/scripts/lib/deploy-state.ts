/**
 * The outside state each cached deploy step depends on, as one line (see deploy-state.ts).
 * Each kind loads only the modules it needs: this runs once per step of every deploy, on
 * its critical path, and the Docker check needs neither the settings nor the cluster.
 *
 * Each kind names a subject (what the step makes true: an image tag in the daemon, that tag
 * on the cluster, a desired release) and a check of the outside state for it. The answer is
 * `ok <token> <subject>` when the check passes, or without the check the first time this
 * workspace meets the subject (lib/runtime-ledger.ts says why that is sound): the same
 * answer before a step makes its state good and after, so the run after a change replays
 * every step. Otherwise it names the problem and ends in a random nonce.
 *
 * With a shared Nx cache (NX_SELF_HOSTED_REMOTE_CACHE_SERVER set), a subject that is the same
 * for every machine (an image in the registry, the release on the cluster) is answered
 * `ok shared <subject>` only after its check passes, every time: another machine's cache
 * entry is replayed only for a state this machine has just seen good, and entries a first
 * sighting keyed could match elsewhere without a check. A deploy that made the state good
 * therefore publishes its entries with a second run (ci-deploy.ts). Side-loaded images stay
 * on the machine-local answers: what a node holds is no other machine's business.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Settings } from './settings.ts';

/**
 * What a kind answers for, and the check of the outside state (undefined: good). `shared`: the
 * subject and its state are the same for every machine, so a shared cache may key on them.
 */
export type Probe = {
  subject: string;
  problem: () => Promise<string | undefined>;
  shared?: boolean;
};

/** Pure: whether this Nx run uses a shared cache (the plugin empties the variable when not). */
export const sharedCache = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER);

/** The registry images travel through, for the shared keys; undefined when side-loaded. */
async function pushRegistry(settings: Settings): Promise<string | undefined> {
  const [{ targetCluster }, { imageTransport }] = await Promise.all([
    import('./target-cluster.ts'),
    import('./registry/discover.ts'),
  ]);
  const cluster = await targetCluster(settings);
  const transport = await imageTransport(cluster.kube, settings, cluster.provider.sharesDaemon);
  return transport.kind === 'registry' ? transport.push : undefined;
}

/** Whether the registry holds the tag. */
async function registryHas(registry: string, repository: string, tag: string): Promise<boolean> {
  const { registryClient } = await import('./registry/client.ts');
  return Boolean(await registryClient(registry).manifestDigest(repository, tag));
}

async function dockerProbe(app: string | undefined, shared: boolean): Promise<Probe | string> {
  const [
    { appImage, discoverApps, DEFAULT_NODE_BASE_IMAGE },
    { inspectImage },
    { contentRef },
    { workspaceRoot },
  ] = await Promise.all([
    import('./apps.ts'),
    import('./docker.ts'),
    import('./image-digest.ts'),
    import('./workspace-root.ts'),
  ]);
  const image = process.env.NODE_BASE_IMAGE || DEFAULT_NODE_BASE_IMAGE;
  const base = await inspectImage(image);
  const target = app && discoverApps(workspaceRoot).includes(app) ? appImage(app) : undefined;
  if (!base || !target) return `absent (no base image ${image}, or no app ${app})`;
  const { ref, repository, tag } = await contentRef(workspaceRoot, target, { image, id: base.id });
  const inDaemon = async () => Boolean(await inspectImage(ref));
  const registry = shared
    ? await pushRegistry((await import('./settings.ts')).loadSettings())
    : undefined;
  if (registry) {
    // The build is done for this machine when its daemon has the image or the registry does
    // (then nothing needs building: the load step finds it there).
    return {
      subject: `docker ${repository}:${tag} in ${registry}`,
      shared: true,
      problem: async () =>
        (await inDaemon()) || (await registryHas(registry, repository, tag))
          ? undefined
          : `absent (${ref} neither in the Docker daemon nor in ${registry})`,
    };
  }
  return {
    subject: `docker ${ref}`,
    problem: async () =>
      (await inDaemon()) ? undefined : `absent (${ref} not in the Docker daemon)`,
  };
}

/** Pure: the settings that decide where images travel, as a digest. */
export function transportSettingsDigest(settings: Settings): string {
  const { kubeContext, provider, registry, containerdAddress, minikubeProfile } = settings;
  return createHash('sha256')
    .update(JSON.stringify([kubeContext, provider, registry, containerdAddress, minikubeProfile]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Through a registry the check is the registry's answer for the content tag (an emptied or
 * recreated registry is noticed); side-loaded, it is the node's copy on this cluster.
 */
async function imageProbe(settings: Settings, app: string, shared: boolean): Promise<Probe> {
  const { readImageRecord } = await import('./deploy-inputs.ts');
  const record = await readImageRecord(app);
  const subject = `image ${record.repository}:${record.tag} ${transportSettingsDigest(settings)}`;
  const registry = shared ? await pushRegistry(settings) : undefined;
  if (registry) {
    return {
      subject,
      shared: true,
      problem: async () =>
        (await registryHas(registry, record.repository, record.tag))
          ? undefined
          : `absent (${record.image} not in ${registry})`,
    };
  }
  return {
    subject,
    problem: async () => {
      const [{ targetCluster }, { imageTransport }] = await Promise.all([
        import('./target-cluster.ts'),
        import('./registry/discover.ts'),
      ]);
      const cluster = await targetCluster(settings);
      const transport = await imageTransport(cluster.kube, settings, cluster.provider.sharesDaemon);
      if (transport.kind === 'registry') {
        return (await registryHas(transport.push, record.repository, record.tag))
          ? undefined
          : `absent (${record.image} not in ${transport.push})`;
      }
      return (await cluster.provider.hasImage(record.image))
        ? undefined
        : `absent (${record.image} not on the node)`;
    },
  };
}

async function releaseProbe(settings: Settings, shared: boolean): Promise<Probe> {
  const [inputs, { decideRelease, releaseFingerprint }] = await Promise.all([
    import('./deploy-inputs.ts'),
    import('./release-state.ts'),
  ]);
  const desired = await inputs.desiredRelease(settings, inputs.requiredSecrets(settings));
  return {
    subject: `release ${settings.kubeContext ?? '(current context)'} ${releaseFingerprint(desired)}`,
    // The release lives on the cluster, whichever machine deployed it.
    shared,
    problem: async () => {
      const [{ connect }, { fetchLiveRelease }] = await Promise.all([
        import('./kube.ts'),
        import('./release-live.ts'),
      ]);
      const kube = await connect(settings.kubeContext);
      const deployed = await fetchLiveRelease(kube, settings.namespace, settings.release);
      if (!deployed) return 'stale (no deployed release)';
      const decision = decideRelease(desired, deployed);
      return decision.upgrade || deployed.unanswered ? `stale (${decision.reason})` : undefined;
    },
  };
}

export async function probe(
  kind: string | undefined,
  app: string | undefined,
  shared = false,
): Promise<Probe | string> {
  if (kind === 'docker') return dockerProbe(app, shared);
  if (kind !== 'image' && kind !== 'release')
    return 'usage: deploy-state.ts docker <app> | image <app> | release';
  const { loadSettings } = await import('./settings.ts');
  const settings = loadSettings();
  return kind === 'image'
    ? imageProbe(settings, app ?? '', shared)
    : releaseProbe(settings, shared);
}

/**
 * Every module a probe loads: the resident server loads them while the first inputs of a run
 * compute their own answers, so that its first answers do not pay for it.
 */
export async function preload(): Promise<void> {
  await Promise.all([
    import('./apps.ts'),
    import('./deploy-inputs.ts'),
    import('./docker.ts'),
    import('./image-digest.ts'),
    import('./kube.ts'),
    import('./registry/client.ts'),
    import('./registry/discover.ts'),
    import('./release-live.ts'),
    import('./release-state.ts'),
    import('./runtime-ledger.ts'),
    import('./settings.ts'),
    import('./target-cluster.ts'),
  ]);
}

type Sighting = (subject: string) => Promise<{ token: string; first: boolean }>;

/**
 * The answer for a subject: `ok <token> <subject>` the first time the ledger meets it and
 * whenever the check passes, so that it reads the same before a step makes its state good and
 * after; otherwise the problem and a random nonce (a hash never seen: the step runs and
 * reports the real reason itself). With a shared cache, a shared subject is checked every
 * time and its good answer names no machine.
 */
export async function answer(found: Probe, sighting: Sighting, shared = false): Promise<string> {
  if (shared && found.shared) {
    const problem = await found.problem();
    return problem ? `${problem} ${randomUUID()}` : `ok shared ${found.subject}`;
  }
  const { token, first } = await sighting(found.subject);
  const problem = first ? undefined : await found.problem();
  return problem ? `${problem} ${randomUUID()}` : `ok ${token} ${found.subject}`;
}

/** The line a runtime input prints; a state it cannot tell (cluster unreachable) is a problem. */
export async function stateLine(
  kind: string | undefined,
  app: string | undefined,
  shared = sharedCache(process.env),
): Promise<string> {
  try {
    const found = await probe(kind, app, shared);
    if (typeof found === 'string') return `${found} ${randomUUID()}`;
    const { sight } = await import('./runtime-ledger.ts');
    return await answer(found, (subject) => sight(subject), shared);
  } catch (error) {
    return `unknown (${(error as Error).message.split('\n')[0]}) ${randomUUID()}`;
  }
}
