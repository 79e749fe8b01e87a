import { ADD_PATTERNS, onlyModifiers, parseAdd } from './add.ts';
import { clausesOf, combineClauses, requestsAmong } from './clauses.ts';
import type { Intent } from './intent.ts';
import { DONE_QUESTION, listFilters, onlyFilters, parseList, searchOf } from './list.ts';
import { parseNote, taskCommands } from './task-commands.ts';
import { normalize } from './text.ts';
import { fixTypos } from './typos.ts';
import { activeVoice } from './voice.ts';

const HELP =
  /^(?:help|h|\?|commands|menu|start|what can you do|what can i (?:say|do|ask)|how does (?:this|it) work|how do i use (?:this|you)|hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening))$/;
const UNDO =
  /^(?:undo|revert|take (?:that|it) back|put it back)(?: (?:that|it|this|the last (?:change|one|thing)|my last change|what you (?:just )?did))?$/;
const YES =
  /^(?:yes|y|yeah|yep|yup|sure|ok(?:ay)?,? do it|do it|go ahead|confirm(?:ed)?|please do)$/;
const NO = /^(?:no|n|nope|cancel|don't|do not|stop|never ?mind)$/;
const THANKS =
  /^(?:thanks|thank you|thx|ty|cheers|great|perfect|cool|awesome|nice|ok|okay)(?: (?:so much|a lot|very much))?$/;

const UNKNOWN: Intent = { kind: 'help', unknown: true };
const QUESTION =
  /^(?:how|what|when|where|who|why|which|is|are|do|does|did|can|could|should|will|would|has|have|tell me|show me|explain|teach me)\b|\?$/i;
const EXPLICIT_ADD = /^(?:add|create|remind me|new task|put)\b/i;
/** Requests that change an existing task. */
const CHANGES = new Set<Intent['kind']>([
  'complete',
  'reopen',
  'delete',
  'rename',
  'describe',
  'set_priority',
  'nudge_priority',
  'set_due',
  'shift_due',
]);
/** "with the note 'bring the receipt'": said of the task the other clause adds. */
const NOTE_CLAUSE = /^(?:with\s+)?(?:the\s+|a\s+)?(?:note|description|details?)\b/i;
const REASON = /\s+(?:since|because|'cause|cause|cuz|coz|so that)\s+.+$/i;
/** Verbs that change a task's date or state, even after "I need to". */
const RESCHEDULE =
  /^(?:push|move|postpone|reschedule|delay|bump|defer|shift|rename|reopen|mark|knock|lower|raise)\b/i;
/** "my mom called me today", "all done for today": said about the day, not a task to add. */
const STATEMENT =
  /^(?:i|i'm|im|i've|my|we|we're|our|you|your|it|it's|he|she|they|all|everything|nothing|this|that|there)\b|^(?:the\s+)?[\w']+(?:\s+[\w']+)?\s+(?:is|are|was|were)\b/i;
/** "milk done?", "is the rent paid?": a question about a task, answered by finding it. */
const DONE_ASKED =
  /^(?:(?:is|are|was)\s+)?(?:the\s+)?(?!(?:what|which|who|could|can|would|will|did|have|has|mark|i|you)\b)([\w']+(?:\s+(?!(?:is|are|was|been|mark|as)\b)[\w']+){0,2})(?:'s|\s+(?:is|are|was|been))?(?:\s+(?:already|all))?\s+(?:done|finished|completed|complete|paid|bought|booked|called|sent)\s*\?$/i;
const CHANGE_VERB =
  /^(?:move|bump|push|postpone|reschedule|shift|delay|defer|change|set|update|edit|mark|rename|complete|finish|delete|remove|reopen|cancel|drop)\b/i;

/** Pure: one clause of a message, without asides. */
function parseClause(text: string, today: string, now: string, quickAdd: boolean): Intent {
  const lower = text.toLowerCase();
  if (!text || HELP.test(lower)) return { kind: 'help', unknown: false };
  if (UNDO.test(lower)) return { kind: 'undo' };
  if (YES.test(lower)) return { kind: 'confirm', yes: true };
  if (NO.test(lower)) return { kind: 'confirm', yes: false };
  if (THANKS.test(lower)) return { kind: 'thanks' };
  if (DONE_QUESTION.test(lower)) return { kind: 'list', status: 'completed' };
  const search = searchOf(lower);
  if (search) return { kind: 'list', status: 'all', search };
  const { filters, rest } = listFilters(lower);
  const filtered = Object.keys(filters).length > 0;
  const status = parseList(
    filtered
      ? rest.replace(/^(?:(?:is|are)(?: there)? )?any(?:thing)?(?= |$)/, 'any tasks')
      : lower,
  );
  if (status) return { kind: 'list', status, ...filters };
  const active = activeVoice(text);
  const asImperative = active ? parseClause(active, today, now, quickAdd) : UNKNOWN;
  if (asImperative !== UNKNOWN) return asImperative;
  const note = parseNote(text);
  if (note) return note;
  for (const pattern of ADD_PATTERNS) {
    // A pattern may split the command around a fixed phrase ("put X on my list for friday").
    const body = pattern.exec(text)?.slice(1).filter(Boolean).join(' ');
    // "I need to push the bread back a week": a change to a task, not a new one.
    const change =
      body && RESCHEDULE.test(body)
        ? parseClause(clausesOf(body)[0] ?? body, today, now, false)
        : UNKNOWN;
    if (change !== UNKNOWN) return change;
    // "I should maybe add fix the tap": the add inside the add.
    const inner = body && EXPLICIT_ADD.test(body) ? parseClause(body, today, now, false) : UNKNOWN;
    if (inner.kind === 'add') return inner;
    if (body) return parseAdd(body, today, now) ?? UNKNOWN;
  }
  for (const [pattern, build] of taskCommands(today, now)) {
    const match = pattern.exec(text);
    const intent = match && build(match.slice(1));
    if (intent) return intent;
  }
  // "the rent is less urgent now since the landlord said there's no rush": the reason aside.
  const reasoned = REASON.exec(text);
  if (reasoned) {
    const intent = parseClause(normalize(text.slice(0, reasoned.index)), today, now, quickAdd);
    if (intent !== UNKNOWN) return intent;
  }
  // No command, but a date or time: what people type into a quick-add box ("buy eggs tmrw").
  // Not when it starts with a verb that changes a task: that command was not understood.
  if (!quickAdd || CHANGE_VERB.test(text) || QUESTION.test(text)) return UNKNOWN;
  const quick = parseAdd(text, today, now);
  if (!quick || !(quick.dueDate || quick.priority)) return UNKNOWN;
  // "at 14:30 on friday I need to pick up the kids": the command comes after the date.
  const command = parseClause(quick.title, today, now, false);
  if (command.kind === 'add') return { ...quick, title: command.title };
  return STATEMENT.test(quick.title) ? UNKNOWN : { kind: 'quick', add: quick };
}

/** Pure: what the user asked for, with dates resolved against `today` (YYYY-MM-DD). */
export function parseCommand(message: string, today: string, now = '09:00'): Intent {
  const asked = DONE_ASKED.exec(message.trim());
  if (asked?.[1]) return { kind: 'list', status: 'all', search: normalize(asked[1]) };
  const text = fixTypos(normalize(message));
  const clauses = clausesOf(text);
  const modifier = (clause: string) =>
    onlyModifiers(clause, today, now) || onlyFilters(clause) || NOTE_CLAUSE.test(clause);
  // A bare phrase with a date is a quick add only when it is all the message says, or all
  // the rest only qualifies it ("book flights home, important").
  const quickWhole = clauses.slice(1).every(modifier);
  const parse = (
    clause: string,
    quick = clause === clauses[0] || (clause === text && quickWhole),
  ) => parseClause(clause, today, now, quick);
  const combined =
    clauses.length > 1
      ? combineClauses(clauses, {
          parse,
          add: (rest) => parseAdd(rest, today, now),
          modifier,
        })
      : undefined;
  if (combined) return combined;
  const whole = parse(text);
  // "add buy eggs, and mark the milk as done", "rename #6 to X and mark #1 done": when every
  // clause is a request of its own, each in turn; another add only when it says so.
  if (clauses.length > 1) {
    const parts = clauses.map((clause) => parse(clause, false));
    const request = (intent: Intent, index: number) =>
      CHANGES.has(intent.kind) ||
      (intent.kind === 'add' && (index === 0 || EXPLICIT_ADD.test(clauses[index] ?? '')));
    if (parts.every(request)) return { kind: 'each', intents: parts };
  }
  if (whole !== UNKNOWN) return whole;
  const request = clauses.length > 1 ? requestsAmong(clauses, parse) : undefined;
  if (request) return request;
  return looksForeign(text.toLowerCase())
    ? { kind: 'help', unknown: true, foreign: true }
    : UNKNOWN;
}

/** Words of other languages people type at a task list, and letters English does not use. */
const FOREIGN =
  /[àâäçéèêëîïôöùûüñßæøå¿¡]|\b(?:ajoute[rz]?|acheter|tâche|liste|qué|tengo|tareas?|añadir|agrega|wie|ist|aufgabe|bitte|hinzufügen|aggiungi|compra|adicionar|lembrar)\b/;
const looksForeign = (lower: string) => FOREIGN.test(lower);
