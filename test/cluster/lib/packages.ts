/**
 * The Debian packages the node runs on. cluster-up installs the missing ones itself when
 * it runs as root, so a fresh CI machine needs nothing but this repository.
 */

import { info, step } from '@todo/scripts/lib/log.ts';
import { $ } from 'zx';
import { SCOPE } from './config.ts';

/** Package -> why the node needs it. */
export const REQUIRED_PACKAGES: Record<string, string> = {
  containerd: 'container runtime (CRI) of the node',
  runc: 'OCI runtime containerd starts containers with',
  'containernetworking-plugins': 'CNI bridge, host-local, portmap and loopback plugins',
  iptables: 'kube-proxy service rules, CNI masquerading and NetworkPolicy rules',
  ipset: 'the NetworkPolicy controller matches pod addresses through ipsets',
  conntrack: 'kube-proxy clears stale UDP flows with it',
  openssl: 'certificates of the cluster',
  debootstrap: 'root filesystem of the PostgreSQL stand-in image',
  'ca-certificates': 'trusted CAs copied into the stand-in images',
};

/**
 * Which of the required packages are not installed, given `dpkg-query -W -f
 * '${Package} ${db:Status-Abbrev}\n'` output ("ii " means installed).
 */
export function missingPackages(dpkgOutput: string, required: string[]): string[] {
  const installed = new Set(
    dpkgOutput
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, status]) => status === 'ii')
      .map(([name]) => name),
  );
  return required.filter((name) => !installed.has(name));
}

export async function ensurePackages(): Promise<void> {
  const required = Object.keys(REQUIRED_PACKAGES);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format
  const format = '${Package} ${db:Status-Abbrev}\n';
  const query = await $({ nothrow: true, quiet: true })`dpkg-query -W -f ${format} ${required}`;
  const missing = missingPackages(query.stdout, required);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages, run as root: apt-get install -y ${missing.join(' ')}`,
    );
  }
  await step(SCOPE, `apt-get install ${missing.join(' ')}`, async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = $({ env, quiet: true, nothrow: true });
    if ((await install`apt-get install -y --no-install-recommends ${missing}`).exitCode !== 0) {
      // A fresh machine may have no package lists yet.
      await $({ env, quiet: true })`apt-get update`;
      await $({ env, quiet: true })`apt-get install -y --no-install-recommends ${missing}`;
    }
  });
  info(SCOPE, `installed ${missing.join(', ')}`);
}
