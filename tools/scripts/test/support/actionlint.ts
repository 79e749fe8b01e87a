/**
 * actionlint, the GitHub Actions workflow checker, built from its Go module the first time
 * (about 10 s) into the user's cache, as the test cluster builds Kubernetes.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';

const MODULE = 'github.com/rhysd/actionlint/cmd/actionlint';
const VERSION = 'v1.7.12';

export async function ensureActionlint(): Promise<string> {
  const dir = join(homedir(), '.cache', 'todo-chatbot', 'actionlint', VERSION);
  const binary = join(dir, 'actionlint');
  if (existsSync(binary)) return binary;
  const go = await $({ nothrow: true, quiet: true })`go version`;
  if (go.exitCode !== 0)
    throw new Error('Go not found: actionlint is built from its Go module (install Go >= 1.24)');
  await $({
    quiet: true,
    env: { ...process.env, GOBIN: dir },
  })`go install ${`${MODULE}@${VERSION}`}`;
  return binary;
}
