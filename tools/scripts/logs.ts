/**
 * `npx nx run infra:logs -- [backend|frontend|database|migrations|all ...] [--follow]
 * [--since=10m] [--tail=N]`: the release's logs from every matching pod and container in one
 * stream, each line prefixed with `[pod/<name>/<container>]`.
 */
import { $ } from 'zx/core';
import { runCommand, UserError } from './lib/command.ts';
import { info } from './lib/log.ts';
import { DEPLOY_COMMAND, parseCommandArgs, positiveInt } from './lib/ops/cli.ts';
import { checkSince, logsArgs, resolveComponents } from './lib/ops/logs.ts';
import { releaseTarget, streamingKubectl } from './lib/ops/release-target.ts';
import { selector } from './lib/ops/release-view.ts';

const SCOPE = 'logs';
const USAGE =
  'logs.ts [backend|frontend|database|migrations|all ...] [--follow] [--since=10m] [--tail=N]';

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(USAGE, argv, {
    follow: { type: 'boolean', short: 'f', default: false },
    since: { type: 'string' },
    tail: { type: 'string' },
  });
  const options = {
    components: resolveComponents(positionals),
    follow: values.follow ?? false,
    since: checkSince(values.since),
    tail: positiveInt('--tail', values.tail),
  };
  const { kube, ref } = await releaseTarget(SCOPE);
  const pods = await kube.run([
    'get',
    'pods',
    '--namespace',
    ref.namespace,
    '-l',
    selector(ref.release),
    '-o',
    'name',
  ]);
  if (!pods.trim()) {
    throw new UserError(
      `no pods of release ${ref.release} in namespace ${ref.namespace} (context ${ref.context}): deploy it with ${DEPLOY_COMMAND}`,
    );
  }
  info(
    SCOPE,
    `${options.components.join(', ')}${options.follow ? ' (following; Ctrl+C stops)' : ''}`,
  );
  const args = streamingKubectl(kube, logsArgs(ref.namespace, ref.release, options));
  const result = await $({ stdio: 'inherit', nothrow: true })`kubectl ${args}`;
  // 130: the user pressed Ctrl+C while following, which is how following ends.
  if (result.exitCode !== 0 && result.exitCode !== 130 && result.signal !== 'SIGINT') {
    throw new UserError(`kubectl logs failed (exit ${result.exitCode}): see its message above`);
  }
}

if (import.meta.main) await runCommand(SCOPE, () => main(process.argv.slice(2)));
