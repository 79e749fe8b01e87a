/**
 * What cluster-down removes from the host besides the processes: iptables chains of
 * kube-proxy and the NetworkPolicy controller (KUBE-*) and of the CNI plugins (CNI-*), the
 * controller's ipsets, the pod bridge, mounts kubelet and containerd left under the
 * cluster's folders, and pod network namespaces.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import { paths, runDir, stateDir } from './config.ts';
import { BRIDGE } from './containerd.ts';

const OURS = /^(KUBE|CNI)-/;

/**
 * An `iptables-restore --noflush` script that removes the cluster's chains from one
 * iptables-save dump: rules in other chains that jump to them are deleted first, then
 * our chains are flushed and removed. Other chains and rules are left untouched.
 * Returns '' when there is nothing to remove.
 */
export function iptablesCleanupScript(save: string): string {
  const out: string[] = [];
  let table: string | undefined;
  let lines: string[] = [];
  let chains: string[] = [];
  const flushTable = () => {
    if (table && (lines.length > 0 || chains.length > 0)) {
      out.push(
        `*${table}`,
        ...lines,
        ...chains.map((c) => `-F ${c}`),
        ...chains.map((c) => `-X ${c}`),
        'COMMIT',
      );
    }
    lines = [];
    chains = [];
  };
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) {
      flushTable();
      table = line.slice(1).trim();
    } else if (line.startsWith(':')) {
      const chain = line.slice(1).split(' ')[0] ?? '';
      if (OURS.test(chain)) chains.push(chain);
    } else if (line.startsWith('-A ')) {
      const [, chain = '', ...rest] = line.split(' ');
      const jump = / -[jg] (\S+)/.exec(line)?.[1] ?? '';
      if (!OURS.test(chain) && OURS.test(jump)) lines.push(`-D ${chain} ${rest.join(' ')}`);
    }
  }
  flushTable();
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** Mount points in /proc/self/mountinfo under any of `roots`, deepest first. */
export function mountsUnder(mountinfo: string, roots: string[]): string[] {
  const decodeOctal = (path: string) =>
    path.replace(/\\([0-7]{3})/g, (_, octal: string) =>
      String.fromCharCode(Number.parseInt(octal, 8)),
    );
  return mountinfo
    .split('\n')
    .map((line) => decodeOctal(line.split(' ')[4] ?? ''))
    .filter((mount) => roots.some((root) => mount === root || mount.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
}

export async function removeIptablesChains(): Promise<void> {
  for (const family of ['iptables', 'ip6tables']) {
    const save = await $({ nothrow: true, quiet: true })`${family}-save`;
    if (save.exitCode !== 0) continue;
    const script = iptablesCleanupScript(save.stdout);
    if (script) await $({ quiet: true, input: script })`${family}-restore --noflush`;
  }
}

/**
 * The NetworkPolicy controller's ipsets in `ipset list -n` output: kube-router names them
 * KUBE-SRC-* and KUBE-DST-* (with an inet6: prefix for IPv6).
 */
export function policyIpsets(names: string): string[] {
  return names
    .split('\n')
    .map((name) => name.trim())
    .filter((name) => /^(inet6:)?KUBE-(SRC|DST)-/.test(name));
}

/** Destroys the controller's ipsets; run after the chains that match on them are gone. */
export async function removeIpsets(): Promise<void> {
  const list = await $({ nothrow: true, quiet: true })`ipset list -n`;
  if (list.exitCode !== 0) return;
  for (const name of policyIpsets(list.stdout)) {
    await $({ nothrow: true, quiet: true })`ipset destroy ${name}`;
  }
}

/** Pod network namespaces the CRI plugin created (it names them cni-<uuid>). */
async function podNetns(): Promise<string[]> {
  const names = await readdir('/run/netns').catch(() => [] as string[]);
  return names.filter((name) => name.startsWith('cni-')).map((name) => join('/run/netns', name));
}

export async function removeHostLeftovers(): Promise<void> {
  await $({ nothrow: true, quiet: true })`ip link delete ${BRIDGE}`;
  const netns = await podNetns();
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  for (const mount of mountsUnder(mountinfo, [stateDir, runDir, ...netns])) {
    const result = await $({ nothrow: true, quiet: true })`umount ${mount}`;
    if (result.exitCode !== 0) await $({ nothrow: true, quiet: true })`umount --lazy ${mount}`;
  }
  for (const file of netns) await rm(file, { force: true });
  // kubelet's cgroup tree (cgroupfs driver); only empty cgroups can go, so `rmdir`
  // depth-first removes exactly what no process uses any more.
  const cgroupRoots = await readdir('/sys/fs/cgroup').catch(() => [] as string[]);
  for (const controller of cgroupRoots) {
    const tree = join('/sys/fs/cgroup', controller, 'kubepods');
    await $({ nothrow: true, quiet: true })`find ${tree} -depth -type d -delete`;
  }
}

/** Removes the cluster's state except the component logs, which stay for debugging. */
export async function removeState(): Promise<void> {
  // rm -r through a mount that is still there would delete what it shows.
  const mounted = mountsUnder(await readFile('/proc/self/mountinfo', 'utf8'), [stateDir, runDir]);
  if (mounted.length > 0) {
    throw new Error(`still mounted, state kept (umount them and re-run): ${mounted.join(', ')}`);
  }
  const entries = await readdir(stateDir).catch(() => [] as string[]);
  for (const entry of entries) {
    if (join(stateDir, entry) !== paths.logs) {
      await rm(join(stateDir, entry), { recursive: true, force: true });
    }
  }
  await rm(runDir, { recursive: true, force: true });
}
