/**
 * Deploy settings, parsed and validated once: the process environment wins over `.env`, which
 * wins over the defaults. Every pipeline command reads them through `loadSettings`, so a bad
 * value fails the same way everywhere, naming the variable and where it came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';
import { UserError } from './command.ts';
import { parseEnvFile } from './env-file.ts';
import { PROVIDER_NAMES } from './providers/detect.ts';
import { registrySettingProblem } from './registry/reference.ts';
import { STATE_SERVER_MODES } from './state-server.ts';
import { workspaceRoot } from './workspace-root.ts';

export { workspaceRoot };

/** Keys of `.env` that go into the Kubernetes Secret and never anywhere else. */
export const SECRET_KEYS = ['JWT_SECRET', 'LLM_API_KEY', 'DATABASE_URL'] as const;
/** Secret keys the app cannot run without in a cluster (it runs with NODE_ENV=production). */
export const REQUIRED_SECRET_KEYS = ['JWT_SECRET'] as const;
/** Non-secret backend settings of `.env` that follow the app into the cluster, as chart values. */
export const APP_CONFIG_VALUES = {
  LOG_LEVEL: 'backend.config.logLevel',
  LLM_PROVIDER: 'backend.config.llm.provider',
  LLM_BASE_URL: 'backend.config.llm.baseUrl',
  LLM_MODEL: 'backend.config.llm.model',
} as const;

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/, 'expected lower-case letters, digits and -');

const schema = z.object({
  KUBE_CONTEXT: z.string().trim().min(1).optional(),
  DEPLOY_NAMESPACE: dnsLabel.default('todo-chatbot'),
  DEPLOY_RELEASE: dnsLabel.default('todo-chatbot'),
  DEPLOY_PROVIDER: z.enum(['auto', ...PROVIDER_NAMES]).default('auto'),
  DEPLOY_TIMEOUT_SECONDS: z.coerce
    .number({ message: 'expected a number of seconds' })
    .int()
    .min(10, 'expected at least 10 seconds')
    .default(300),
  DEPLOY_UNSCHEDULABLE_SECONDS: z.coerce
    .number({ message: 'expected a number of seconds (0: wait out DEPLOY_TIMEOUT_SECONDS)' })
    .int('expected a whole number of seconds (0: wait out DEPLOY_TIMEOUT_SECONDS)')
    .min(0, 'expected a number of seconds (0: wait out DEPLOY_TIMEOUT_SECONDS)')
    .default(60),
  DEPLOY_LOCK_WAIT_SECONDS: z.coerce
    .number({ message: 'expected a number of seconds (0: do not wait)' })
    .int('expected a whole number of seconds (0: do not wait)')
    .min(0, 'expected a number of seconds (0: do not wait)')
    .default(600),
  DEPLOY_VALUES: z.string().default('infra/helm/todo-chatbot/values.local.yaml'),
  CONTAINERD_ADDRESS: z.string().min(1).default('/run/containerd/containerd.sock'),
  MINIKUBE_PROFILE: z.string().trim().min(1).optional(),
  DEPLOY_REGISTRY: z
    .string()
    .trim()
    .default('auto')
    .superRefine((value, ctx) => {
      const problem = registrySettingProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  // Read by the runtime inputs from the environment alone (lib/state-server.ts); checked here
  // so that a typo is named by every step instead of quietly meaning off.
  DEPLOY_STATE_SERVER: z.enum(STATE_SERVER_MODES).default('auto'),
});

/** Every deploy setting a user can set (documented in .env.example; a test checks it). */
export const SETTING_KEYS = Object.keys(schema.shape);

export type Settings = {
  /** The kube context to use; undefined means kubectl's current context. */
  kubeContext: string | undefined;
  namespace: string;
  release: string;
  provider: 'auto' | (typeof PROVIDER_NAMES)[number];
  timeoutSeconds: number;
  /**
   * How long a pod of the release may stay unschedulable before the upgrade stops and says why
   * (0: never early; the upgrade waits out timeoutSeconds).
   */
  unschedulableSeconds: number;
  /** How long an upgrade waits for another deploy of the release to finish (0: fail at once). */
  lockWaitSeconds: number;
  /** Values files passed to Helm after the chart's own, workspace-relative or absolute. */
  valuesFiles: string[];
  containerdAddress: string;
  minikubeProfile: string | undefined;
  /** DEPLOY_REGISTRY: auto (what the cluster advertises, else side-load), off, or a registry. */
  registry: string;
  /** Name of the Secret the pipeline writes from `.env` and the chart reads. */
  secretName: string;
  envFile: string;
  /** The secret keys of `.env` (or of the environment) that are set. */
  secrets: Partial<Record<(typeof SECRET_KEYS)[number], string>>;
  /** Chart values from the non-secret app settings that are set (see APP_CONFIG_VALUES). */
  appValues: Record<string, string>;
};

export class SettingsError extends UserError {}

/** The `.env` of the workspace, or DEPLOY_ENV_FILE. A missing file is an empty one. */
function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnvFile(readFileSync(path, 'utf8'), relative(process.cwd(), path) || path);
}

/** Pure: settings from the merged variables, or a SettingsError naming each bad variable. */
export function parseSettings(
  variables: Record<string, string | undefined>,
  envFile: string,
): Settings {
  const present = Object.fromEntries(
    Object.entries(variables).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message} (set in the environment or ${envFile})`,
    );
    throw new SettingsError(lines.join('\n'));
  }
  const env = result.data;
  const secrets: Settings['secrets'] = {};
  for (const key of SECRET_KEYS) if (present[key]) secrets[key] = present[key];
  const appValues: Record<string, string> = {};
  for (const [key, path] of Object.entries(APP_CONFIG_VALUES)) {
    if (present[key]) appValues[path] = present[key];
  }
  return {
    kubeContext: env.KUBE_CONTEXT,
    namespace: env.DEPLOY_NAMESPACE,
    release: env.DEPLOY_RELEASE,
    provider: env.DEPLOY_PROVIDER,
    timeoutSeconds: env.DEPLOY_TIMEOUT_SECONDS,
    unschedulableSeconds: env.DEPLOY_UNSCHEDULABLE_SECONDS,
    lockWaitSeconds: env.DEPLOY_LOCK_WAIT_SECONDS,
    valuesFiles: env.DEPLOY_VALUES.split(',')
      .map((file) => file.trim())
      .filter(Boolean)
      .map((file) => (isAbsolute(file) ? file : join(workspaceRoot, file))),
    containerdAddress: env.CONTAINERD_ADDRESS,
    minikubeProfile: env.MINIKUBE_PROFILE,
    registry: env.DEPLOY_REGISTRY,
    secretName: `${env.DEPLOY_RELEASE}-secrets`,
    envFile,
    secrets,
    appValues,
  };
}

/** Settings from the environment and `.env` (DEPLOY_ENV_FILE chooses another file). */
export function loadSettings(environment: NodeJS.ProcessEnv = process.env): Settings {
  const envFile = environment.DEPLOY_ENV_FILE ?? join(workspaceRoot, '.env');
  return parseSettings({ ...readEnvFile(envFile), ...environment }, envFile);
}
