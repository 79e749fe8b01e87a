import type { Intent, TaskRef } from './intent.ts';
import { normalize } from './text.ts';

/**
 * Messages of more than one clause: "the rent is paid, tick it off", "I need to call the bank
 * tomorrow, could you note that down?", "scrap #3, it's not needed anymore". One clause holds
 * the request, the others name its task or give a reason.
 */

/**
 * Sentence ends, semicolons, commas, dashes and colons, except the colon that introduces a
 * task or a note ("new task: ...", "note: ...").
 */
const CLAUSE_BREAK =
  /(?<=[.!?;])\s+|\s*[,;]\s+|(?<!\b(?:note|notes|description|details?|task|todo|to-do|reminder|add|new|re|search|find))\s*:\s+|\s+-\s+|\s+(?:and|&)\s+(?:also\s+|then\s+)?(?=(?:add|mark|complete|delete|remove|rename|reopen|tick|check off|cross off|create|remind me|push|move|postpone|give|bump|set|change|lower|raise)\b)/i;

/** A clause that is only an aside ("maybe?", "thanks"). */
const ASIDE =
  /^(?:maybe|perhaps|probably|i think|i guess|i suppose|please|pls|thanks|thank you|thx|ok|okay|lol)$/i;

/** Pure: a message cut into clauses, each without its asides. */
export function clausesOf(text: string): string[] {
  return text
    .split(CLAUSE_BREAK)
    .map(normalize)
    .filter((clause, _, all) => clause && !(all.length > 1 && ASIDE.test(clause)));
}

/**
 * "can you add that?", "note it down", "put it down for next tuesday": the task is the other
 * clause; what follows ("for next tuesday") is said of it.
 */
const ADD_THAT =
  /^(?:(?:add|note|write|jot|put|save|remember|keep)(?: (?:that|it|this))(?: (?:down|up|in|anyway|too|as well|as an? (?:task|reminder|todo)|(?:on|to|in) (?:my|the) (?:list|tasks|todos)|for (?:me|later)))*(?:\s+((?:for|on|at|by|due)\s+.+))?|(?:make|set|create) (?:that|it|this) (?:as )?an? (?:task|reminder|todo)|make an? (?:note|task|reminder|todo) (?:of|for) (?:that|it|this))$/i;

/** Parses one clause; `quick` lets a bare phrase with a date be a quick add. */
type Parse = (clause: string, quick?: boolean) => Intent;

export type Readers = {
  parse: Parse;
  /** The add a clause stands for, even without a command ("buy milk friday"). */
  add: (text: string) => Intent | undefined;
  /** Whether a clause is only a date, time or priority ("on wednesday", "high priority"). */
  modifier: (text: string) => boolean;
};

const taskOf = (intent: Intent): TaskRef | undefined =>
  'task' in intent ? intent.task : undefined;

const isChatter = (intent: Intent) => ['help', 'thanks', 'confirm', 'undo'].includes(intent.kind);

