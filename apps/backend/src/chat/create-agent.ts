import type { LlmConfig } from '../config/config.ts';
import type { Agent } from './agent.ts';
import { createBuiltinAgent } from './builtin-agent.ts';
import { createOpenAiAgent } from './openai-agent.ts';

/** Every provider but the builtin one speaks the OpenAI Chat Completions protocol. */
export function createAgent(config: LlmConfig): Agent {
  return config.provider === 'builtin' ? createBuiltinAgent() : createOpenAiAgent(config);
}
