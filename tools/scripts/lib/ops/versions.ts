/**
 * Version strings of kubectl and the Kubernetes API server, as they print them: `v1.33.9`,
 * `v1.30.4+k3s1`, `v1.29.2-gke.1521000`. Only major.minor.patch matter for compatibility.
 */

export type Version = { major: number; minor: number; patch: number; text: string };

export function parseVersion(text: string): Version | undefined {
  const match = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    text: `v${match[1]}.${match[2]}.${match[3] ?? 0}`,
  };
}

/** Negative, zero or positive, as Array.sort expects. */
export function compareVersions(a: Omit<Version, 'text'>, b: Omit<Version, 'text'>): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function atLeast(version: Version, minimum: string): boolean {
  const min = parseVersion(minimum);
  if (!min) throw new Error(`bad minimum version ${minimum}`);
  return compareVersions(version, min) >= 0;
}
