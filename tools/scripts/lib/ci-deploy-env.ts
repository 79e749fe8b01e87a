/**
 * What the CI deploy job (ci-deploy.ts) adds to the environment of the deploy: the cluster's
 * kubeconfig from a CI secret, and on a cluster the job made for itself a JWT secret of its own.
 * A cluster that outlives the job needs the same JWT secret every deploy (a new one signs
 * everybody out and restarts the backend), so there it must come from the CI's secrets.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from './command.ts';

/** Pure: a kubeconfig secret as YAML, whether the CI stored it as YAML or as base64. */
export function kubeconfigText(data: string): string {
  const trimmed = data.trim();
  if (/^(apiVersion|kind|clusters|contexts|current-context|users)\s*:/m.test(trimmed))
    return `${trimmed}\n`;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  if (/^(apiVersion|clusters)\s*:/m.test(decoded)) return decoded;
  throw new UserError(
    'KUBECONFIG_DATA is neither a kubeconfig nor one in base64: store the file itself (or base64 -w0 of it) in the CI secret',
  );
}

/**
 * Pure: the JWT secret to add, if any. `ephemeral`: DEPLOY_EPHEMERAL_CLUSTER=true, set by a job
 * that created its cluster (kind) and deletes it with the runner.
 */
export function jwtSecretFor(hasJwt: boolean, ephemeral: boolean): string | undefined {
  if (hasJwt) return undefined;
  if (ephemeral) return randomBytes(32).toString('hex');
  throw new UserError(
    'JWT_SECRET is not set: add it to the CI secrets (openssl rand -hex 32), the same value for every deploy to this cluster',
  );
}