/** A task number said in passing ("I think number 2 is actually done"). */
const NUMBER = /(?:#|\b(?:task|number|no\.?|item)\s+#?)(\d{1,15})\b/i;
/**
 * "show it", "find tasks containing it", "is there a task for that?", "can you show me?": a
 * listing of what the rest says.
 */
const SHOW_IT =
  /\b(?:it|them|those|these|that)$|^(?:show|list|display|give)(?: me)?$|\b(?:about|for|with|mentioning) (?:that|it|them)\b/i;
const PRONOUN =
  /\b(?:it|them|those|these|that)$|(?<=^(?:show|list|display|give)(?: me)?)$|(?<=\b(?:about|for|with|mentioning) )(?:that|it|them)\b/i;
const PRIORITY_ONLY =
  /^(?:(?:a\s+)?(?:high|hi|low|medium|normal|top)[\s-]priority|urgent|important|asap)$/i;
/** "there was something about mom": the words a search is for. */
const SOMETHING_ABOUT =
  /^(?:there\s+(?:was|is|were|are)\s+|i\s+(?:had|have|remember|recall)\s+)?(?:something|anything|stuff|a task|tasks?|one)\s+(?:about|on|for|with|mentioning)\s+/i;

/** What "it" stands for: a number said in passing, else the task the words speak of. */
function referent(context: string): TaskRef {
  const number = NUMBER.exec(context)?.[1];
  return number ? { id: Number(number) } : { context };
}

/** "completed ones - wipe them all", "I don't need my completed tasks, remove them" */
function bulkScope(context: string): 'completed' | 'all' | undefined {
  if (/\b(?:completed|done|finished|ticked)\b/i.test(context)) return 'completed';
  if (
    /\b(?:everything|(?:all|any|each|every one) of (?:my |the )?tasks|all (?:my |the )?tasks|my tasks|whole list)\b/i.test(
      context,
    )
  )
    return 'all';
  return undefined;
}

function aboutIt(clauses: string[], { parse }: Readers): Intent | undefined {
  const parsed = clauses.map((clause) => parse(clause));
  const bulk = parsed.findIndex(
    (intent) => intent.kind === 'bulk_delete' && intent.scope === 'all',
  );
  // "completed tasks: delete all": all of what the other clause names.
  if (bulk >= 0 && bulkScope(clauses.filter((_, i) => i !== bulk).join(', ')) === 'completed')
    return { kind: 'bulk_delete', scope: 'completed' };
  const index = parsed.findIndex((intent) => {
    const task = taskOf(intent);
    return task !== undefined && 'pronoun' in task;
  });
  const intent = parsed[index];
  const task = intent && taskOf(intent);
  if (!intent || !task || !('pronoun' in task)) return undefined;
  const context = clauses.filter((_, i) => i !== index);
  const said = context.join(', ');
  // "the rent shouldn't have a deadline - clear it": the date goes, not the task.
  if (intent.kind === 'delete' && /\b(?:deadline|due date)\b/i.test(said))
    return { kind: 'set_due', task: referent(said), dueDate: null };
  if (task.pronoun === 'many') {
    const scope = intent.kind === 'delete' ? bulkScope(said) : undefined;
    if (scope) return { kind: 'bulk_delete', scope };
    const parts = said.split(/\s+(?:and|&)\s+|\s*,\s*/).filter(Boolean);
    if (parts.length > 1)
      return {
        kind: 'each',
        intents: parts.map((part) => ({ ...intent, task: referent(part) }) as Intent),
      };
  }
  // "add buy milk and mark it urgent": "it" is the task the other clause adds.
  const added = context.length === 1 ? parse(said) : undefined;
  if (added?.kind === 'add') return { kind: 'each', intents: [added, intent] };
  return { ...intent, task: referent(said) } as Intent;
}

function addThat(clauses: string[], { parse, add }: Readers): Intent | undefined {
  const asked = clauses.findIndex((clause) => ADD_THAT.test(clause));
  if (asked < 0) return undefined;
  const said = ADD_THAT.exec(clauses[asked] ?? '')?.[1];
  const rest = [clauses.filter((_, i) => i !== asked).join(', '), said].filter(Boolean).join(' ');
  const intent = parse(rest);
  return intent.kind === 'add' ? intent : add(rest);
}

function showIt(clauses: string[], { parse }: Readers): Intent | undefined {
  const index = clauses.findIndex((clause) => SHOW_IT.test(clause));
  const shown = clauses[index];
  if (!shown) return undefined;
  const said = clauses
    .filter((_, i) => i !== index)
    .join(', ')
    .replace(SOMETHING_ABOUT, '');
  const intent = parse(shown.replace(PRONOUN, ` ${said}`).replace(/\s+/g, ' '));
  return intent.kind === 'list' ? intent : undefined;
}

/**
 * "on wednesday, remind me to ...", "rent - medium priority", "this week - what do I have
 * due?", "with the note 'bring the receipt', add ...": the qualifying clauses join the request,
 * at its end where the command patterns look for them.
 */
function modifierClause(clauses: string[], { parse, modifier }: Readers): Intent | undefined {
  // Trailing ones are where the command patterns look already.
  const [first = ''] = clauses;
  // "URGENT - finish the slides" is a new task, not a change to one: left to the add patterns.
  if (!modifier(first) || PRIORITY_ONLY.test(first) || clauses.every(modifier)) return undefined;
  const qualifiers = clauses.filter(modifier);
  // "monday - move the rent there": "there" is the date.
  const rest = clauses
    .filter((clause) => !modifier(clause))
    .join(', ')
    .replace(/\s+(?:there|then)$/i, ' to');
  const intent = parse(`${rest} ${qualifiers.join(' ')}`, true);
  return intent.kind === 'help' ? undefined : intent;
}

/**
 * Pure: the request of a message whose clauses refer to each other: an "add that" clause takes
 * its task from the rest; a request about "it" or "both" acts on what the other clauses name;
 * "show it" lists what they say; a clause that is only a date or a priority qualifies the rest.
 */
export function combineClauses(clauses: string[], readers: Readers): Intent | undefined {
  return (
    addThat(clauses, readers) ??
    aboutIt(clauses, readers) ??
    showIt(clauses, readers) ??
    modifierClause(clauses, readers)
  );
}

/** Pure: the requests among clauses that were not understood as one message. */
export function requestsAmong(clauses: string[], parse: Parse): Intent | undefined {
  const requests = clauses.map((clause) => parse(clause)).filter((intent) => !isChatter(intent));
  const [first] = requests;
  if (!first || requests.length === 1) return first;
  // "paid the rent, called mom", "move the report to thursday. Also mark rent paid": each
  // change in turn. A listing, a question back, or a new task beside other kinds is answered
  // alone: "wipe everything, I want to start over" does not add "start over".
  const alone = ['list', 'bulk_delete', 'delete_many', 'add', 'quick'];
  const mixed = requests.some((intent) => intent.kind !== first.kind);
  return requests.some((intent) => alone.includes(intent.kind) && (mixed || intent.kind === 'list'))
    ? first
    : { kind: 'each', intents: requests };
}
