import type { ToolAction } from '../db/schema.ts';
import type { ToolRunner } from './tools.ts';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
  /** What an assistant turn did to the tasks (what "undo" takes back). */
  actions?: ToolAction[];
}

export interface AgentInput {
  /** Earlier turns of the conversation, oldest first, without the new message. */
  history: ChatTurn[];
  message: string;
  runTool: ToolRunner;
  /** Aborted when the turn exceeds LLM_TIMEOUT_MS; an agent stops calling out when it fires. */
  signal: AbortSignal;
  /** Today's date as YYYY-MM-DD in the server's time zone, for relative dates. */
  today: string;
  /** The time of day as HH:MM in the same zone, for "at 5pm" and "in 2 hours"; 09:00 if unset. */
  now?: string;
}

export interface AgentReply {
  reply: string;
  actions: ToolAction[];
}

export interface Agent {
  readonly name: string;
  respond(input: AgentInput): Promise<AgentReply>;
}
