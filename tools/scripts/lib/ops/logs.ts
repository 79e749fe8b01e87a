/**
 * `kubectl logs` for the release's components in one call: a set-based selector keeps the
 * streams of every pod interleaved in one output, each line prefixed with its pod and container.
 */
import { UserError } from '../command.ts';
import { COMPONENT_LABEL, INSTANCE_LABEL } from './release-view.ts';

/** User-facing component names and the chart's component label values. */
export const COMPONENTS = {
  backend: 'backend',
  frontend: 'frontend',
  database: 'postgresql',
  migrations: 'migrations',
} as const;
export type Component = keyof typeof COMPONENTS;
const DEFAULT_COMPONENTS: Component[] = ['backend', 'frontend', 'database'];

/** Lines per container when no --since is given (kubectl itself shows 10 with a selector). */
export const DEFAULT_TAIL = 100;

export type LogsOptions = {
  components: Component[];
  follow: boolean;
  since: string | undefined;
  tail: number | undefined;
};

export function resolveComponents(names: string[]): Component[] {
  if (names.length === 0 || names.includes('all')) return DEFAULT_COMPONENTS;
  for (const name of names) {
    if (!(name in COMPONENTS)) {
      throw new UserError(
        `unknown component "${name}": expected ${[...Object.keys(COMPONENTS), 'all'].join(', ')}`,
      );
    }
  }
  return [...new Set(names as Component[])];
}

/** kubectl's duration syntax (`30s`, `5m`, `2h`, `1h30m`), checked before kubectl sees it. */
export function checkSince(since: string | undefined): string | undefined {
  if (since !== undefined && !/^(\d+[smh])+$/.test(since)) {
    throw new UserError(`--since=${since} is not a duration: use e.g. 30s, 10m or 2h`);
  }
  return since;
}

export function logsArgs(namespace: string, release: string, options: LogsOptions): string[] {
  const labels = options.components.map((c) => COMPONENTS[c]);
  const componentSelector =
    labels.length === 1
      ? `${COMPONENT_LABEL}=${labels[0]}`
      : `${COMPONENT_LABEL} in (${labels.join(',')})`;
  const tail = options.tail ?? (options.since ? -1 : DEFAULT_TAIL);
  return [
    'logs',
    '--namespace',
    namespace,
    '--selector',
    `${INSTANCE_LABEL}=${release},${componentSelector}`,
    '--all-containers',
    '--prefix',
    `--tail=${tail}`,
    // kubectl stops at 5 concurrent streams by default; a scaled-out release has more pods.
    '--max-log-requests=20',
    // A pod that is gone or still starting must not end everybody else's stream.
    '--ignore-errors',
    ...(options.since ? [`--since=${options.since}`] : []),
    ...(options.follow ? ['--follow'] : []),
  ];
}
