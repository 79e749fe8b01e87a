import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  time,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { toolActionSchema } from '../chat/chat-schemas.ts';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

// Tasks are read in pages of up to 100 rows: their timestamps stay the strings PostgreSQL
// sends, because parsing them into Dates and formatting them again dominated the cost of
// a page (see apps/backend/BENCHMARKS.md). toTask() turns them into ISO 8601.
const taskTimestamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: varchar('email', { length: 254 }).notNull(),
    name: varchar('name', { length: 100 }),
    passwordHash: text('password_hash').notNull(),
    /** The number the user's last task got: numbers only grow, so a deleted one is never reused. */
    lastTaskNumber: integer('last_task_number').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const priority = pgEnum('task_priority', ['low', 'medium', 'high']);

export const tasks = pgTable(
  'tasks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /**
     * The task's number for its user (#1, #2...): what the UI, the API, the assistant and the
     * MCP tools call it. The global id stays inside the database.
     */
    number: integer('number').notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    description: text('description'),
    priority: priority('priority').notNull().default('medium'),
    dueDate: date('due_date', { mode: 'string' }),
    /** A time of day on the due date, when the user named one ("at 5pm"). */
    dueTime: time('due_time', { precision: 0 }),
    completed: boolean('completed').notNull().default(false),
    completedAt: taskTimestamp('completed_at'),
    createdAt: taskTimestamp('created_at').notNull().defaultNow(),
    updatedAt: taskTimestamp('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('tasks_user_created_idx').on(t.userId, t.createdAt),
    uniqueIndex('tasks_user_number_key').on(t.userId, t.number),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: varchar('title', { length: 200 }).notNull(),
    ...timestamps,
  },
  (t) => [index('conversations_user_updated_idx').on(t.userId, t.updatedAt)],
);

export const messageRole = pgEnum('message_role', ['user', 'assistant']);

export const messages = pgTable(
  'messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: messageRole('role').notNull(),
    content: text('content').notNull(),
    /** Tool actions the assistant took while producing this message. */
    actions: jsonb('actions').$type<ToolAction[]>().notNull().default([]),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.id)],
);

/**
 * Sessions ended before their token expired (logout). Tokens are stateless JWTs, so a token
 * stays valid until it expires unless its id is listed here; rows go once the token expires.
 */
export const revokedSessions = pgTable(
  'revoked_sessions',
  {
    jti: varchar('jti', { length: 64 }).primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('revoked_sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Rate-limit counters (login attempts), kept in the database so every replica counts the same
 * attempts: per-pod memory would let a client multiply its allowance by the replica count.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: varchar('key', { length: 512 }).primaryKey(),
    count: integer('count').notNull(),
    windowEndsAt: timestamp('window_ends_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('rate_limits_window_ends_idx').on(t.windowEndsAt)],
);

export interface ToolAction extends z.infer<typeof toolActionSchema> {
  /** The call that reverses a change, kept with the message for "undo" (never sent to clients). */
  undo?: { tool: string; arguments: Record<string, unknown> };
}

export type UserRow = typeof users.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
