import { z } from 'zod';
import type { ToolAction } from '../db/schema.ts';
import { MAX_ID } from '../http/ids.ts';
import { taskFields } from '../tasks/task-schemas.ts';
import { DUE_FILTERS, type Task, type TaskService } from '../tasks/task-service.ts';

/**
 * The only way the assistant (and MCP clients) touch tasks. Each tool validates its own
 * arguments, so a model that invents a field or a wrong type gets a readable error back.
 */
const taskId = z
  .number()
  .int()
  .positive()
  .max(MAX_ID)
  .describe("The task's number for this user, as shown (#3 is 3)");

export const toolInputs = {
  add_task: z.strictObject({
    title: taskFields.title,
    description: taskFields.description.optional(),
    priority: taskFields.priority.optional(),
    due_date: taskFields.dueDate.optional(),
    due_time: taskFields.dueTime.optional().describe('HH:MM (24-hour) on due_date, which it needs'),
  }),
  list_tasks: z.strictObject({
    status: z
      .enum(['all', 'active', 'completed'])
      .optional()
      .describe('Which tasks to list; defaults to all'),
    search: z
      .string()
      .max(200)
      .optional()
      .describe('Only tasks whose title or description contains this text'),
    priority: taskFields.priority.optional().describe('Only tasks of this priority'),
    due: z
      .enum(DUE_FILTERS)
      .optional()
      .describe(
        'Only tasks due today, tomorrow, this_week (today and the next six days), overdue (past due and open), or none (no due date)',
      ),
  }),
  complete_task: z.strictObject({ task_id: taskId }),
  update_task: z.strictObject({
    task_id: taskId,
    title: taskFields.title.optional(),
    description: taskFields.description.optional(),
    priority: taskFields.priority.optional(),
    due_date: taskFields.dueDate.optional(),
    due_time: taskFields.dueTime.optional(),
    completed: z.boolean().optional(),
  }),
  delete_task: z.strictObject({ task_id: taskId }),
} as const;

export type ToolName = keyof typeof toolInputs;
export type ToolArgs<N extends ToolName> = z.infer<(typeof toolInputs)[N]>;

export const toolDescriptions: Record<ToolName, string> = {
  add_task: 'Create a task for the user. Returns the created task.',
  list_tasks: "List the user's tasks, optionally filtered by status, text, priority or due date.",
  complete_task: 'Mark a task as completed.',
  update_task: "Change a task's title, description, priority, due date and time, or completion.",
  delete_task: 'Delete a task permanently.',
};

export const TOOL_NAMES = Object.keys(toolInputs) as ToolName[];

export class ToolError extends Error {}

type Handlers = { [N in ToolName]: (args: ToolArgs<N>) => Promise<unknown> };

function handlers(tasks: TaskService, userId: number, today: string | undefined): Handlers {
  const found = (task: Task | undefined, id: number) => {
    if (!task) throw new ToolError(`Task ${id} not found`);
    return task;
  };
  return {
    add_task: (a) => {
      if (a.due_time && !a.due_date) throw new ToolError('due_time needs a due_date');
      return tasks.create(userId, {
        title: a.title,
        description: a.description,
        priority: a.priority,
        dueDate: a.due_date,
        dueTime: a.due_time,
      });
    },
    list_tasks: async (a) => {
      const page = await tasks.list(userId, {
        status: a.status ?? 'all',
        search: a.search,
        priority: a.priority,
        due: a.due,
        today,
        sort: 'created',
        order: 'asc',
        limit: 100,
      });
      return { tasks: page.items, total: page.total };
    },
    complete_task: async (a) =>
      found(await tasks.update(userId, a.task_id, { completed: true }), a.task_id),
    update_task: async ({ task_id, due_date, due_time, ...rest }) =>
      found(
        await tasks.update(userId, task_id, { ...rest, dueDate: due_date, dueTime: due_time }),
        task_id,
      ),
    delete_task: async (a) => ({
      deleted: found(await tasks.remove(userId, a.task_id), a.task_id),
    }),
  };
}

export type ToolRunner = (name: string, args: unknown) => Promise<ToolAction>;

type Undo = NonNullable<ToolAction['undo']>;

/** Pure: the task fields an update names, as update_task arguments, with their values before. */
function previousValues(args: Record<string, unknown>, before: Task): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    title: before.title,
    description: before.description,
    priority: before.priority,
    due_date: before.dueDate,
    due_time: before.dueTime,
    completed: before.completed,
  };
  return Object.fromEntries(
    Object.keys(args).flatMap((key) => (key in fields ? [[key, fields[key]]] : [])),
  );
}

/** Pure: the call that takes a successful change back, given the task before it (if any). */
export function undoOf(
  name: ToolName,
  args: Record<string, unknown>,
  result: unknown,
  before?: Task,
): Undo | undefined {
  if (name === 'add_task')
    return { tool: 'delete_task', arguments: { task_id: (result as Task).id } };
  if (name === 'delete_task') {
    const gone = (result as { deleted: Task }).deleted;
    return {
      tool: 'add_task',
      arguments: {
        title: gone.title,
        priority: gone.priority,
        ...(gone.description !== null && { description: gone.description }),
        ...(gone.dueDate !== null && { due_date: gone.dueDate }),
        ...(gone.dueTime !== null && { due_time: gone.dueTime }),
      },
    };
  }
  if (!before) return undefined;
  if (name === 'complete_task')
    return before.completed
      ? undefined
      : { tool: 'update_task', arguments: { task_id: before.id, completed: false } };
  if (name === 'update_task') {
    const { task_id, ...changed } = args;
    return { tool: 'update_task', arguments: { task_id, ...previousValues(changed, before) } };
  }
  return undefined;
}

/** Runs tools on behalf of one user; failures come back as actions with ok=false, never throws for bad input. */
export function createToolRunner(
  tasks: TaskService,
  userId: number,
  /** The day due filters count from (the assistant's today); this machine's date by default. */
  today?: string,
): ToolRunner {
  const run = handlers(tasks, userId, today);
  return async (name, args) => {
    const record = (ok: boolean, result: unknown, undo?: Undo): ToolAction => ({
      tool: name,
      arguments: (args && typeof args === 'object' ? args : {}) as Record<string, unknown>,
      ok,
      result,
      ...(undo && { undo }),
    });
    if (!(name in toolInputs)) return record(false, { error: `Unknown tool ${name}` });
    const tool = name as ToolName;
    const parsed = toolInputs[tool].safeParse(args ?? {});
    if (!parsed.success) {
      return record(false, {
        error: `Invalid arguments: ${parsed.error.issues
          .map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`)
          .join('; ')}`,
      });
    }
    try {
      const data = parsed.data as Record<string, unknown>;
      // What an update changes, read first, so that the change can be taken back.
      const before =
        tool === 'update_task' || tool === 'complete_task'
          ? await tasks.get(userId, data.task_id as number)
          : undefined;
      const result = await (run[tool] as (a: unknown) => Promise<unknown>)(parsed.data);
      return record(true, result, undoOf(tool, data, result, before));
    } catch (error) {
      if (error instanceof ToolError) return record(false, { error: error.message });
      throw error;
    }
  };
}
