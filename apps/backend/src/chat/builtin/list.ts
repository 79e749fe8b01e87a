import type { DueFilter, Priority } from '../../tasks/task-service.ts';
import { stripQuotes } from './text.ts';

const LIST_PREFIX =
  /^(?:(?:list|show|display|view|see|get|give|check(?! (?:that|it|this|them|off)\b)|print|tell|pull up|bring up|load)(?: me)?|is there|are there|what(?:'s|s| is| are| do i have| should i| do i need)?|which|do i have|how many)(?= |$)/;
const LIST_WORDS = new Set(
  (
    'my the all of me i on in to do for now still currently right have got left remaining open ' +
    'pending active outstanding incomplete unfinished current undone done completed complete ' +
    'finished closed everything tasks task todos todo to-dos to-do items list things so far ' +
    "today already are is there any plate agenda yet what whats what's stuff ones i've ive " +
    "that that's which whose where has been some due only marked as set flagged labeled checked ticked crossed off of i'm im " +
    "need should must gotta whatever whatever's anything and " +
    'coming up upcoming soon next including incl plus even'
  ).split(' '),
);
const LIST_NOUNS = new Set('tasks task todos todo to-dos to-do items list things stuff'.split(' '));
const COMPLETED_WORDS = new Set([
  'done',
  'completed',
  'complete',
  'finished',
  'closed',
  'checked',
  'ticked',
  'crossed',
]);
const ACTIVE_WORDS = new Set(
  'left remaining open pending active outstanding incomplete unfinished undone do current still plate agenda'.split(
    ' ',
  ),
);
export const DONE_QUESTION =
  /^(?:(?:show|list|tell)(?: me)? )?what (?:have i|did i|i've|i have) (?:(?:already|just|actually) )?(?:done|do|completed|complete|finished|finish|accomplished|achieved|got done)(?: (?:so far|today|already|yet|lately|recently))?$/;

export type ListFilters = { priority?: Priority; due?: DueFilter };

const LIST_FILTERS: [RegExp, ListFilters][] = [
  [
    /\b(?:without|with no|no|missing|(?:that|which)? ?(?:don't|do not|doesn't|does not|haven't|have not|hasn't|has not) (?:been given|been set|have|got|gotten|get))(?: an?| any)? (?:due )?(?:date|deadline)s?(?: set| yet)?\b|\bundated\b/,
    { due: 'none' },
  ],
  [
    /\boverdue\b|\bpast (?:its|their|the) (?:due date|deadline)s?\b|\b(?:past|late)(?: due)?\b|\bmissed (?:the |their |its |a )?(?:deadline|due date)s?(?: on)?\b|\b(?:due date|deadline)s? (?:has |have |is |are )?(?:already )?(?:passed|gone by|expired)\b|\bbehind(?: on)?\b/,
    { due: 'overdue' },
  ],
  [/\b(?:due )?(?:(?:for|in) )?(?:this|the) week(?:'s)?\b/, { due: 'this_week' }],
  [/\b(?:due )?tomorrow(?:'s)?\b/, { due: 'tomorrow' }],
  [/\bdue(?: today)?\b|\btoday(?:'s)?\b/, { due: 'today' }],
  [/\b(?:high|hi|top)[\s-]priority\b|\b(?:urgent|important)\b/, { priority: 'high' }],
  [/\blow[\s-]priority\b/, { priority: 'low' }],
  [/\b(?:medium|normal)[\s-]priority\b/, { priority: 'medium' }],
];

/** Pure: the filters a listing request names, and the request without them. */
export function listFilters(lower: string): { filters: ListFilters; rest: string } {
  let rest = lower;
  const filters: ListFilters = {};
  for (const [pattern, filter] of LIST_FILTERS) {
    if (filter.due && filters.due) continue;
    if (filter.priority && filters.priority) continue;
    if (pattern.test(rest)) {
      Object.assign(filters, filter);
      rest = rest.replace(pattern, ' ').replace(/\s+/g, ' ').trim();
    }
  }
  return { filters, rest };
}

/** "hasn't been done yet", "that's not done": what is still open. */
const NOT_DONE =
  /\b(?:(?:has|have|is|are|was|were)(?:n't| not)|not)\s+(?:been\s+|yet\s+|really\s+)?(?:done|finished|completed|complete|ticked off)\b|\b(?:haven't|have not|hasn't)\s+(?:got|gotten)\s+(?:a)?round\s+to\b|\b(?:have|need|got)\s+to\s+get\s+done\b/g;

const SEARCH =
  /^(?:(?:find|search|look)(?: for| up)?|(?:show|list)(?: me)?(?: my| the)?(?: tasks| todos| items)?|(?:do i have |are there |is there |there'?s )?(?:any(?:thing)?|tasks?|todos?)(?: tasks?| todos?)?)\s+(?:(?:tasks?|todos?|items?)\s+)?(?:about|mentioning|containing|with|for|called|named|on)\s+(?:the\s+)?(.+)$/;

export function parseList(lower: string): 'all' | 'active' | 'completed' | undefined {
  if (DONE_QUESTION.test(lower)) return 'completed';
  const said = lower.replace(NOT_DONE, 'undone');
  const prefix = LIST_PREFIX.exec(said);
  const words = said
    .slice(prefix ? prefix[0].length : 0)
    .replace(/[,:]/g, ' ')
    .split(' ')
    .filter(Boolean);
  if (!words.every((w) => LIST_WORDS.has(w))) return undefined;
  if (!prefix && !words.some((w) => LIST_NOUNS.has(w))) return undefined;
  // "all my tasks, including the done ones"
  if (words.some((w) => ['including', 'incl', 'plus', 'even'].includes(w))) return 'all';
  if (words.some((w) => COMPLETED_WORDS.has(w))) return 'completed';
  // "how many tasks do I have": that "do" asks, it is not "to do".
  const active = words.filter(
    (w, i) => !(w === 'do' && ['i', 'we', 'you'].includes(words[i + 1] ?? '')),
  );
  if (active.some((w) => ACTIVE_WORDS.has(w))) return 'active';
  return 'all';
}

const BARE_SEARCH = /^(?:search(?: for)?|look up|find)\s*:?\s+(.+)$/;
/** "do I have a task that mentions mom", "show tasks where milk is mentioned" */
const MENTIONS = [
  /^(?:(?:do i have|have i got|are there|is there|there'?s|show(?: me)?|list|find|any)\s+)?(?:(?:any(?:thing)?|an?|some|the)\s+)?(?:tasks?|todos?|items?|things?|ones?)?\s*(?:that|which)\s+(?:mentions?|contains?|says?|includes?|(?:is|are) about|(?:has|have)(?: the word)?)\s+(.+)$/,
  /^(?:(?:show|list|find)(?: me)?(?: the| my)?\s+)?(?:tasks?|todos?|items?|ones?)\s+where\s+(.+?)\s+(?:is|are|gets?)\s+mentioned$/,
  /^(?:(?:show|list|find)(?: me)?(?: the| my)?\s+|do i have\s+|have i got\s+|got\s+|is there\s+|are there\s+|there'?s\s+)?(?:(?:any|a)\s+)?(?:tasks?|todos?|items?|ones?|anything|something)\s+with\s+(.+?)\s+in\s+(?:them|it|the (?:title|name))$/,
  /^(?:is there|are there|do i have)\s+(?:an?|any)\s+(?:tasks?|todos?)\s+(?:for|about|on|with)\s+(.+)$/,
];
const THE_WORD = /^(?:the\s+)?(?:word|text|phrase|term)\s+/;
const ABOUT =
  /^(?:(?:my|the)\s+(?:tasks|list|todos)\s+(?:for|about)\s+|(?:anything|something|stuff|tasks?|todos?)\s+(?:about|on|with|mentioning|for)\s+)/;
/** "any milk stuff", "anything rent related" */
const STUFF_SEARCH = [
  /^(?:(?:show|list)(?: me)?\s+)?(?:any(?:thing)?|all(?: the)?|the)\s+(.+?)\s+(?:stuff|things)$/,
  /^(?:(?:show|list)(?: me)?\s+)?(?:any(?:thing)?|all(?: the)?|the)\s+(.+?)[\s-]related(?:\s+(?:stuff|things|tasks|todos))?$/,
];
const ON_MY_LIST =
  /\s+(?:(?:on|in)\s+(?:my|the)\s+(?:list|tasks|todos|todo list|to-do list)|on there|in there)$/;

/** Pure: whether a phrase only names filters ("this week", "high priority ones"). */
export function onlyFilters(text: string): boolean {
  const { filters, rest } = listFilters(text.toLowerCase());
  return (
    Object.keys(filters).length > 0 && rest.split(' ').every((word) => !word || FILLER.has(word))
  );
}
const FILLER = new Set(['the', 'ones', 'tasks', 'stuff', 'things', 'for', 'only', 'just']);

/** Pure: the text a listing request searches for, if it is a search. */
export function searchOf(lower: string): string | undefined {
  const found =
    MENTIONS.map((pattern) => pattern.exec(lower)?.[1]).find(Boolean) ??
    SEARCH.exec(lower)?.[1] ??
    BARE_SEARCH.exec(lower)?.[1];
  // "tasks with no deadline" is a filter, not a search for "no deadline".
  if (found && Object.keys(listFilters(found).filters).length === 0)
    return stripQuotes(
      found
        .replace(ON_MY_LIST, '')
        .replace(THE_WORD, '')
        .replace(ABOUT, '')
        .replace(/^(?:the|my|a)\s+/, ''),
    );
  const stuff = STUFF_SEARCH.map((pattern) => pattern.exec(lower)?.[1]).find(Boolean);
  // "any urgent stuff", "all the done things" are filters, not searches.
  if (!stuff || Object.keys(listFilters(stuff).filters).length > 0) return undefined;
  return stuff.split(' ').every((word) => LIST_WORDS.has(word)) ? undefined : stuff;
}
