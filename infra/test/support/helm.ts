/**
 * Runs the real helm binary against the chart and parses what it renders.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { parseAllDocuments } from 'yaml';

export const CHART = fileURLToPath(new URL('../../helm/todo-chatbot', import.meta.url));
export const RELEASE = 'demo';
export const NAMESPACE = 'todo';
const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

export const fixture = (path: string) => `${FIXTURES}/${path}`;

/** The value sets every render-level test runs under: name -> values files. */
export const VALUE_SETS: Record<string, string[]> = {
  defaults: [],
  local: [`${CHART}/values.local.yaml`],
  'external-database': [fixture('values/external-database.yaml')],
  ingress: [fixture('values/ingress.yaml')],
  autoscaling: [fixture('values/autoscaling.yaml')],
  'network-policy': [fixture('values/network-policy.yaml')],
  worker: [fixture('values/worker.yaml')],
};

export type Manifest = { apiVersion: string; kind: string; metadata: any; [field: string]: any };

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): Promise<HelmResult> {
  return new Promise((resolve) => {
    execFile(
      inject('helm'),
      args,
      // No cluster: helm must not pick up a developer's kubeconfig and call out to it.
      { env: { ...process.env, KUBECONFIG: '/dev/null' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface RenderOptions {
  values?: string[];
  /** --set pairs, e.g. { 'backend.replicaCount': '3' }. */
  set?: Record<string, string>;
  /** --set-string pairs: what the pipeline must use for image tags (a digest may be all digits). */
  setString?: Record<string, string>;
}

export function valueArgs({ values = [], set = {}, setString = {} }: RenderOptions): string[] {
  return [
    ...values.flatMap((file) => ['--values', file]),
    ...Object.entries(set).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
    ...Object.entries(setString).flatMap(([key, value]) => ['--set-string', `${key}=${value}`]),
  ];
}

const renders = new Map<string, Promise<Manifest[]>>();

/** `helm template` parsed into manifests (hooks and test pods included); memoised per options. */
export function render(options: RenderOptions = {}): Promise<Manifest[]> {
  const key = JSON.stringify(options);
  let rendered = renders.get(key);
  if (!rendered) {
    rendered = (async () => {
      const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE, ...valueArgs(options)];
      const result = await helm(args);
      if (result.code !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}`);
      return parseManifests(result.stdout);
    })();
    renders.set(key, rendered);
  }
  return rendered;
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw doc.errors[0];
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

export const renderSet = (name: string) => render({ values: VALUE_SETS[name] });

/** The resource of a kind whose name ends with `-suffix` (e.g. "backend"); undefined when absent. */
export function find(manifests: Manifest[], kind: string, suffix: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && m.metadata.name.endsWith(`-${suffix}`));
}

export function get(manifests: Manifest[], kind: string, suffix: string): Manifest {
  const found = find(manifests, kind, suffix);
  if (!found) throw new Error(`no ${kind} named *-${suffix} rendered`);
  return found;
}

export const hookOf = (m: Manifest): string | undefined => m.metadata.annotations?.['helm.sh/hook'];

export interface PodTemplate {
  owner: Manifest;
  metadata: any;
  spec: any;
}

/** Every pod the release can create: workload templates, hook Jobs and test pods. */
export function podTemplates(manifests: Manifest[]): PodTemplate[] {
  return manifests.flatMap((m): PodTemplate[] => {
    if (m.kind === 'Pod') return [{ owner: m, metadata: m.metadata, spec: m.spec }];
    if (['Deployment', 'StatefulSet', 'Job', 'DaemonSet', 'ReplicaSet'].includes(m.kind)) {
      return [{ owner: m, metadata: m.spec.template.metadata, spec: m.spec.template.spec }];
    }
    return [];
  });
}

export function containersOf(spec: any): any[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Does a label selector's matchLabels (or a Service's selector map) select these labels? */
export function selects(selector: Record<string, string>, labels: Record<string, string> = {}) {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
