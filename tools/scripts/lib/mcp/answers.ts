/**
 * Pure: how the deploy's MCP tools put what they read into words. Every answer is text a model
 * (or a person) reads as is, short enough for a context window, and never holds a secret value:
 * Secrets are named, not shown.
 */
import { type SummaryLine, summaryText } from '../report.ts';

export type ClusterEvent = {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string };
  lastTimestamp?: string | null;
  eventTime?: string | null;
  metadata?: { creationTimestamp?: string };
};

const when = (event: ClusterEvent) =>
  event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp ?? '';

/** Newest last (as `kubectl get events` reads), at most `limit`, Warnings only if asked. */
export function eventLines(events: ClusterEvent[], limit: number, warningsOnly: boolean): string[] {
  const chosen = events
    .filter((event) => !warningsOnly || event.type === 'Warning')
    .sort((a, b) => when(a).localeCompare(when(b)))
    .slice(-limit);
  if (!chosen.length) return [warningsOnly ? 'no warning events' : 'no events'];
  return chosen.map((event) => {
    const object = `${event.involvedObject?.kind ?? '?'}/${event.involvedObject?.name ?? '?'}`;
    const times = event.count && event.count > 1 ? ` (x${event.count})` : '';
    return `${when(event)} ${event.type ?? ''} ${event.reason ?? ''} ${object}${times}: ${(event.message ?? '').trim()}`;
  });
}

export type DeployReport = {
  generatedAt: string;
  /** `<namespace>/<release>` the deploy acted on (reports before it was recorded have none). */
  release?: string;
  steps: SummaryLine[];
  urls: string[];
};

/** The last deploy's steps: what each did or why it was skipped; `release`: this server's. */
export function whyLines(report: DeployReport | undefined, release: string): string[] {
  if (!report) {
    return ['no deploy report in this workspace: run `npx nx run infra:deploy` first'];
  }
  const width = Math.max(...report.steps.map((line) => line.task.length), 4);
  const other =
    report.release && report.release !== release
      ? [
          `note: the last deploy in this workspace was of ${report.release}, not ${release}: its steps below say nothing about ${release}`,
        ]
      : [];
  return [
    ...other,
    `last deploy${report.release ? ` of ${report.release}` : ''}: ${report.generatedAt}`,
    ...report.steps.map((line) => summaryText(line, width)),
    ...report.urls.map((url) => `open: ${url}`),
  ];
}

/** Keeps the last `maxChars` of a long text (logs: the newest lines matter most). */
export function tail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(-maxChars);
  return `[... ${text.length - maxChars} earlier characters left out]\n${cut.slice(cut.indexOf('\n') + 1)}`;
}

export type K8sObject = { kind: string; metadata: { name: string }; [field: string]: unknown };

/** Kinds whose content is never put into an answer. */
const WITHHELD = new Set(['Secret']);
const MAX_PATHS = 8;

const show = (value: unknown) =>
  value === undefined ? '(none)' : JSON.stringify(value).slice(0, 120);

/** Pure: the paths where two values differ, each with both sides. */
function differences(want: unknown, have: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_PATHS + 1) return;
  if (JSON.stringify(want) === JSON.stringify(have)) return;
  const bothObjects =
    want &&
    have &&
    typeof want === 'object' &&
    typeof have === 'object' &&
    !Array.isArray(want) &&
    !Array.isArray(have);
  const bothArrays = Array.isArray(want) && Array.isArray(have) && want.length === have.length;
  if (bothObjects) {
    const a = want as Record<string, unknown>;
    const b = have as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      differences(a[key], b[key], path ? `${path}.${key}` : key, out);
    }
    return;
  }
  if (bothArrays) {
    want.forEach((item, index) => {
      differences(item, (have as unknown[])[index], `${path}[${index}]`, out);
    });
    return;
  }
  out.push(`${path}: deployed ${show(have)}, desired ${show(want)}`);
}

/**
 * Desired (the chart rendered with today's inputs) against deployed (the manifest Helm applied
 * for the running revision): objects to add, to remove, and the first fields that would change.
 */
export function objectDiff(desired: K8sObject[], deployed: K8sObject[]): string[] {
  const key = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;
  const have = new Map(deployed.map((object) => [key(object), object]));
  const want = new Map(desired.map((object) => [key(object), object]));
  const lines: string[] = [];
  for (const [name, object] of want) {
    const current = have.get(name);
    if (!current) {
      lines.push(`+ ${name}: would be created`);
      continue;
    }
    if (WITHHELD.has(object.kind)) {
      if (JSON.stringify(object) !== JSON.stringify(current)) {
        lines.push(`~ ${name}: would change (content withheld: it is a ${object.kind})`);
      }
      continue;
    }
    const paths: string[] = [];
    differences(object, current, '', paths);
    if (!paths.length) continue;
    lines.push(`~ ${name}:`);
    lines.push(...paths.slice(0, MAX_PATHS).map((path) => `    ${path}`));
    if (paths.length > MAX_PATHS) lines.push('    ... and more');
  }
  for (const name of have.keys()) {
    if (!want.has(name)) lines.push(`- ${name}: would be deleted`);
  }
  return lines.length ? lines : ['no object would change'];
}
