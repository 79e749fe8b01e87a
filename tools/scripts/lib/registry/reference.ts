/**
 * How a registry is written in DEPLOY_REGISTRY and the KEP-1755 ConfigMap. No imports: the
 * settings module validates with it on every pipeline start.
 */

/** host[:port] then optional lower-case path segments, as Docker spells a registry. */
const REGISTRY_PATTERN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export const REGISTRY_SETTING_HELP =
  'expected auto, off, or a registry as Docker names it: host[:port][/path], e.g. localhost:5001 or ghcr.io/acme, without https://';

/** Pure: why a DEPLOY_REGISTRY value is not usable, or undefined when it is. */
export function registrySettingProblem(value: string): string | undefined {
  if (value === 'auto' || value === 'off') return undefined;
  if (/^[a-z]+:\/\//i.test(value)) return `${REGISTRY_SETTING_HELP} (drop the scheme)`;
  if (value.endsWith('/')) return `${REGISTRY_SETTING_HELP} (drop the trailing /)`;
  if (!REGISTRY_PATTERN.test(value)) return REGISTRY_SETTING_HELP;
  const host = value.split('/')[0] ?? '';
  // Docker reads a first part without a dot, a port or "localhost" as a Docker Hub user.
  if (!/[.:[]/.test(host) && host !== 'localhost') {
    return `${REGISTRY_SETTING_HELP} (${host} is not a registry host: for Docker Hub write docker.io/${value})`;
  }
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port && (Number(port) < 1 || Number(port) > 65535))
    return `${REGISTRY_SETTING_HELP} (port ${port} is out of range)`;
  return undefined;
}

/** Pure: `<registry>/<repository>`, the name an image has in (and is pulled from) a registry. */
export function inRegistry(registry: string, repository: string): string {
  return `${registry}/${repository}`;
}

/** Pure: `host[:port][/path]` split into the host and the repository prefix it implies. */
export function splitRegistry(registry: string): { host: string; prefix: string } {
  const slash = registry.indexOf('/');
  return slash < 0
    ? { host: registry, prefix: '' }
    : { host: registry.slice(0, slash), prefix: `${registry.slice(slash + 1)}/` };
}
