import type { ToolAction } from '../../db/schema.ts';
import { addDays, type Priority, type Task } from '../../tasks/task-service.ts';
import type { ChatTurn } from '../agent.ts';
import type { ToolName } from '../tools.ts';
import type { Intent, TaskRef } from './intent.ts';
import { listFilters, onlyFilters } from './list.ts';
import { closestTasks, matchTasks, mentionedTasks } from './matching.ts';
import { parseCommand } from './parse-command.ts';
import {
  DUE_WORDS,
  details,
  failure,
  filteredReply,
  HELP_TEXT,
  line,
  listReply,
  named,
  OFF_TOPIC,
  plural,
  type TaskList,
  WELCOME,
  whenDue,
} from './replies.ts';

export type Run = (name: ToolName, args: Record<string, unknown>) => Promise<ToolAction>;
type Resolved = { id: number; task?: Task } | { reply: string };

type Scope = { run: Run; today: string; history: ChatTurn[] };

const MUTATING = new Set(['add_task', 'update_task', 'complete_task']);

/**
 * Pure: the tasks the conversation last spoke of, which "it" means: those the assistant's last
 * turn changed, else those it listed.
 */
export function recentTasks(history: ChatTurn[]): number[] {
  const last = [...history]
    .reverse()
    .find((turn) => turn.role === 'assistant' && turn.actions?.length);
  const actions = (last?.actions ?? []).filter((action) => action.ok);
  const changed = actions.filter((action) => MUTATING.has(action.tool));
  if (changed.length > 0) return [...new Set(changed.map((action) => (action.result as Task).id))];
  return actions
    .filter((action) => action.tool === 'list_tasks')
    .flatMap((action) => (action.result as TaskList).tasks.map((task) => task.id));
}

function which(tasks: Task[], heading: string, today: string, example: (id: number) => string) {
  const [first] = tasks;
  return [
    heading,
    ...tasks.map((task) => line(task, today, true)),
    `Which one? Use its number, e.g. "${example(first?.id ?? 1)}".`,
  ].join('\n');
}

const WHICH_TASK =
  'Which task do you mean? Use its number or words of its title, e.g. "complete 3" or "complete the milk one".';

/**
 * A title names a task when it matches one exactly (ignoring case) or is contained in only
 * one; a sentence about a task ("I called mom earlier") names the one sharing the most words
 * with it; "it" names the task the conversation last spoke of. `prefer` breaks ties between an
 * open and a completed task of the same name.
 */
async function resolve(
  ref: TaskRef,
  { run, today, history }: Scope,
  example: (id: number) => string,
  prefer?: 'active' | 'completed',
): Promise<Resolved> {
  if ('id' in ref) return { id: ref.id };
  if ('pronoun' in ref) {
    const recent = recentTasks(history);
    const [only] = recent;
    return only !== undefined && recent.length === 1 ? { id: only } : { reply: WHICH_TASK };
  }
  // The title as written first (one lookup in the usual case), then every task by its words.
  const phrase = 'title' in ref ? ref.title : ref.context;
  let action = 'title' in ref ? await run('list_tasks', { search: ref.title }) : undefined;
  if (!action || (action.ok && (action.result as TaskList).tasks.length === 0))
    action = await run('list_tasks', {});
  if (!action.ok) return { reply: failure(action, `look up "${phrase}"`) };
  const { tasks } = action.result as TaskList;
  const matched = 'title' in ref ? matchTasks(ref.title, tasks) : [];
  let pool = matched.length > 0 ? matched : mentionedTasks(phrase, tasks);
  if (prefer) {
    const preferred = pool.filter((task) => task.completed === (prefer === 'completed'));
    if (preferred.length > 0) pool = preferred;
  }
  const [first] = pool;
  if (first && pool.length === 1) return { id: first.id, task: first };
  if (first)
    return { reply: which(pool, `More than one task matches "${phrase}":`, today, example) };
  const missing = `I couldn't find a task matching "${phrase}".`;
  const [closest, ...others] = closestTasks(phrase, tasks);
  if (!closest) return { reply: missing };
  if (others.length === 0)
    return {
      reply: `${missing} Did you mean ${named(closest)}? Say "${example(closest.id)}" to confirm.`,
    };
  return {
    reply: [
      `${missing} The closest:`,
      ...[closest, ...others].map((task) => line(task, today, true)),
    ].join('\n'),
  };
}

