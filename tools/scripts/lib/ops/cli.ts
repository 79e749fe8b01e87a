/**
 * Argument parsing for the operations commands: node's own parseArgs, with its errors turned
 * into a one-line UserError that repeats the usage, so a typo never prints a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UserError } from '../command.ts';

/** The one deploy command users are pointed at when nothing is installed yet. */
export const DEPLOY_COMMAND = 'npx nx run infra:deploy';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  usage: string,
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages go on to explain `--`; the first sentence is the useful part.
    const message = (error instanceof Error ? error.message : String(error)).split(/\.\s/)[0];
    throw new UserError(`${message}; usage: ${usage}`);
  }
}

/** A positive integer option (port, revision), or a UserError naming the option. */
export function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UserError(`${name} must be a positive whole number, got "${value}"`);
  }
  return Number(value);
}
