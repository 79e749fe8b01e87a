import type { ToolAction } from '../db/schema.ts';
import type { Agent } from './agent.ts';
import { parseCommand } from './builtin/parse-command.ts';
import { perform, type Run } from './builtin/perform.ts';

/**
 * The assistant used when no LLM is configured: a deterministic command parser that acts only
 * through the same tools a model would get, so it obeys the same validation and ownership rules.
 */
export function createBuiltinAgent(): Agent {
  return {
    name: 'builtin',
    async respond(input) {
      const actions: ToolAction[] = [];
      const run: Run = async (name, args) => {
        // After a timeout the user has been told the turn failed, so nothing more may change.
        input.signal.throwIfAborted();
        const action = await input.runTool(name, args);
        actions.push(action);
        return action;
      };
      const intent = parseCommand(input.message, input.today, input.now);
      const reply = await perform(intent, run, input.today, input.history);
      return { reply, actions };
    },
  };
}