function describeUndo(action: ToolAction): string {
  if (action.tool === 'delete_task')
    return `removed ${named((action.result as { deleted: Task }).deleted)}.`;
  if (action.tool === 'add_task') return `put back ${named(action.result as Task)}.`;
  return `restored ${named(action.result as Task)}.`;
}

async function findById(run: Run, id: number): Promise<Task | undefined> {
  const action = await run('list_tasks', {});
  return action.ok ? (action.result as TaskList).tasks.find((task) => task.id === id) : undefined;
}

/** The command a question of ours asked the user to confirm ("Say "delete 1, 6" to confirm."). */
const CONFIRM = /Say "([^"]+)" to confirm\.?$/m;

/** Pure: the command our last reply asked the user to confirm, if it asked. */
function lastQuestion(history: ChatTurn[]): string | undefined {
  const asked = [...history].reverse().find((turn) => turn.role === 'assistant');
  return asked && CONFIRM.exec(asked.content)?.[1];
}

const AND = /\s+(?:and|&)\s+|\s*,\s*/i;

/**
 * "bought milk and bread", "delete the milk and the bread": one task for each part, when the
 * words as a whole name no single task and every part names exactly one.
 */
async function eachNamed(intent: Intent, run: Run): Promise<Intent | undefined> {
  const task = 'task' in intent ? intent.task : undefined;
  if (!task || !('title' in task) || !AND.test(task.title)) return undefined;
  const action = await run('list_tasks', {});
  if (!action.ok) return undefined;
  const { tasks } = action.result as TaskList;
  if (matchTasks(task.title, tasks).length === 1) return undefined;
  const ids = task.title.split(AND).map((part) => {
    const matched = matchTasks(part, tasks);
    const named = matched.length > 0 ? matched : mentionedTasks(part, tasks);
    return named.length === 1 ? named[0]?.id : undefined;
  });
  const found = ids.filter((id) => id !== undefined);
  if (found.length !== ids.length || new Set(found).size !== found.length) return undefined;
  if (intent.kind === 'delete') return { kind: 'delete_many', ids: found };
  return { kind: 'each', intents: found.map((id) => ({ ...intent, task: { id } }) as Intent) };
}

