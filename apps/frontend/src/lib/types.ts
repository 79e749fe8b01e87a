/** Shapes of the backend's JSON, as served at /api/openapi.json. */

export interface User {
  id: number;
  email: string;
  name: string | null;
  createdAt: string;
}

export type Priority = 'low' | 'medium' | 'high';
export type TaskStatus = 'all' | 'active' | 'completed';
export type TaskSort = 'created' | 'updated' | 'due' | 'priority' | 'title';
export type SortOrder = 'asc' | 'desc';

export interface Task {
  id: number;
  title: string;
  description: string | null;
  priority: Priority;
  dueDate: string | null;
  /** HH:MM on the due date, or null. */
  dueTime: string | null;
  completed: boolean;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskPage {
  items: Task[];
  total: number;
  limit: number;
  offset: number;
}

export interface TaskInput {
  title: string;
  description?: string | null;
  priority?: Priority;
  dueDate?: string | null;
  dueTime?: string | null;
}

export interface ToolAction {
  tool: string;
  arguments: Record<string, unknown>;
  ok: boolean;
  result: unknown;
}

export interface ChatMessage {
  id: number;
  role: 'user' | 'assistant';
  content: string;
  actions: ToolAction[];
  createdAt: string;
}

export interface Conversation {
  id: number;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationWithMessages extends Conversation {
  messages: ChatMessage[];
}

export interface ChatReply {
  conversationId: number;
  reply: string;
  actions: ToolAction[];
  message: ChatMessage;
}
