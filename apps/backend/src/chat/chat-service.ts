import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import {
  type ConversationRow,
  conversations,
  type MessageRow,
  messages,
  type ToolAction,
} from '../db/schema.ts';
import { localTime, localToday, type TaskService } from '../tasks/task-service.ts';
import type { Agent, ChatTurn } from './agent.ts';
import type {
  ChatMessage,
  ChatReply,
  Conversation,
  ConversationWithMessages,
} from './chat-schemas.ts';
import { createToolRunner } from './tools.ts';

/** How many earlier messages the agent sees; older context costs tokens and rarely matters. */
const HISTORY_LIMIT = 20;

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  title: row.title,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const toMessage = (row: MessageRow): ChatMessage => ({
  id: row.id,
  role: row.role,
  content: row.content,
  actions: row.actions,
  createdAt: row.createdAt.toISOString(),
});

function titleFrom(message: string) {
  const line = message.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line || 'New conversation';
}

export class ChatService {
  readonly #db: Db;
  readonly #tasks: TaskService;
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  readonly #log: (error: unknown) => void;

  constructor(opts: {
    db: Db;
    tasks: TaskService;
    agent: Agent;
    timeoutMs: number;
    logError: (error: unknown) => void;
  }) {
    this.#db = opts.db;
    this.#tasks = opts.tasks;
    this.#agent = opts.agent;
    this.#timeoutMs = opts.timeoutMs;
    this.#log = opts.logError;
  }

  async listConversations(userId: number): Promise<Conversation[]> {
    const rows = await this.#db
      .select()
      .from(conversations)
      .where(eq(conversations.userId, userId))
      .orderBy(desc(conversations.updatedAt), desc(conversations.id))
      .limit(100);
    return rows.map(toConversation);
  }

  async getConversation(userId: number, id: number): Promise<ConversationWithMessages | undefined> {
    const [row] = await this.#db
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, id), eq(conversations.userId, userId)));
    if (!row) return undefined;
    const rows = await this.#db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, id))
      .orderBy(asc(messages.id));
    return { ...toConversation(row), messages: rows.map(toMessage) };
  }

  async deleteConversation(userId: number, id: number): Promise<boolean> {
    const rows = await this.#db
      .delete(conversations)
      .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
      .returning({ id: conversations.id });
    return rows.length > 0;
  }

  /**
   * Stores the user's message before the agent runs, so a provider failure or timeout never
   * loses it; the agent's failure becomes an assistant message that says what happened.
   * Returns undefined when conversationId names no conversation of this user.
   */
  async send(
    userId: number,
    message: string,
    conversationId?: number,
  ): Promise<ChatReply | undefined> {
    let conversation: ConversationRow | undefined;
    if (conversationId === undefined) {
      [conversation] = await this.#db
        .insert(conversations)
        .values({ userId, title: titleFrom(message) })
        .returning();
    } else {
      [conversation] = await this.#db
        .select()
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)));
    }
    if (!conversation) return undefined;
    const id = conversation.id;

    const history = (
      await this.#db
        .select({ role: messages.role, content: messages.content, actions: messages.actions })
        .from(messages)
        .where(eq(messages.conversationId, id))
        .orderBy(desc(messages.id))
        .limit(HISTORY_LIMIT)
    ).reverse();
    await this.#db.insert(messages).values({ conversationId: id, role: 'user', content: message });

    const actions: ToolAction[] = [];
    const runTool = createToolRunner(this.#tasks, userId);
    const recordingRunner: typeof runTool = async (name, args) => {
      const action = await runTool(name, args);
      actions.push(action);
      return action;
    };
    const reply = await this.#runAgent(history, message, recordingRunner);

    const [stored] = await this.#db
      .insert(messages)
      .values({ conversationId: id, role: 'assistant', content: reply, actions })
      .returning();
    await this.#db
      .update(conversations)
      .set({ updatedAt: new Date() })
      .where(eq(conversations.id, id));
    if (!stored) throw new Error('insert returned no row');
    return { conversationId: id, reply, actions, message: toMessage(stored) };
  }

  async #runAgent(
    history: ChatTurn[],
    message: string,
    runTool: ReturnType<typeof createToolRunner>,
  ): Promise<string> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new AgentTimeout());
      }, this.#timeoutMs);
    });
    try {
      const result = await Promise.race([
        this.#agent.respond({
          history,
          message,
          runTool,
          signal: controller.signal,
          today: localToday(),
          now: localTime(),
        }),
        timeout,
      ]);
      return result.reply;
    } catch (error) {
      if (error instanceof AgentTimeout) {
        return `Sorry, the assistant (${this.#agent.name}) did not answer within ${formatDuration(this.#timeoutMs)}. Your message is saved; please try again.`;
      }
      this.#log(error);
      return `Sorry, the assistant (${this.#agent.name}) is unavailable right now. Your message is saved; please try again in a moment.`;
    } finally {
      clearTimeout(timer);
    }
  }
}

class AgentTimeout extends Error {}

function formatDuration(ms: number) {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}
