/**
 * Kubernetes resource quantities as numbers (CPU in cores, memory in bytes) and back, for the
 * checks that compare what the chart asks for with what a quota or a node allows.
 */

/** CPU quantity (`2`, `1500m`) in cores. */
export function parseCpu(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Memory quantity (`4025360Ki`, `4Gi`, `4000M`, bytes) in bytes; NaN when unreadable. */
export function parseMemory(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([kMGT]i?|Ki)?$/.exec(quantity.trim());
  if (!match) return Number.NaN;
  const factor = MEMORY_UNITS[match[2] ?? ''];
  return factor === undefined ? Number.NaN : Number(match[1]) * factor;
}

/** Pure: cores as people read them: millicores below one (`250m`), else cores (`2`, `1.5`). */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return Math.abs(milli) < 1000 ? `${milli}m` : String(milli / 1000);
}

/** Pure: bytes in the largest binary unit that keeps them readable (`96Mi`, `1.5Gi`). */
export function formatMemory(bytes: number): string {
  for (const [unit, factor] of [
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ] as const) {
    if (bytes >= factor) return `${Number((bytes / factor).toFixed(2))}${unit}`;
  }
  return String(Math.round(bytes));
}
