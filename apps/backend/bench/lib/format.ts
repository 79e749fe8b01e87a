export const formatInt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** autocannon reports whole milliseconds except for means; decimals only where they say something. */
export const formatMs = (n: number): string =>
  Number.isInteger(n) || n >= 100 ? n.toFixed(0) : n.toFixed(2);

export const formatDuration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

/** Includes the cause: fetch and pg hide the useful part there ("fetch failed" → ECONNREFUSED). */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
