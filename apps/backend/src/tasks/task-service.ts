import { and, asc, count, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { type TaskRow, tasks } from '../db/schema.ts';

export type Priority = 'low' | 'medium' | 'high';

export interface Task {
  id: number;
  title: string;
  description: string | null;
  priority: Priority;
  dueDate: string | null;
  completed: boolean;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewTask {
  title: string;
  description?: string | null | undefined;
  priority?: Priority | undefined;
  dueDate?: string | null | undefined;
}

export interface TaskPatch {
  title?: string | undefined;
  description?: string | null | undefined;
  priority?: Priority | undefined;
  dueDate?: string | null | undefined;
  completed?: boolean | undefined;
}

export type TaskStatus = 'all' | 'active' | 'completed';
export type TaskSort = 'created' | 'updated' | 'due' | 'priority' | 'title';

export interface TaskQuery {
  status?: TaskStatus | undefined;
  search?: string | undefined;
  sort?: TaskSort | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface TaskPage {
  items: Task[];
  total: number;
  limit: number;
  offset: number;
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    dueDate: row.dueDate,
    completed: row.completed,
    completedAt: row.completedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const SORT_COLUMNS = {
  created: tasks.createdAt,
  updated: tasks.updatedAt,
  due: tasks.dueDate,
  priority: tasks.priority,
  title: tasks.title,
} as const;

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every method takes the owner's id: a task of another user is indistinguishable from none. */
export class TaskService {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(userId: number, input: NewTask): Promise<Task> {
    const [row] = await this.#db
      .insert(tasks)
      .values({
        userId,
        title: input.title,
        description: input.description ?? null,
        priority: input.priority ?? 'medium',
        dueDate: input.dueDate ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    return toTask(row);
  }

  async get(userId: number, id: number): Promise<Task | undefined> {
    const [row] = await this.#db
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)));
    return row && toTask(row);
  }

  async list(userId: number, query: TaskQuery = {}): Promise<TaskPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const filters: (SQL | undefined)[] = [eq(tasks.userId, userId)];
    if (query.status === 'active') filters.push(eq(tasks.completed, false));
    if (query.status === 'completed') filters.push(eq(tasks.completed, true));
    if (query.search) {
      const pattern = `%${escapeLike(query.search)}%`;
      filters.push(or(ilike(tasks.title, pattern), ilike(tasks.description, pattern)));
    }
    const where = and(...filters);
    const column = SORT_COLUMNS[query.sort ?? 'created'];
    const direction =
      (query.order ?? (query.sort === 'title' || query.sort === 'due' ? 'asc' : 'desc')) === 'asc'
        ? asc
        : desc;
    const [rows, totals] = await Promise.all([
      this.#db
        .select()
        .from(tasks)
        .where(where)
        .orderBy(sql`${direction(column)} NULLS LAST`, direction(tasks.id))
        .limit(limit)
        .offset(offset),
      this.#db.select({ total: count() }).from(tasks).where(where),
    ]);
    return { items: rows.map(toTask), total: totals[0]?.total ?? 0, limit, offset };
  }

  async update(userId: number, id: number, patch: TaskPatch): Promise<Task | undefined> {
    const changes: Partial<typeof tasks.$inferInsert> = { updatedAt: new Date() };
    if (patch.title !== undefined) changes.title = patch.title;
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.priority !== undefined) changes.priority = patch.priority;
    if (patch.dueDate !== undefined) changes.dueDate = patch.dueDate;
    if (patch.completed !== undefined) {
      changes.completed = patch.completed;
      changes.completedAt = patch.completed ? new Date() : null;
    }
    const [row] = await this.#db
      .update(tasks)
      .set(changes)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
      .returning();
    return row && toTask(row);
  }

  async toggle(userId: number, id: number): Promise<Task | undefined> {
    const [row] = await this.#db
      .update(tasks)
      .set({
        completed: sql`NOT ${tasks.completed}`,
        completedAt: sql`CASE WHEN ${tasks.completed} THEN NULL ELSE now() END`,
        updatedAt: new Date(),
      })
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
      .returning();
    return row && toTask(row);
  }

  async remove(userId: number, id: number): Promise<Task | undefined> {
    const [row] = await this.#db
      .delete(tasks)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
      .returning();
    return row && toTask(row);
  }
}
