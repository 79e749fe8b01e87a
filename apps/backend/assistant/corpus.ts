/**
 * Runs the assistant's phrasing corpus (corpus.yaml) against the built-in assistant, acting
 * through the real tools on a real task store (embedded PGlite): each case gets a new user
 * holding the seed tasks, and what the assistant attempted is compared with what the case
 * expects. The score command (score.ts) and the corpus test both use it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { migrationsFolder } from '../src/boot.ts';
import { createBuiltinAgent } from '../src/chat/builtin-agent.ts';
import { createToolRunner } from '../src/chat/tools.ts';
import { openDatabase } from '../src/db/database.ts';
import { type ToolAction, users } from '../src/db/schema.ts';
import { TaskService } from '../src/tasks/task-service.ts';

export const CORPUS_PATH = join(import.meta.dirname, 'corpus.yaml');

const call = z.record(z.string(), z.record(z.string(), z.unknown()));
const corpusSchema = z.strictObject({
  today: z.iso.date(),
  now: z.string().regex(/^\d{2}:\d{2}$/),
  seed: z.array(
    z.strictObject({
      title: z.string(),
      priority: z.enum(['low', 'medium', 'high']).optional(),
      due_date: z.iso.date().optional(),
      description: z.string().optional(),
      completed: z.boolean().optional(),
    }),
  ),
  cases: z.array(
    z.strictObject({
      say: z.string(),
      calls: z.array(call).optional(),
      list: z.record(z.string(), z.unknown()).optional(),
      ask: z.boolean().optional(),
      helpful: z.boolean().optional(),
      reply: z.string().optional(),
    }),
  ),
});

export type Corpus = z.infer<typeof corpusSchema>;
export type Case = Corpus['cases'][number];
export type Outcome = { case: Case; passed: boolean; why: string; reply: string };

const MUTATING = new Set(['add_task', 'complete_task', 'update_task', 'delete_task']);

/** The corpus file, validated: a mistake in it names the case and the field. */
export async function loadCorpus(path = CORPUS_PATH): Promise<Corpus> {
  const result = corpusSchema.safeParse(parse(await readFile(path, 'utf8')));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sorted = (args: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(args).sort(([a], [b]) => a.localeCompare(b)));

/** Pure: whether what the assistant did is what the case expects, and if not, why. */
export function judge(expected: Case, actions: ToolAction[], reply: string): string | undefined {
  const changes = actions
    .filter((action) => MUTATING.has(action.tool))
    .map((action) => ({ [action.tool]: sorted(action.arguments) }));
  const wanted = (expected.calls ?? []).map((entry) =>
    Object.fromEntries(Object.entries(entry).map(([tool, args]) => [tool, sorted(args)])),
  );
  if (!same(changes, wanted))
    return `changes ${JSON.stringify(changes)}, expected ${JSON.stringify(wanted)}`;
  if (expected.list) {
    const lists = actions.filter((action) => action.tool === 'list_tasks');
    const matches = lists.some((action) =>
      Object.entries(expected.list ?? {}).every(([key, value]) =>
        same(action.arguments[key], value),
      ),
    );
    if (!matches)
      return `lists ${JSON.stringify(lists.map((action) => action.arguments))}, expected one with ${JSON.stringify(expected.list)}`;
  }
  if (expected.ask && !/\?/.test(reply)) return 'expected a question back';
  if (expected.helpful && (/didn't understand|sorry/i.test(reply) || !/\badd\b/i.test(reply)))
    return 'expected an answer saying what the assistant can do';
  if (expected.reply && !new RegExp(expected.reply, 'i').test(reply))
    return `reply does not match /${expected.reply}/i`;
  return undefined;
}

/** Runs every case; the score is the share that passed. */
export async function runCorpus(corpus: Corpus): Promise<Outcome[]> {
  const dir = await mkdtemp(join(tmpdir(), 'assistant-corpus-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: dir }, migrationsFolder());
  try {
    await database.migrate();
    const tasks = new TaskService(database.db);
    const agent = createBuiltinAgent();
    const outcomes: Outcome[] = [];
    for (const [index, entry] of corpus.cases.entries()) {
      const [user] = await database.db
        .insert(users)
        .values({ email: `case-${index}@corpus.invalid`, passwordHash: 'x' })
        .returning({ id: users.id });
      if (!user) throw new Error('insert returned no row');
      for (const seed of corpus.seed) {
        const task = await tasks.create(user.id, {
          title: seed.title,
          priority: seed.priority,
          dueDate: seed.due_date,
          description: seed.description,
        });
        if (seed.completed) await tasks.update(user.id, task.id, { completed: true });
      }
      const runTool = createToolRunner(tasks, user.id, corpus.today);
      const actions: ToolAction[] = [];
      const { reply } = await agent.respond({
        history: [],
        message: entry.say,
        today: corpus.today,
        now: corpus.now,
        signal: new AbortController().signal,
        runTool: async (name, args) => {
          const action = await runTool(name, args);
          actions.push(action);
          return action;
        },
      });
      const why = judge(entry, actions, reply);
      outcomes.push({ case: entry, passed: !why, why: why ?? '', reply });
    }
    return outcomes;
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}
