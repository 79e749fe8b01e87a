import { z } from 'zod';
import { tasks } from '../db/schema.ts';
import { DUE_FILTERS } from './task-service.ts';

const isoDate = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });

/** Field rules shared by the HTTP API and the assistant's tools. */
export const taskFields = {
  title: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .describe('Short title of the task, 1-200 characters'),
  description: z
    .string()
    .max(5000, 'must be at most 5000 characters')
    .nullable()
    .describe('Optional longer notes'),
  priority: z.enum(tasks.priority.enumValues).describe('How important the task is'),
  dueDate: isoDate.nullable().describe('Due date as YYYY-MM-DD, or null for none'),
  dueTime: z
    .string()
    .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (24-hour)')
    .nullable()
    .describe('Time of day on the due date as HH:MM (24-hour), or null for none'),
};

// The API's answers are named components of the OpenAPI document (`.meta({ id })`), which the
// frontend's generated types (apps/frontend/src/lib/api-types.ts) call by these names.

export const taskSchema = z
  .object({
    id: z.number().int().describe("The task's number for its owner (#1, #2...), never reused"),
    title: z.string(),
    description: z.string().nullable(),
    priority: taskFields.priority,
    dueDate: z.string().nullable(),
    dueTime: z.string().nullable().describe('HH:MM on the due date, or null'),
    completed: z.boolean(),
    completedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Task' });

export const createTaskBody = z
  .strictObject({
    title: taskFields.title,
    description: taskFields.description.optional(),
    priority: taskFields.priority.optional(),
    dueDate: taskFields.dueDate.optional(),
    dueTime: taskFields.dueTime.optional(),
  })
  .refine((body) => !body.dueTime || body.dueDate, {
    path: ['dueTime'],
    message: 'needs a dueDate: a time is on a day',
  });

export const updateTaskBody = z
  .strictObject({
    title: taskFields.title.optional(),
    description: taskFields.description.optional(),
    priority: taskFields.priority.optional(),
    dueDate: taskFields.dueDate.optional(),
    dueTime: taskFields.dueTime.optional(),
    completed: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const listTasksQuery = z.strictObject({
  status: z.enum(['all', 'active', 'completed']).default('all'),
  q: z.string().trim().max(200).optional(),
  priority: taskFields.priority.optional(),
  due: z
    .enum(DUE_FILTERS)
    .optional()
    .describe('today, tomorrow, this_week (today and the next six days), overdue, or none'),
  sort: z.enum(['created', 'updated', 'due', 'priority', 'title']).default('created'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const taskPageSchema = z
  .object({
    items: z.array(taskSchema),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'TaskPage' });

export type Task = z.infer<typeof taskSchema>;
export type TaskPage = z.infer<typeof taskPageSchema>;
export type Priority = Task['priority'];
/** A task to create, as the route hands it over: validated, titles trimmed. */
export type NewTask = z.infer<typeof createTaskBody>;
export type TaskPatch = z.infer<typeof updateTaskBody>;
export type TaskListQuery = z.infer<typeof listTasksQuery>;
