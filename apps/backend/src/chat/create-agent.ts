import type { LlmConfig } from '../config/config.ts';
import type { Agent } from './agent.ts';

export function createAgent(_config: LlmConfig): Agent {
  return { name: 'builtin', respond: async () => ({ reply: 'TODO', actions: [] }) };
}
