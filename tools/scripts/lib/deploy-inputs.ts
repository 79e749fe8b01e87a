/**
 * Everything a deploy hands to the cluster, gathered in one place so that `helm-deploy` and the
 * Nx runtime inputs (deploy-state.ts) compute the very same fingerprint: the images as
 * `minikube-load` delivered them, the secrets from `.env`, the chart and values files.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { discoverApps } from './apps.ts';
import { UserError } from './command.ts';
import {
  type DeliveryRecord,
  deliveryRecordPath,
  type ImageRecord,
  imageRecordPath,
  readJsonRecord,
} from './image-record.ts';
import { chartDigest, type DesiredRelease, secretDigest } from './release-state.ts';
import { REQUIRED_SECRET_KEYS, type Settings, workspaceRoot } from './settings.ts';

export const CHART_DIR = join(workspaceRoot, 'infra', 'helm', 'todo-chatbot');

async function readRecord<T>(path: string, name: string, target: string): Promise<T> {
  const record = await readJsonRecord<T>(path);
  if (!record) {
    throw new UserError(
      `dist/images/${name} is missing: run \`npx nx run ${target}\` (or the whole \`npx nx run infra:deploy\`)`,
    );
  }
  return record;
}

export function readImageRecord(app: string): Promise<ImageRecord> {
  return readRecord(imageRecordPath(app), `${app}.json`, `${app}:docker-build`);
}

/** What minikube-load delivered: the reference the nodes run (through a registry or not). */
export function readDeliveryRecord(app: string): Promise<DeliveryRecord> {
  return readRecord(deliveryRecordPath(app), `${app}.delivered.json`, `${app}:minikube-load`);
}

/** Secret values from the settings; fails naming each missing required key and the fix. */
export function requiredSecrets(settings: Settings): Record<string, string> {
  const missing = REQUIRED_SECRET_KEYS.filter((key) => !settings.secrets[key]);
  if (missing.length) {
    throw new UserError(
      `${missing.join(', ')} not set in ${settings.envFile} or the environment: add e.g. JWT_SECRET=$(openssl rand -hex 32) (see .env.example)`,
    );
  }
  return { ...settings.secrets } as Record<string, string>;
}

/** Pure: the flat dotted values as the nested YAML document Helm reads with --values. */
export function valuesDocument(values: Record<string, string | boolean>): string {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values).sort(([a], [b]) => a.localeCompare(b))) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let node = root;
    for (const key of keys) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[last] = value;
  }
  return `# Written by tools/scripts/helm-deploy.ts: the pipeline's values, no secrets.\n${stringify(root)}`;
}

export async function desiredRelease(
  settings: Settings,
  secrets: Record<string, string>,
): Promise<DesiredRelease> {
  const values: Record<string, string | boolean> = {
    'secrets.existingSecret': settings.secretName,
    'secrets.checksum': secretDigest(secrets),
    // The chart cannot look into the Secret: a DATABASE_URL there means an external database.
    'externalDatabase.enabled': Boolean(secrets.DATABASE_URL),
    ...settings.appValues,
  };
  const images: Record<string, string> = {};
  const migrations: string[] = [];
  for (const app of discoverApps(workspaceRoot)) {
    const [record, built] = await Promise.all([readDeliveryRecord(app), readImageRecord(app)]);
    values[`${app}.image.repository`] = record.repository;
    values[`${app}.image.tag`] = record.tag;
    images[app] = record.image;
    if (built.migrations) migrations.push(built.migrations);
  }
  return {
    namespace: settings.namespace,
    release: settings.release,
    chartDigest: await chartDigest(CHART_DIR, settings.valuesFiles, workspaceRoot),
    values,
    images,
    // A label value: hex digests joined by dots.
    migrations: migrations.join('.') || 'none',
  };
}
