import {
  and,
  asc,
  between,
  count,
  desc,
  eq,
  ilike,
  isNull,
  lt,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { type TaskRow, tasks, users } from '../db/schema.ts';
import type {
  NewTask,
  Priority,
  Task,
  TaskListQuery,
  TaskPage,
  TaskPatch,
} from './task-schemas.ts';

// The assistant's modules take the task types from the service they call.
export type { Priority, Task } from './task-schemas.ts';

/** A token that outlived its account: the owner of a new task is gone. */
export class AccountGone extends Error {
  constructor(userId: number) {
    super(`user ${userId} no longer exists`);
  }
}

type TaskStatus = TaskListQuery['status'];
type TaskSort = TaskListQuery['sort'];

/** Due-date filters, relative to the day the list is asked for. */
export const DUE_FILTERS = ['today', 'tomorrow', 'this_week', 'overdue', 'none'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/** This machine's date (YYYY-MM-DD), which "today" and "overdue" are counted from. */
export function localToday(now = new Date()): string {
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** This machine's time of day (HH:MM), which "at 5pm" and "in 2 hours" are counted from. */
export function localTime(now = new Date()): string {
  return `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
}

/** Pure: a date (YYYY-MM-DD) some days later, or earlier for a negative count. */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Pure: the due dates a filter takes, from `today` (this week: today and the six days after). */
export function dueBounds(due: DueFilter, today: string): { dueFrom?: string; dueTo?: string } {
  if (due === 'today' || due === 'overdue') return { dueFrom: today };
  if (due === 'tomorrow') return { dueFrom: addDays(today, 1) };
  if (due === 'this_week') return { dueFrom: today, dueTo: addDays(today, 6) };
  return {};
}

/** The API's list query, with its text search named for what it does. */
export type TaskQuery = Partial<Omit<TaskListQuery, 'q'>> & {
  search?: string | undefined;
  /** The day due filters count from; this machine's date by default. */
  today?: string | undefined;
};

/**
 * PostgreSQL's text form of a timestamptz as ISO 8601 in UTC with milliseconds, like
 * Date#toISOString(). The connection's time zone is UTC ('2026-01-02 03:04:05.678+00'), so
 * this is string surgery; any other form goes through Date.
 */
export function isoTimestamp(text: string): string {
  if (text.length >= 22 && text[10] === ' ' && text.endsWith('+00')) {
    const dot = text.indexOf('.', 19);
    // 1 to 6 fraction digits, or none; Date#toISOString() has exactly 3.
    const millis = dot === -1 ? '000' : `${text.slice(dot + 1, -3)}00`.slice(0, 3);
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${millis}Z`;
  }
  return new Date(text).toISOString();
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.number,
    title: row.title,
    description: row.description,
    priority: row.priority,
    dueDate: row.dueDate,
    dueTime: row.dueTime === null ? null : row.dueTime.slice(0, 5),
    completed: row.completed,
    completedAt: row.completedAt === null ? null : isoTimestamp(row.completedAt),
    createdAt: isoTimestamp(row.createdAt),
    updatedAt: isoTimestamp(row.updatedAt),
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

interface ListShape {
  status: TaskStatus;
  search: boolean;
  priority: boolean;
  due: DueFilter | undefined;
  sort: TaskSort;
  order: 'asc' | 'desc';
}

type Value = SQLWrapper | string;
/** The filters' values: placeholders in a prepared statement, literals in the count. */
type FilterValues = { pattern?: Value; priority?: Value; dueFrom?: Value; dueTo?: Value };

function listFilters(shape: Omit<ListShape, 'sort' | 'order'>, values: FilterValues) {
  return (userId: SQLWrapper | number): (SQL | undefined)[] => {
    const filters: (SQL | undefined)[] = [eq(tasks.userId, userId)];
    if (shape.status === 'active') filters.push(eq(tasks.completed, false));
    if (shape.status === 'completed') filters.push(eq(tasks.completed, true));
    if (shape.search && values.pattern !== undefined) {
      filters.push(
        or(ilike(tasks.title, values.pattern), ilike(tasks.description, values.pattern)),
      );
    }
    if (shape.priority && values.priority !== undefined)
      filters.push(eq(tasks.priority, values.priority as Priority));
    const { dueFrom, dueTo } = values;
    if (shape.due === 'none') filters.push(isNull(tasks.dueDate));
    if ((shape.due === 'today' || shape.due === 'tomorrow') && dueFrom !== undefined)
      filters.push(eq(tasks.dueDate, dueFrom as string));
    if (shape.due === 'this_week' && dueFrom !== undefined && dueTo !== undefined)
      filters.push(between(tasks.dueDate, dueFrom as string, dueTo as string));
    if (shape.due === 'overdue' && dueFrom !== undefined)
      filters.push(lt(tasks.dueDate, dueFrom as string), eq(tasks.completed, false));
    return filters;
  };
}

/**
 * The page and the total in one statement (count(*) over the whole filtered set), prepared
 * once per shape of query: a page costs one round trip, and neither building the SQL nor
 * planning it is repeated per request.
 */
function prepareList(db: Db, shape: ListShape, name: string) {
  const direction = shape.order === 'asc' ? asc : desc;
  const values: FilterValues = {
    pattern: sql.placeholder('pattern'),
    priority: sql.placeholder('priority'),
    dueFrom: sql.placeholder('dueFrom'),
    dueTo: sql.placeholder('dueTo'),
  };
  return db
    .select({
      task: tasks,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(tasks)
    .where(and(...listFilters(shape, values)(sql.placeholder('userId'))))
    .orderBy(sql`${direction(SORT_COLUMNS[shape.sort])} NULLS LAST`, direction(tasks.number))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare(name);
}

type ListStatement = ReturnType<typeof prepareList>;

/**
 * Every method takes the owner's id and the task's number for that owner: a task of another
 * user is indistinguishable from none.
 */
export class TaskService {
  readonly #db: Db;
  /** At most 3 statuses x 2 x 2 x 6 due filters x 5 sorts x 2 orders = 1,440 statements. */
  readonly #listStatements = new Map<string, ListStatement>();

  constructor(db: Db) {
    this.#db = db;
  }

  async create(userId: number, input: NewTask): Promise<Task> {
    // The counter's row lock orders two creations of one user; their numbers never collide.
    const row = await this.#db.transaction(async (tx) => {
      const [owner] = await tx
        .update(users)
        .set({ lastTaskNumber: sql`${users.lastTaskNumber} + 1` })
        .where(eq(users.id, userId))
        .returning({ number: users.lastTaskNumber });
      if (!owner) throw new AccountGone(userId);
      const [created] = await tx
        .insert(tasks)
        .values({
          userId,
          number: owner.number,
          title: input.title,
          description: input.description ?? null,
          priority: input.priority ?? 'medium',
          dueDate: input.dueDate ?? null,
          dueTime: input.dueDate ? (input.dueTime ?? null) : null,
        })
        .returning();
      return created;
    });
    if (!row) throw new Error('insert returned no row');
    return toTask(row);
  }

  async get(userId: number, number: number): Promise<Task | undefined> {
    const [row] = await this.#db
      .select()
      .from(tasks)
      .where(and(eq(tasks.number, number), eq(tasks.userId, userId)));
    return row && toTask(row);
  }

  async list(userId: number, query: TaskQuery = {}): Promise<TaskPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const sort = query.sort ?? 'created';
    const shape: ListShape = {
      status: query.status ?? 'all',
      search: Boolean(query.search),
      priority: query.priority !== undefined,
      due: query.due,
      sort,
      order: query.order ?? (sort === 'title' || sort === 'due' ? 'asc' : 'desc'),
    };
    const name = [
      'tasks_list',
      shape.status,
      shape.search ? 'search' : 'any',
      shape.priority ? 'prio' : 'anyprio',
      shape.due ?? 'anydue',
      sort,
      shape.order,
    ].join('_');
    let statement = this.#listStatements.get(name);
    if (!statement) {
      statement = prepareList(this.#db, shape, name);
      this.#listStatements.set(name, statement);
    }
    const values = {
      pattern: query.search ? `%${escapeLike(query.search)}%` : undefined,
      priority: query.priority,
      ...(query.due ? dueBounds(query.due, query.today ?? localToday()) : {}),
    };
    const rows = await statement.execute({ userId, limit, offset, ...values });
    // The window count comes with every row; a page past the end has none to carry it.
    let total = rows[0]?.total;
    if (total === undefined) {
      total = offset === 0 ? 0 : await this.#count(userId, shape, values);
    }
    return { items: rows.map((row) => toTask(row.task)), total, limit, offset };
  }

  async #count(userId: number, shape: ListShape, values: FilterValues): Promise<number> {
    const [row] = await this.#db
      .select({ total: count() })
      .from(tasks)
      .where(and(...listFilters(shape, values)(userId)));
    return row?.total ?? 0;
  }

  async update(userId: number, number: number, patch: TaskPatch): Promise<Task | undefined> {
    const changes: Partial<typeof tasks.$inferInsert> = {
      updatedAt: new Date().toISOString(),
    };
    if (patch.title !== undefined) changes.title = patch.title;
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.priority !== undefined) changes.priority = patch.priority;
    if (patch.dueDate !== undefined) changes.dueDate = patch.dueDate;
    if (patch.dueTime !== undefined) changes.dueTime = patch.dueTime;
    // A time belongs to its date: clearing the date clears it.
    if (patch.dueDate === null) changes.dueTime = null;
    if (patch.completed !== undefined) {
      changes.completed = patch.completed;
      changes.completedAt = patch.completed ? new Date().toISOString() : null;
    }
    const [row] = await this.#db
      .update(tasks)
      .set(changes)
      .where(and(eq(tasks.number, number), eq(tasks.userId, userId)))
      .returning();
    return row && toTask(row);
  }

  async toggle(userId: number, number: number): Promise<Task | undefined> {
    const [row] = await this.#db
      .update(tasks)
      .set({
        completed: sql`NOT ${tasks.completed}`,
        completedAt: sql`CASE WHEN ${tasks.completed} THEN NULL ELSE now() END`,
        updatedAt: new Date().toISOString(),
      })
      .where(and(eq(tasks.number, number), eq(tasks.userId, userId)))
      .returning();
    return row && toTask(row);
  }

  async remove(userId: number, number: number): Promise<Task | undefined> {
    const [row] = await this.#db
      .delete(tasks)
      .where(and(eq(tasks.number, number), eq(tasks.userId, userId)))
      .returning();
    return row && toTask(row);
  }
}
