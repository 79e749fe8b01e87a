/**
 * The subjects the runtime inputs of this workspace have answered for (deploy-state.ts): an
 * image tag, a delivered image, a desired release. It is what lets a step's cache key read the
 * same before the step makes its state good and after, so that the run after a change replays
 * every step instead of running each once more to learn that nothing is left to do.
 *
 * The rule (lib/deploy-state.ts): an input answers `ok <token> <subject>` without checking the
 * outside state the first time it meets a subject in this ledger, and only after checking it
 * every later time. That is sound because Nx can only hold a cache entry under an answer that
 * was once given, and giving it wrote the subject here: a cache hit is always for a subject
 * that was checked in this run. The token is the ledger's random epoch and the workspace path,
 * so a ledger that was deleted (node_modules reinstalled) or copied with the workspace starts
 * keys of its own, and no cache entry made under the old one can match.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFile, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { workspaceRoot } from './workspace-root.ts';

/** Relative to the workspace root. */
export const LEDGER_FILE = 'node_modules/.cache/todo-chatbot/runtime-ledger';
export const LEDGER_PATH = join(workspaceRoot, LEDGER_FILE);
const HEADER = 'todo-chatbot runtime ledger v1';
/** Past this size the ledger starts a new epoch: every step runs once, then it is small again. */
const MAX_BYTES = 1_000_000;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** Pure: the epoch and the subjects (as digests) a ledger's text holds; undefined: not a ledger. */
export function parseLedger(text: string): { epoch: string; seen: Set<string> } | undefined {
  const [first = '', ...lines] = text.split('\n');
  const epoch = first.startsWith(`${HEADER} `) ? first.slice(HEADER.length + 1) : '';
  if (!/^[0-9a-f-]{36}$/.test(epoch)) return undefined;
  return { epoch, seen: new Set(lines.filter((line) => /^[0-9a-f]{32}$/.test(line))) };
}

/** Pure: the token of an epoch in a workspace. */
export function ledgerToken(epoch: string, root: string): string {
  return digest(`${epoch}\0${root}`).slice(0, 16);
}

/** Pure: the line a subject is kept as (a digest: subjects may hold settings). */
export function subjectLine(subject: string): string {
  return digest(subject).slice(0, 32);
}

/** The ledger, created with a new epoch when it is missing, unreadable or too large. */
async function openLedger(path: string): Promise<{ epoch: string; seen: Set<string> }> {
  const size = await stat(path).then(
    (stats) => stats.size,
    () => undefined,
  );
  if (size !== undefined && size <= MAX_BYTES) {
    const ledger = parseLedger(await readFile(path, 'utf8'));
    if (ledger) return ledger;
  }
  if (size !== undefined) await rm(path, { force: true });
  // Created whole under another name, then linked: of two inputs starting one at once, both
  // end up with the same epoch.
  await mkdir(dirname(path), { recursive: true });
  const draft = `${path}.${randomUUID()}`;
  await writeFile(draft, `${HEADER} ${randomUUID()}\n`);
  await link(draft, path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await rm(draft, { force: true });
  const ledger = parseLedger(await readFile(path, 'utf8'));
  if (!ledger) throw new Error(`${path} is not a runtime ledger: delete it`);
  return ledger;
}

/**
 * Whether this is the first time the ledger meets the subject, recording it if so (one
 * appended line: concurrent inputs never lose each other's), and the token of the answer.
 */
export async function sight(
  subject: string,
  path = LEDGER_PATH,
  root = workspaceRoot,
): Promise<{ token: string; first: boolean }> {
  const { epoch, seen } = await openLedger(path);
  const line = subjectLine(subject);
  const first = !seen.has(line);
  if (first) await appendFile(path, `${line}\n`);
  return { token: ledgerToken(epoch, root), first };
}
