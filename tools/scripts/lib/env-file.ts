/**
 * The deploy's `.env`: checked line by line before dotenv parses it, because dotenv silently
 * skips a line it cannot read (a typo like `JWT_SECRET: abc` would simply vanish and the deploy
 * would go out without the secret). Errors name the file and line, never a value.
 */
import { parse } from 'dotenv';
import { UserError } from './command.ts';

export class EnvFileError extends UserError {}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;
const BLANK_OR_COMMENT = /^\s*(#.*)?$/;

/** The quote that opens a value and is not closed on the same line (dotenv allows multi-line). */
function openQuote(value: string): string | undefined {
  const trimmed = value.trim();
  const quote = trimmed[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
  return trimmed.indexOf(quote, 1) === -1 ? quote : undefined;
}

/** Finds malformed lines; returns one message per problem ("file:line: what, and the fix"). */
export function lintEnvFile(text: string, file: string): string[] {
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  const seen = new Map<string, number>();
  let quote: { char: string; line: number } | undefined;
  lines.forEach((line, index) => {
    const number = index + 1;
    if (quote) {
      if (line.includes(quote.char)) quote = undefined;
      return;
    }
    if (BLANK_OR_COMMENT.test(line)) return;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      const key = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(line)?.[1];
      problems.push(
        key
          ? `${file}:${number}: ${key} is not followed by "=": write it as ${key}=value`
          : `${file}:${number}: not a KEY=value line: use KEY=value, or start the line with # for a comment`,
      );
      return;
    }
    const [, key = '', value = ''] = match;
    const previous = seen.get(key);
    if (previous !== undefined)
      problems.push(`${file}:${number}: ${key} is set again (first on line ${previous}): keep one`);
    seen.set(key, number);
    const opened = openQuote(value);
    if (opened) quote = { char: opened, line: number };
  });
  if (quote)
    problems.push(
      `${file}:${quote.line}: the value opened with ${quote.char} is never closed: add the closing ${quote.char}`,
    );
  return problems;
}

/** Parses a `.env` text after checking it; throws EnvFileError listing every malformed line. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const problems = lintEnvFile(text, file);
  if (problems.length) throw new EnvFileError(problems.join('\n'));
  return parse(text);
}
