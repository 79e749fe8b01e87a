import type { ToolAction } from './types';

interface TaskLike {
  id: number;
  title: string;
}

function taskOf(value: unknown): TaskLike | undefined {
  const task = value as Partial<TaskLike> | null;
  return typeof task?.id === 'number' && typeof task.title === 'string'
    ? { id: task.id, title: task.title }
    : undefined;
}

const DONE: Record<string, string> = {
  add_task: 'Added',
  complete_task: 'Completed',
  update_task: 'Updated',
  delete_task: 'Deleted',
};

const ATTEMPTED: Record<string, string> = {
  add_task: 'add a task',
  complete_task: 'complete a task',
  update_task: 'update a task',
  delete_task: 'delete a task',
  list_tasks: 'list tasks',
};

/** One line a person can read for an action the assistant took. */
export function describeAction(action: ToolAction): string {
  const result = action.result as Record<string, unknown> | null;
  if (!action.ok) {
    const reason = typeof result?.error === 'string' ? result.error : 'it failed';
    return `Could not ${ATTEMPTED[action.tool] ?? `run ${action.tool}`}: ${reason}`;
  }
  if (action.tool === 'list_tasks') {
    const total = typeof result?.total === 'number' ? result.total : 0;
    return `Looked up ${total} ${total === 1 ? 'task' : 'tasks'}`;
  }
  const task = taskOf(action.tool === 'delete_task' ? result?.deleted : result);
  const verb = DONE[action.tool] ?? `Ran ${action.tool}`;
  return task ? `${verb} #${task.id} “${task.title}”` : verb;
}

/** Whether the task list on screen may now be stale. */
export function changesTasks(actions: ToolAction[]): boolean {
  return actions.some((action) => action.ok && action.tool !== 'list_tasks');
}
