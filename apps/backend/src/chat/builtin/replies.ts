import type { ToolAction } from '../../db/schema.ts';
import type { DueFilter, Priority, Task } from '../../tasks/task-service.ts';

export const HELP_TEXT = [
  'I can manage your tasks. Try:',
  '- "add buy milk tomorrow" or "remind me to call mom on friday, high priority"',
  `- "what's left?", "show my tasks" or "list done tasks"`,
  '- "complete 3" or "complete buy milk"',
  '- "rename 3 to call mom", "set priority of 3 to high" or "move 3 to monday"',
  '- "delete 3"',
].join('\n');

const CAN_DO =
  'I can add, list, find, complete, rename, reprioritize, reschedule and delete your tasks.';
/** The answer to anything that is not about tasks: what the assistant is for, never a shrug. */
export const OFF_TOPIC = `I'm your task assistant: ${CAN_DO}`;
/** Thanks get a reminder of what else there is, for whoever does not know yet. */
export const WELCOME = `Happy to help! Anything else? ${CAN_DO}`;

// Tool results come from tools.ts, whose handlers return tasks in this shape.
export type TaskList = { tasks: Task[]; total: number };

function errorOf(action: ToolAction): string {
  const result = action.result as { error?: unknown } | null;
  return typeof result?.error === 'string' ? result.error : 'something went wrong';
}

export function failure(action: ToolAction, attempt: string): string {
  const error = errorOf(action);
  const missing = /^Task (\d+) not found$/.exec(error);
  if (missing) return `I couldn't find task #${missing[1]}.`;
  return `Sorry, I couldn't ${attempt}: ${error.replace(/^Invalid arguments: /, '').replace(/\.$/, '')}.`;
}

export function named(task: Pick<Task, 'id' | 'title'>) {
  return `"${task.title}" (#${task.id})`;
}

export const whenDue = (task: Pick<Task, 'dueDate' | 'dueTime'>) =>
  task.dueTime ? `${task.dueDate} at ${task.dueTime}` : `${task.dueDate}`;

export function details(task: Task, today: string, showDone: boolean) {
  const parts: string[] = [];
  if (showDone && task.completed) parts.push('done');
  if (task.dueDate) {
    parts.push(
      !task.completed && task.dueDate < today
        ? `overdue, was due ${whenDue(task)}`
        : `due ${whenDue(task)}`,
    );
  }
  if (task.priority !== 'medium') parts.push(`${task.priority} priority`);
  return parts;
}

export function line(task: Task, today: string, showDone = false) {
  const extra = details(task, today, showDone);
  return `- #${task.id} ${task.title}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

export function plural(count: number, noun: string) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function listReply(
  status: 'all' | 'active' | 'completed',
  { tasks, total }: TaskList,
  today: string,
) {
  if (tasks.length === 0) {
    if (status === 'completed') return "You haven't completed any tasks yet.";
    if (status === 'active') return "Nothing left to do. You're all caught up!";
    return 'You have no tasks yet. Try "add buy milk tomorrow".';
  }
  const heading =
    status === 'active'
      ? `You have ${plural(total, 'open task')}:`
      : status === 'completed'
        ? `You've completed ${plural(total, 'task')}:`
        : `You have ${plural(total, 'task')}:`;
  const ordered =
    status === 'all' ? [...tasks].sort((a, b) => Number(a.completed) - Number(b.completed)) : tasks;
  const lines = ordered.map((task) => line(task, today, status === 'all'));
  if (total > tasks.length) lines.push(`...and ${total - tasks.length} more.`);
  return [heading, ...lines].join('\n');
}

export const DUE_WORDS: Record<DueFilter, string> = {
  today: 'due today',
  tomorrow: 'due tomorrow',
  this_week: 'due this week',
  overdue: 'overdue',
  none: 'without a due date',
};

export function filteredReply(
  filters: { priority?: Priority; due?: DueFilter; search?: string },
  { tasks, total }: TaskList,
  today: string,
) {
  const describe = (noun: string) =>
    [
      filters.priority && `${filters.priority}-priority`,
      noun,
      filters.due && DUE_WORDS[filters.due],
      filters.search && `about "${filters.search}"`,
    ]
      .filter(Boolean)
      .join(' ');
  if (tasks.length === 0) return `You have no ${describe('tasks')}.`;
  const lines = tasks.map((task) => line(task, today, true));
  if (total > tasks.length) lines.push(`...and ${total - tasks.length} more.`);
  return [`You have ${total} ${describe(total === 1 ? 'task' : 'tasks')}:`, ...lines].join('\n');
}