export async function perform(
  intent: Intent,
  run: Run,
  today: string,
  history: ChatTurn[] = [],
  confirmed = false,
): Promise<string> {
  const several = await eachNamed(intent, run);
  if (several) return perform(several, run, today, history, confirmed);
  switch (intent.kind) {
    case 'undo': {
      const last = [...history]
        .reverse()
        .find((turn) => turn.role === 'assistant' && turn.actions?.some((action) => action.undo));
      const undos = (last?.actions ?? []).flatMap((action) =>
        action.ok && action.undo ? [action.undo] : [],
      );
      if (undos.length === 0) return "There's no change of mine to undo in this conversation.";
      const done: string[] = [];
      for (const undo of undos.reverse()) {
        const action = await run(undo.tool as ToolName, undo.arguments);
        if (!action.ok) return [...done, failure(action, 'undo that')].join('\n');
        done.push(describeUndo(action));
      }
      return `Undone: ${done.join(' ')}`;
    }
    case 'confirm': {
      const command = lastQuestion(history);
      if (!command) return intent.yes ? 'Happy to help! What should I do?' : 'OK.';
      if (!intent.yes) return 'OK, I left them as they are.';
      return perform(parseCommand(command, today), run, today, [], true);
    }
    case 'help':
      if (!intent.unknown) return HELP_TEXT;
      return intent.foreign
        ? `I can only read English so far. ${OFF_TOPIC}\n${HELP_TEXT}`
        : `${OFF_TOPIC}\n${HELP_TEXT}`;
    case 'thanks':
      return WELCOME;
    case 'quick': {
      const { add } = intent;
      const found = await run('list_tasks', { status: 'active' });
      if (!found.ok) return failure(found, 'list your tasks');
      const named = matchTasks(add.title, (found.result as TaskList).tasks);
      const [task] = named;
      if (!task) return perform(add, run, today, history);
      if (named.length > 1)
        return which(named, `More than one task matches "${add.title}":`, today, (id) =>
          add.dueDate ? `move ${id} to ${add.dueDate}` : `set priority of ${id} to ${add.priority}`,
        );
      const ref = { id: task.id };
      const changes: Intent[] = [
        ...(add.dueDate
          ? [
              {
                kind: 'set_due',
                task: ref,
                dueDate: add.dueDate,
                ...(add.dueTime && { dueTime: add.dueTime }),
              } as const,
            ]
          : []),
        ...(add.priority
          ? [{ kind: 'set_priority', task: ref, priority: add.priority } as const]
          : []),
      ];
      return perform({ kind: 'each', intents: changes }, run, today, history);
    }
    case 'each': {
      // "add call mom, mark it urgent": "it" is the task the previous request acted on.
      const replies: string[] = [];
      let last: number | undefined;
      const tracked: Run = async (name, args) => {
        const action = await run(name, args);
        if (action.ok && MUTATING.has(name)) last = (action.result as Task).id;
        return action;
      };
      for (const one of intent.intents) {
        const task = 'task' in one ? one.task : undefined;
        const bound =
          task && 'pronoun' in task && last !== undefined
            ? ({ ...one, task: { id: last } } as Intent)
            : one;
        replies.push(await perform(bound, tracked, today, history));
      }
      return replies.join('\n');
    }
    case 'add': {
      const action = await run('add_task', {
        title: intent.title,
        ...(intent.description && { description: intent.description }),
        ...(intent.dueDate && { due_date: intent.dueDate }),
        ...(intent.dueTime && { due_time: intent.dueTime }),
        ...(intent.priority && { priority: intent.priority }),
      });
      if (!action.ok) return failure(action, 'add that task');
      const task = action.result as Task;
      const extra = details(task, today, false);
      return `Added ${named(task)}${extra.length ? `, ${extra.join(', ')}` : ''}.`;
    }
    case 'list': {
      const { kind: _, ...args } = intent;
      const action = await run('list_tasks', args);
      if (!action.ok) return failure(action, 'list your tasks');
      const filtered = intent.priority || intent.due || intent.search;
      return filtered
        ? filteredReply(intent, action.result as TaskList, today)
        : listReply(intent.status, action.result as TaskList, today);
    }
    case 'complete': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `complete ${id}`,
        'active',
      );
      if ('reply' in target) return target.reply;
      if (target.task?.completed) return `${named(target.task)} is already done.`;
      const action = await run('complete_task', { task_id: target.id });
      if (!action.ok) return failure(action, 'complete that task');
      return `Nice! Marked ${named(action.result as Task)} as done.`;
    }
    case 'reopen': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `reopen ${id}`,
        'completed',
      );
      if ('reply' in target) return target.reply;
      const action = await run('update_task', { task_id: target.id, completed: false });
      if (!action.ok) return failure(action, 'reopen that task');
      return `Reopened ${named(action.result as Task)}.`;
    }
    case 'delete': {
      const target = await resolve(intent.task, { run, today, history }, (id) => `delete ${id}`);
      if ('reply' in target) return target.reply;
      const action = await run('delete_task', { task_id: target.id });
      if (!action.ok) return failure(action, 'delete that task');
      return `Deleted ${named((action.result as { deleted: Task }).deleted)}.`;
    }
    case 'describe': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `add a note to ${id}: ${intent.description}`,
      );
      if ('reply' in target) return target.reply;
      const action = await run('update_task', {
        task_id: target.id,
        description: intent.description,
      });
      if (!action.ok) return failure(action, 'add that note');
      return `Noted on ${named(action.result as Task)}: "${intent.description}".`;
    }
    case 'rename': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `rename ${id} to ${intent.title}`,
      );
      if ('reply' in target) return target.reply;
      const action = await run('update_task', { task_id: target.id, title: intent.title });
      if (!action.ok) return failure(action, 'rename that task');
      const task = action.result as Task;
      return `Renamed ${target.task ? named(target.task) : `#${task.id}`} to "${task.title}".`;
    }
    case 'set_priority': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `set priority of ${id} to ${intent.priority}`,
      );
      if ('reply' in target) return target.reply;
      const action = await run('update_task', { task_id: target.id, priority: intent.priority });
      if (!action.ok) return failure(action, 'change the priority');
      return `Set ${named(action.result as Task)} to ${intent.priority} priority.`;
    }
    case 'set_due': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `move ${id} to friday`,
      );
      if ('reply' in target) return target.reply;
      const action = await run('update_task', {
        task_id: target.id,
        due_date: intent.dueDate,
        ...(intent.dueTime && { due_time: intent.dueTime }),
      });
      if (!action.ok) return failure(action, 'change the due date');
      const task = action.result as Task;
      return task.dueDate
        ? `${named(task)} is now due ${whenDue(task)}.`
        : `Removed the due date from ${named(task)}.`;
    }
    case 'shift_due': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `postpone ${id} by a day`,
      );
      if ('reply' in target) return target.reply;
      const current = target.task ?? (await findById(run, target.id));
      if (!current) return `I couldn't find task #${target.id}.`;
      const dueDate = addDays(current.dueDate ?? today, intent.days);
      const action = await run('update_task', { task_id: target.id, due_date: dueDate });
      if (!action.ok) return failure(action, 'change the due date');
      return `${named(action.result as Task)} is now due ${dueDate}.`;
    }
    case 'bulk_delete': {
      // "clear all my high priority tasks": the tasks a filter names, not those with its words.
      const { scope } = intent;
      const filtered = typeof scope === 'object' && onlyFilters(scope.about);
      const action = await run(
        'list_tasks',
        filtered ? listFilters(scope.about.toLowerCase()).filters : {},
      );
      if (!action.ok) return failure(action, 'list your tasks');
      const { tasks } = action.result as TaskList;
      const doomed =
        scope === 'all' || filtered
          ? tasks
          : scope === 'completed'
            ? tasks.filter((task) => task.completed)
            : matchTasks(scope.about, tasks);
      const what = scope === 'completed' ? 'completed task' : 'task';
      if (doomed.length === 0)
        return scope === 'completed'
          ? 'You have no completed tasks to clear.'
          : typeof scope === 'object'
            ? `I couldn't find a task about "${scope.about}".`
            : 'You have no tasks to delete.';
      // Deleting several tasks at once is asked first: the user confirms with their numbers.
      const ids = doomed.map((task) => task.id).join(', ');
      return [
        `That would delete ${plural(doomed.length, what)}:`,
        ...doomed.map((task) => line(task, today, true)),
        `Shall I? Say "delete ${ids}" to confirm.`,
      ].join('\n');
    }
    case 'nudge_priority': {
      const target = await resolve(
        intent.task,
        { run, today, history },
        (id) => `set priority of ${id} to low`,
      );
      if ('reply' in target) return target.reply;
      const current = target.task ?? (await findById(run, target.id));
      if (!current) return `I couldn't find task #${target.id}.`;
      const levels: Priority[] = ['low', 'medium', 'high'];
      const index = levels.indexOf(current.priority) + (intent.up ? 1 : -1);
      const priority = levels[Math.max(0, Math.min(2, index))] as Priority;
      if (priority === current.priority)
        return `${named(current)} is already ${priority} priority.`;
      const action = await run('update_task', { task_id: target.id, priority });
      if (!action.ok) return failure(action, 'change the priority');
      return `Set ${named(action.result as Task)} to ${priority} priority.`;
    }
    case 'bulk_due': {
      const found = await run('list_tasks', { status: 'active', due: intent.from });
      if (!found.ok) return failure(found, 'list your tasks');
      const { tasks } = found.result as TaskList;
      if (tasks.length === 0) return `You have no open tasks ${DUE_WORDS[intent.from]}.`;
      const moved: string[] = [];
      for (const task of tasks) {
        const action = await run('update_task', { task_id: task.id, due_date: intent.dueDate });
        if (!action.ok) return [...moved, failure(action, `move task #${task.id}`)].join('\n');
        moved.push(line(action.result as Task, today));
      }
      return [`Moved ${plural(moved.length, 'task')} to ${intent.dueDate}:`, ...moved].join('\n');
    }
    case 'delete_many': {
      // Several deletions at once are asked first, like a bulk delete; the user's answer, or
      // the very command we asked for, confirms them.
      const command = `delete ${intent.ids.join(', ')}`;
      if (!confirmed && lastQuestion(history) !== command)
        return `That would delete ${plural(intent.ids.length, 'task')}: ${intent.ids.map((id) => `#${id}`).join(', ')}. Shall I? Say "${command}" to confirm.`;
      const deleted: string[] = [];
      for (const id of intent.ids) {
        const action = await run('delete_task', { task_id: id });
        if (!action.ok) return [...deleted, failure(action, `delete task #${id}`)].join('\n');
        deleted.push(`Deleted ${named((action.result as { deleted: Task }).deleted)}.`);
      }
      return deleted.join('\n');
    }
  }
}
