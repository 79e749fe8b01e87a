/**
 * Brings up the project's single-node test Kubernetes on this host, or confirms it is up.
 * Idempotent: on a running, healthy cluster every phase is a quick check, and with the
 * Go binaries cached a stopped cluster starts in about a minute. Prints the kube context
 * and each phase's duration; on failure, the failing component's log tail.
 *
 * Usage (as root): node test/cluster/cluster-up.ts, or npx nx run e2e:cluster-up
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertDockerAvailable } from '@todo/scripts/lib/docker.ts';
import { info, step } from '@todo/scripts/lib/log.ts';
import { ensureKubeTools } from '@todo/test-support/kube-tools';
import { applyAddons } from './lib/addons.ts';
import { ensureCerts } from './lib/certs.ts';
import { components, linkKubeCommands, writeComponentConfigs } from './lib/components.ts';
import { binDir, CONTEXT, paths, REGISTRY_HOST, SCOPE } from './lib/config.ts';
import { containerdConfigPath, writeContainerdConfigs } from './lib/containerd.ts';
import { digestFiles } from './lib/digest.ts';
import { buildPrograms } from './lib/go-build.ts';
import { assertRoot, nodeIdentity, prepareKernel } from './lib/host.ts';
import { buildImages, importImages } from './lib/images.ts';
import { writeKubeconfigs } from './lib/kubeconfig.ts';
import { ensurePackages } from './lib/packages.ts';
import { type Component, logTail, runningPid, startComponent } from './lib/processes.ts';
import {
  linkRegistryCommand,
  registryConfigPath,
  registryInputs,
  writeRegistryConfigs,
} from './lib/registry.ts';
import {
  ComponentError,
  deploymentAvailable,
  metricsApiAvailable,
  nodeReady,
  READY_CHECKS,
  waitFor,
} from './lib/wait.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts components (skipping running ones) and waits until each is serving. */
async function startAll(list: Component[]): Promise<void> {
  const results = [];
  for (const component of list) results.push({ component, ...(await startComponent(component)) });
  for (const { component, started } of results) {
    const check = READY_CHECKS[component.name];
    if (check) {
      await waitFor(component, `${component.name} to be ready`, check);
    } else if (started) {
      // No health endpoint without credentials: a process alive after a moment has at
      // least parsed its flags and config.
      await sleep(1000);
      await waitFor(component, `${component.name} to stay up`, async () =>
        Boolean(runningPid(component)),
      );
    }
  }
}

async function main(): Promise<void> {
  assertRoot();
  await step(SCOPE, 'Debian packages', ensurePackages);
  await assertDockerAvailable();
  const kubectl = (await ensureKubeTools()).kubectl;
  await step(SCOPE, `Go binaries (cache: ${binDir})`, async () => {
    await buildPrograms();
    await linkKubeCommands();
    await linkRegistryCommand();
  });
  await step(SCOPE, 'images (pause, CoreDNS, PostgreSQL stand-in)', buildImages);

  const node = await nodeIdentity();
  await step(SCOPE, `host, certificates and configs (node ${node.name} ${node.ip})`, async () => {
    await prepareKernel();
    for (const dir of [
      paths.configs,
      paths.logs,
      paths.volumes,
      paths.podLogs,
      paths.kubeletRoot,
    ]) {
      await mkdir(dir, { recursive: true });
    }
    const issued = await ensureCerts(node);
    if (issued.length > 0) info(SCOPE, `issued certificates: ${issued.join(', ')}`);
    await writeKubeconfigs();
    await writeContainerdConfigs();
    await writeRegistryConfigs();
    await writeComponentConfigs(node);
  });

  // A component restarts when what it reads changed: its config, the PKI or the binary.
  const ownConfigs = [containerdConfigPath(), registryConfigPath()];
  const kubeConfigs = (await readdir(paths.configs))
    .map((name) => join(paths.configs, name))
    .filter((file) => !ownConfigs.includes(file));
  const kubeInputs = await digestFiles([...kubeConfigs, paths.pki, join(binDir, 'kube.stamp')]);
  const inputs: Record<string, string> = {
    containerd: await digestFiles([containerdConfigPath()]),
    registry: await registryInputs(),
  };
  const all = components(node).map((component) => ({
    ...component,
    inputs: inputs[component.name] ?? kubeInputs,
  }));
  const byName = (...names: string[]) => all.filter((component) => names.includes(component.name));

  await step(SCOPE, 'containerd, registry and images', async () => {
    await startAll(byName('containerd', 'registry'));
    await importImages();
  });
  await step(SCOPE, 'etcd and kube-apiserver', () => startAll(byName('etcd', 'kube-apiserver')));
  await step(SCOPE, 'controllers, kubelet, kube-proxy', () =>
    startAll(byName('kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy')),
  );
  const kubelet = byName('kubelet')[0] as Component;
  await step(SCOPE, 'node Ready', () =>
    waitFor(kubelet, `node ${node.name} to be Ready`, () => nodeReady(node), 120_000),
  );
  // The provisioner and the policy controller start once their RBAC rules exist, so their
  // logs show no denials.
  await step(
    SCOPE,
    'addons (CoreDNS, StorageClass and its provisioner, NetworkPolicy controller, metrics-server, RBAC, local-registry-hosting)',
    async () => {
      await applyAddons(node);
      await startAll(byName('hostpath-provisioner', 'network-policy', 'metrics-server'));
    },
  );
  const metricsServer = byName('metrics-server')[0] as Component;
  await step(SCOPE, 'metrics API available', () =>
    waitFor(
      metricsServer,
      'the metrics.k8s.io APIService to be Available',
      metricsApiAvailable,
      120_000,
    ),
  );
  await step(SCOPE, 'CoreDNS ready', () =>
    waitFor(
      kubelet,
      'CoreDNS to be available',
      () => deploymentAvailable('kube-system', 'coredns'),
      120_000,
    ),
  );

  info(SCOPE, `cluster is up: context ${CONTEXT}`);
  info(SCOPE, `  export KUBECONFIG=${paths.kubeconfig}`);
  info(SCOPE, `  ${kubectl} get nodes`);
  info(SCOPE, `  image registry: docker push ${REGISTRY_HOST}/<name>:<tag>`);
  info(SCOPE, `  component logs: ${paths.logs}`);
}

if (import.meta.main) {
  const started = performance.now();
  try {
    await main();
    info(SCOPE, `cluster-up took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[${SCOPE}] cluster-up failed: ${message}`);
    if (error instanceof ComponentError) {
      console.error(`[${SCOPE}] last lines of ${join(paths.logs, `${error.component}.log`)}:`);
      console.error(await logTail(error.component));
    }
    console.error(`[${SCOPE}] logs of every component: ${paths.logs}`);
    process.exit(1);
  }
}
