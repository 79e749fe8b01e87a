import OpenAI from 'openai';
import { z } from 'zod';
import type { LlmConfig } from '../config/config.ts';
import type { ToolAction } from '../db/schema.ts';
import type { Agent, AgentInput } from './agent.ts';
import { TOOL_NAMES, toolDescriptions, toolInputs } from './tools.ts';

/** Tool-call rounds per turn; a model still calling tools after this is going in circles. */
const MAX_ROUNDS = 5;

type JsonSchema = { [key: string]: unknown };

const PORTABLE_KEYWORDS = new Set([
  'type',
  'description',
  'required',
  'enum',
  'format',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
]);

/**
 * Reduces a generated JSON Schema to keywords OpenAI-compatible providers agree on: Gemini's
 * function declarations reject `$schema`, `additionalProperties` and `exclusiveMinimum`, and
 * support for `type: "null"` varies. Nothing is lost, because the tools validate their
 * arguments again and report violations back to the model.
 */
function portableSchema(node: JsonSchema): JsonSchema {
  const variants = Array.isArray(node.anyOf) ? (node.anyOf as JsonSchema[]) : [];
  const [only, ...others] = variants.filter((variant) => variant.type !== 'null');
  if (only && others.length === 0 && variants.length > 1) {
    const said = typeof node.description === 'string' ? node.description : '';
    const description = /\bnull\b/.test(said)
      ? said
      : [said, 'may be null to clear it'].filter(Boolean).join('; ');
    return portableSchema({ ...only, description });
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [
          name,
          portableSchema(child),
        ]),
      );
    } else if (key === 'exclusiveMinimum' && typeof value === 'number') {
      out.minimum = node.type === 'integer' ? value + 1 : value;
    } else if (PORTABLE_KEYWORDS.has(key) && value !== Number.MAX_SAFE_INTEGER) {
      // MAX_SAFE_INTEGER is zod's int() bound rather than a real limit: noise in the prompt.
      out[key] = value;
    }
  }
  return out;
}

const openAiTools: OpenAI.ChatCompletionFunctionTool[] = TOOL_NAMES.map((name) => ({
  type: 'function',
  function: {
    name,
    description: toolDescriptions[name],
    parameters: portableSchema(z.toJSONSchema(toolInputs[name], { io: 'input' }) as JsonSchema),
  },
}));

function systemPrompt(today: string) {
  return [
    "You are the assistant of a todo app and manage the user's tasks.",
    `Today's date is ${today}. Resolve relative dates such as "tomorrow" or "next friday" against it and pass dates as YYYY-MM-DD.`,
    'Use the tools for every change to tasks and never claim a change that no tool call made.',
    'When the user names a task by its title, call list_tasks with a search to find its id; if several tasks match, ask which one.',
    'Refer to tasks as #id, for example #4. If a tool fails, say what went wrong.',
    'Be concise: one to three short sentences, or a short list.',
  ].join('\n');
}

/** Models sometimes send "" for a tool without arguments, or JSON that does not parse. */
function parseArguments(raw: string): { args: unknown; error?: string } {
  if (raw.trim() === '') return { args: {} };
  try {
    return { args: JSON.parse(raw) };
  } catch {
    // The raw string reaches the tool runner, which records it as a failed action.
    return { args: raw, error: 'The arguments were not valid JSON; send a JSON object.' };
  }
}

export function createOpenAiAgent(config: Exclude<LlmConfig, { provider: 'builtin' }>): Agent {
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    timeout: config.timeoutMs,
    // One retry smooths over a blip; more would outlast the turn's timeout anyway.
    maxRetries: 1,
    // Only our configuration picks where requests go and what they carry, not OPENAI_* env vars.
    organization: null,
    project: null,
  });

  async function respond(input: AgentInput) {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'system', content: systemPrompt(input.today) },
      ...input.history.map((turn) => ({ role: turn.role, content: turn.content })),
      { role: 'user', content: input.message },
    ];
    const actions: ToolAction[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const completion = await client.chat.completions.create(
        { model: config.model, messages, tools: openAiTools },
        { signal: input.signal },
      );
      const message = completion.choices[0]?.message;
      if (!message) throw new Error(`${config.provider} returned a completion without choices`);
      const calls = (message.tool_calls ?? []).filter((call) => call.type === 'function');
      if (calls.length === 0) {
        const reply = message.content?.trim() || message.refusal?.trim();
        return {
          reply: reply || (actions.length > 0 ? 'Done.' : "Sorry, I don't have an answer to that."),
          actions,
        };
      }
      messages.push({ role: 'assistant', content: message.content, tool_calls: calls });
      for (const call of calls) {
        // Once the turn has timed out the user was told so; no further changes may happen.
        input.signal.throwIfAborted();
        const { args, error } = parseArguments(call.function.arguments);
        const action = await input.runTool(call.function.name, args);
        actions.push(action);
        messages.push({
          role: 'tool',
          tool_call_id: call.id,
          content: JSON.stringify(error ? { error } : action.result),
        });
      }
    }
    return {
      reply: `Sorry, I stopped after ${MAX_ROUNDS} rounds of tool calls without finishing. ${
        actions.length > 0 ? 'Some changes may have been made; check your tasks.' : ''
      }`.trim(),
      actions,
    };
  }

  return { name: `${config.provider}:${config.model}`, respond };
}
