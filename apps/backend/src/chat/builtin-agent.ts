import * as chrono from 'chrono-node';
import type { ToolAction } from '../db/schema.ts';
import { addDays, type DueFilter, type Priority, type Task } from '../tasks/task-service.ts';
import type { Agent, ChatTurn } from './agent.ts';
import type { ToolName } from './tools.ts';

/**
 * The assistant used when no LLM is configured: a deterministic command parser that acts only
 * through the same tools a model would get, so it obeys the same validation and ownership rules.
 */

export type TaskRef = { id: number } | { title: string };

export type Intent =
  | { kind: 'add'; title: string; dueDate?: string; dueTime?: string; priority?: Priority }
  | {
      kind: 'list';
      status: 'all' | 'active' | 'completed';
      priority?: Priority;
      due?: DueFilter;
      search?: string;
    }
  | { kind: 'complete'; task: TaskRef }
  | { kind: 'reopen'; task: TaskRef }
  | { kind: 'delete'; task: TaskRef }
  | { kind: 'rename'; task: TaskRef; title: string }
  | { kind: 'set_priority'; task: TaskRef; priority: Priority }
  | { kind: 'set_due'; task: TaskRef; dueDate: string | null; dueTime?: string }
  | { kind: 'shift_due'; task: TaskRef; days: number }
  | { kind: 'bulk_delete'; scope: 'completed' | 'all' | { about: string } }
  | { kind: 'delete_many'; ids: number[] }
  | { kind: 'bulk_due'; from: DueFilter; dueDate: string }
  | { kind: 'nudge_priority'; task: TaskRef; up: boolean }
  | { kind: 'thanks' }
  | { kind: 'undo' }
  | { kind: 'confirm'; yes: boolean }
  | { kind: 'help'; unknown: boolean; foreign?: boolean };

// ---------------------------------------------------------------------------------------------
// Dates

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY =
  /^(?:(?:this|next|coming|upcoming)\s+)?(sun(?:day)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?)\.?$/;
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_DAY = new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?$`);
const DAY_MONTH = new RegExp(
  `^(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH}(?:,?\\s+(\\d{4}))?$`,
);
const DATE_PREPOSITIONS = /^(?:(?:due|by|on|before|until|till|for)\s+)+/;

function calendarDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month, day));
  return date.getUTCMonth() === month && date.getUTCDate() === day
    ? date.toISOString().slice(0, 10)
    : undefined;
}

/** A month and day without a year means the next time that day comes round. */
function nextOccurrence(month: number, day: number, year: string | undefined, today: string) {
  if (year) return calendarDate(Number(year), month, day);
  // Up to four years ahead, for February 29th.
  for (let year = Number(today.slice(0, 4)), last = year + 4; year <= last; year++) {
    const candidate = calendarDate(year, month, day);
    if (candidate && candidate >= today) return candidate;
  }
  return undefined;
}

/**
 * Turns a whole phrase such as "tomorrow", "by friday", "on 2026-12-01" or "dec 1st" into
 * YYYY-MM-DD relative to `today`; undefined when the phrase is not (only) a date.
 * ISO dates pass through unchecked so that an impossible one reaches the tool's validation.
 */
export function parseDate(phrase: string, today: string): string | undefined {
  const p = phrase.toLowerCase().trim().replace(DATE_PREPOSITIONS, '');
  if (/^\d{4}-\d{2}-\d{2}$/.test(p)) return p;
  if (p === 'today' || p === 'tonight' || p === 'this evening') return today;
  if (p === 'tomorrow' || p === 'tmrw' || p === 'tmr') return addDays(today, 1);
  if (p === 'the day after tomorrow' || p === 'day after tomorrow') return addDays(today, 2);
  if (p === 'next week' || p === 'in a week') return addDays(today, 7);
  const inDays = /^in\s+(\d{1,3}|a|one|two|three)\s+(day|week)s?$/.exec(p);
  if (inDays?.[1] && inDays[2]) {
    const words: Record<string, number> = { a: 1, one: 1, two: 2, three: 3 };
    const count = words[inDays[1]] ?? Number(inDays[1]);
    return addDays(today, inDays[2] === 'week' ? count * 7 : count);
  }
  if (/^(?:this\s+|the\s+)?weekend$/.test(p)) {
    const current = new Date(`${today}T00:00:00Z`).getUTCDay();
    return addDays(today, current === 6 || current === 0 ? 0 : 6 - current);
  }
  if (/^(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month$/.test(p)) {
    const date = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    date.setUTCMonth(date.getUTCMonth() + 1, 0);
    return date.toISOString().slice(0, 10);
  }
  const dayOfMonth = /^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)$/.exec(p);
  if (dayOfMonth?.[1]) {
    const day = Number(dayOfMonth[1]);
    const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1];
    for (let ahead = 0; ahead < 3; ahead++) {
      const months = month + ahead;
      const candidate = calendarDate(year + Math.floor(months / 12), months % 12, day);
      if (candidate && candidate >= today) return candidate;
    }
    return undefined;
  }
  // Month first, as the app's users write it (12/10 is December 10th).
  const slashed = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/.exec(p);
  if (slashed?.[1] && slashed[2]) {
    return nextOccurrence(Number(slashed[1]) - 1, Number(slashed[2]), slashed[3], today);
  }
  const weekday = WEEKDAY.exec(p);
  if (weekday?.[1]) {
    const target = WEEKDAYS.indexOf(weekday[1].slice(0, 3));
    const current = new Date(`${today}T00:00:00Z`).getUTCDay();
    // Naming today's weekday means a week ahead: for today people say "today".
    return addDays(today, (target - current + 7) % 7 || 7);
  }
  const monthDay = MONTH_DAY.exec(p);
  if (monthDay?.[1] && monthDay[2]) {
    return nextOccurrence(monthIndex(monthDay[1]), Number(monthDay[2]), monthDay[3], today);
  }
  const dayMonth = DAY_MONTH.exec(p);
  if (dayMonth?.[1] && dayMonth[2]) {
    return nextOccurrence(monthIndex(dayMonth[2]), Number(dayMonth[1]), dayMonth[3], today);
  }
  return undefined;
}

function monthIndex(name: string) {
  return MONTHS.indexOf(name.slice(0, 3));
}

// ---------------------------------------------------------------------------------------------
// Priorities

const PRIORITY_WORDS: Record<string, Priority> = {
  high: 'high',
  top: 'high',
  urgent: 'high',
  urgently: 'high',
  asap: 'high',
  important: 'high',
  medium: 'medium',
  normal: 'medium',
  low: 'low',
};

const LEVEL = '(high|medium|normal|low|top)';
const EXPLICIT_PRIORITY = `(?:a\\s+)?${LEVEL}[\\s-]+priority|priority(?:\\s*[:=]\\s*|\\s+)(high|medium|normal|low)|!(high|medium|normal|low|urgent|important)`;
const PRIORITY_SUFFIX = new RegExp(
  `(?:^|[\\s,;(]+)(?:(?:with|at|as)\\s+)?(?:${EXPLICIT_PRIORITY}|(urgent(?:ly)?|asap|important))\\)?$`,
  'i',
);
// A bare "urgent" or "important" only counts as a prefix when punctuated ("urgent: call the
// bank"), because "important meeting" is more likely a title than a priority.
const PRIORITY_PREFIX = new RegExp(
  `^(?:(?:${EXPLICIT_PRIORITY})(?:[\\s,;:]+|$)|(urgent|asap|important)\\s*[:,;!-]\\s*)`,
  'i',
);
const PRIORITY_TAG = /(?:^|\s)!(high|medium|normal|low|urgent|important)(?=\s|$)/i;

function priorityOf(match: RegExpExecArray): Priority | undefined {
  const word = match.slice(1).find((group) => group !== undefined);
  return word === undefined ? undefined : PRIORITY_WORDS[word.toLowerCase()];
}

// ---------------------------------------------------------------------------------------------
// Titles and modifiers

const SEPARATORS = /^[\s,;:\-–—]+|[\s,;:\-–—]+$/g;
const LIST_TARGET = '(?:my|the)\\s+(?:list|tasks|todos|todo list|to-do list)';

function trimSeparators(text: string) {
  return text.replace(SEPARATORS, '');
}

function stripQuotes(text: string) {
  const trimmed = text.trim();
  return /^"[^"]*"$|^'[^']*'$/.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}

function dateSuffix(text: string, today: string) {
  const words = text.split(' ');
  for (let k = Math.min(6, words.length); k >= 1; k--) {
    const date = parseDate(words.slice(-k).join(' '), today);
    if (date) return { date, rest: trimSeparators(words.slice(0, -k).join(' ')) };
  }
  return undefined;
}

/** Leading dates must be unmistakable ("on friday ...", "tomorrow: ..."), unlike "monday meeting". */
function datePrefix(text: string, today: string) {
  const words = text.split(' ');
  for (let k = Math.min(6, words.length); k >= 1; k--) {
    const head = words.slice(0, k).join(' ');
    const punctuated = /[:,;]$/.test(head);
    const phrase = trimSeparators(head);
    const date = parseDate(phrase, today);
    const followedByTo = words[k]?.toLowerCase() === 'to';
    const clear =
      punctuated ||
      followedByTo ||
      DATE_PREPOSITIONS.test(phrase.toLowerCase()) ||
      /^(?:today|tonight|tomorrow)$/i.test(phrase);
    // "in 3 days to check the mail": the "to" belongs to the date.
    const rest = words.slice(followedByTo ? k + 1 : k).join(' ');
    if (date && clear) return { date, rest: trimSeparators(rest) };
  }
  return undefined;
}

/** Peels due dates and priorities off both ends of an add command, whatever their order. */
function extractModifiers(input: string, today: string) {
  let text = trimSeparators(input);
  let dueDate: string | undefined;
  let priority: Priority | undefined;
  const tag = PRIORITY_TAG.exec(text);
  if (tag) {
    priority = priorityOf(tag);
    text = trimSeparators(text.replace(tag[0], ' ').replace(/\s+/g, ' '));
  }
  while (text) {
    const suffix = priority ? null : PRIORITY_SUFFIX.exec(text);
    const prefix = priority ? null : PRIORITY_PREFIX.exec(text);
    const dateAtEnd = dueDate ? undefined : dateSuffix(text, today);
    const dateAtStart = dueDate ? undefined : datePrefix(text, today);
    if (suffix) {
      priority = priorityOf(suffix);
      text = trimSeparators(text.slice(0, suffix.index));
    } else if (dateAtEnd) {
      dueDate = dateAtEnd.date;
      text = dateAtEnd.rest;
    } else if (prefix) {
      priority = priorityOf(prefix);
      text = trimSeparators(text.slice(prefix[0].length));
    } else if (dateAtStart) {
      dueDate = dateAtStart.date;
      text = dateAtStart.rest;
    } else {
      break;
    }
  }
  return { text, dueDate, priority };
}

function cleanTitle(text: string) {
  return stripQuotes(
    trimSeparators(text.replace(new RegExp(`\\s+(?:to|on|onto)\\s+${LIST_TARGET}$`, 'i'), '')),
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time of day at an end of `text` ("at 5pm", "on friday at 5pm", "tomorrow 9am", "in 2
 * hours"), read by chrono-node from `today` at `now`: its date and HH:MM, and the text without
 * it. Only with an hour, and only at an end: inside a title it is the title's ("5 pm meetup").
 */
export function timeExpression(
  text: string,
  today: string,
  now: string,
): { dueDate: string; dueTime: string; rest: string } | undefined {
  const found = chrono
    .parse(text, new Date(`${today}T${now}:00`), { forwardDate: true })
    .find((result) => result.start.isCertain('hour'));
  if (!found) return undefined;
  const before = text.slice(0, found.index).trim();
  const after = text.slice(found.index + found.text.length).trim();
  if (before && after) return undefined;
  const at = found.start.date();
  return {
    dueDate: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    dueTime: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
    rest: trimSeparators(
      `${before} ${after}`.trim().replace(/\s+(?:by|on|at|for|due|before|until)$/i, ''),
    ),
  };
}

/** "urgent task: call the bank", "a low priority reminder to ...": the priority before the noun. */
const ADJECTIVE_PRIORITY =
  /^(?:an?\s+)?(urgent|important|high[\s-]priority|low[\s-]priority|medium[\s-]priority)\s+(?:task|todo|to-do|item|reminder)(?:\s+to)?\s*[:,-]?\s+/i;

function parseAdd(text: string, today: string, now: string): Intent | undefined {
  const adjective = ADJECTIVE_PRIORITY.exec(text);
  const body = adjective ? text.slice(adjective[0].length) : text;
  const quoted = /"([^"]+)"/.exec(body);
  const modifiers = extractModifiers(quoted ? body.replace(quoted[0], ' ') : body, today);
  const timed = quoted ? undefined : timeExpression(modifiers.text, today, now);
  const title = cleanTitle(quoted?.[1] ?? timed?.rest ?? modifiers.text);
  if (!title) return undefined;
  const dueDate = modifiers.dueDate ?? timed?.dueDate;
  const priority =
    modifiers.priority ??
    (adjective?.[1] && PRIORITY_WORDS[adjective[1].toLowerCase().split(/[\s-]/)[0] ?? '']);
  return {
    kind: 'add',
    title,
    ...(dueDate && { dueDate }),
    ...(timed && { dueTime: timed.dueTime }),
    ...(priority && { priority }),
  };
}

/**
 * "3", "#3" or "task 3" name a task by id; anything else by its words ("the milk one", "the
 * rent task", "with the report"), anything quoted by its exact title.
 */
function parseRef(text: string): TaskRef | undefined {
  const ref = trimSeparators(text).replace(/^(?:the\s+)?(?:task|todo|to-do|item)\b\s*/i, '');
  const id = /^(?:(?:number|no\.?|id)\s*)?#?(\d{1,15})$/i.exec(ref);
  if (id?.[1]) return { id: Number(id[1]) };
  if (/^"[^"]*"$|^'[^']*'$/.test(ref.trim())) {
    const quoted = ref.trim().slice(1, -1).trim();
    return quoted ? { title: quoted } : undefined;
  }
  const title = ref
    .replace(/^(?:(?:with|about|of|on)\s+)?(?:(?:the|my|that|this)\s+)?/i, '')
    .replace(/\s+(?:one|task|item|thing|todo|to-do)$/i, '')
    .trim();
  return title ? { title } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Matching a task by its words

const STOPWORDS = new Set(
  'a an the my to for of on in at with about and or that this it one task item thing'.split(' '),
);
/** Past tenses people use for what they did ("I bought the milk"), by the verb a title uses. */
const IRREGULAR: Record<string, string> = {
  bought: 'buy',
  paid: 'pay',
  wrote: 'write',
  written: 'write',
  made: 'make',
  went: 'go',
  did: 'do',
  done: 'do',
  sent: 'send',
  took: 'take',
  got: 'get',
  read: 'read',
  met: 'meet',
  called: 'call',
  phoned: 'phone',
};

/** Words people use for the verb a title uses ("got the bread" for "Buy bread"). */
const SYNONYMS: Record<string, string> = {
  get: 'buy',
  purchase: 'buy',
  pick: 'buy',
  phone: 'call',
  ring: 'call',
  rang: 'call',
};

/** Pure: a word as titles are compared: lower case, without its inflection. */
export function stem(word: string): string {
  const lower = word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const irregular = IRREGULAR[lower] ?? lower;
  const base = SYNONYMS[irregular] ?? irregular;
  const bare = base
    .replace(/(?<=\w{3})(?:ing|ed)$/, '')
    .replace(/(?<=\w{3})s$/, '')
    .replace(/(?<=\w{3})e$/, '');
  return bare.replace(/(\w)\1$/, '$1');
}

const keyWords = (text: string) =>
  text
    .split(/\s+/)
    .map(stem)
    .filter((word) => word && !STOPWORDS.has(word));

/**
 * Pure: the tasks a phrase names: the exact title, else titles that contain the phrase, else
 * titles that hold every word of it ("the milk one", "I bought the milk").
 */
export function matchTasks<T extends { title: string }>(phrase: string, tasks: T[]): T[] {
  const wanted = phrase.toLowerCase().trim();
  const exact = tasks.filter((task) => task.title.toLowerCase() === wanted);
  if (exact.length > 0) return exact;
  const containing = tasks.filter((task) => task.title.toLowerCase().includes(wanted));
  if (containing.length > 0) return containing;
  const words = keyWords(phrase);
  if (words.length === 0) return [];
  return tasks.filter((task) => {
    const title = new Set(keyWords(task.title));
    return words.every((word) => title.has(word));
  });
}

/**
 * Pure: the tasks that share the most words with a phrase no task matches ("call dad" and
 * "Call mom"): a suggestion to confirm, never a task to act on.
 */
export function closestTasks<T extends { title: string }>(phrase: string, tasks: T[]): T[] {
  const words = keyWords(phrase);
  const scored = tasks.map((task) => {
    const title = new Set(keyWords(task.title));
    return { task, shared: words.filter((word) => title.has(word)).length };
  });
  const best = Math.max(0, ...scored.map(({ shared }) => shared));
  return best === 0 ? [] : scored.filter(({ shared }) => shared === best).map(({ task }) => task);
}

// ---------------------------------------------------------------------------------------------
// Commands

const HELP =
  /^(?:help|h|\?|commands|menu|start|what can you do|what can i (?:say|do|ask)|how does (?:this|it) work|how do i use (?:this|you)|hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening))$/;
const UNDO =
  /^(?:undo|revert|take (?:that|it) back|put it back)(?: (?:that|it|this|the last (?:change|one|thing)|my last change|what you (?:just )?did))?$/;
const YES =
  /^(?:yes|y|yeah|yep|yup|sure|ok(?:ay)?,? do it|do it|go ahead|confirm(?:ed)?|please do)$/;
const NO = /^(?:no|n|nope|cancel|don't|do not|stop|never ?mind)$/;
const THANKS =
  /^(?:thanks|thank you|thx|ty|cheers|great|perfect|cool|awesome|nice|ok|okay)(?: (?:so much|a lot|very much))?$/;

const LIST_PREFIX =
  /^(?:(?:list|show|display|view|see|get|give|check|print)(?: me)?|what(?:'s|s| is| are| do i have| should i| do i need)?|which|do i have|how many)(?= |$)/;
const LIST_WORDS = new Set(
  (
    'my the all of me i on in to do for now still currently right have got left remaining open ' +
    'pending active outstanding incomplete unfinished current undone done completed complete ' +
    'finished closed everything tasks task todos todo to-dos to-do items list things so far ' +
    "today already are is there any plate agenda yet what whats what's stuff"
  ).split(' '),
);
const LIST_NOUNS = new Set('tasks task todos todo to-dos to-do items list things stuff'.split(' '));
const COMPLETED_WORDS = new Set(['done', 'completed', 'complete', 'finished', 'closed']);
const ACTIVE_WORDS = new Set(
  'left remaining open pending active outstanding incomplete unfinished undone do current still plate agenda'.split(
    ' ',
  ),
);
const DONE_QUESTION =
  /^(?:(?:show|list|tell)(?: me)? )?what (?:have i|did i|i've|i have) (?:done|do|completed|complete|finished|finish|accomplished|achieved|got done)(?: (?:so far|today|already|yet|lately|recently))?$/;

type ListFilters = { priority?: Priority; due?: DueFilter };

const LIST_FILTERS: [RegExp, ListFilters][] = [
  [
    /\b(?:without|with no|no|missing)(?: an?)? (?:due )?(?:date|deadline)s?\b|\bundated\b/,
    { due: 'none' },
  ],
  [/\boverdue\b|\b(?:past|late)(?: due)?\b/, { due: 'overdue' }],
  [/\b(?:due )?(?:this|the) week\b/, { due: 'this_week' }],
  [/\b(?:due )?tomorrow\b/, { due: 'tomorrow' }],
  [/\bdue(?: today)?\b|\btoday\b/, { due: 'today' }],
  [/\b(?:high|top)[\s-]priority\b|\b(?:urgent|important)\b/, { priority: 'high' }],
  [/\blow[\s-]priority\b/, { priority: 'low' }],
  [/\b(?:medium|normal)[\s-]priority\b/, { priority: 'medium' }],
];

/** Pure: the filters a listing request names, and the request without them. */
function listFilters(lower: string): { filters: ListFilters; rest: string } {
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

const SEARCH =
  /^(?:(?:find|search|look)(?: for| up)?|(?:show|list)(?: me)?(?: my| the)?(?: tasks| todos| items)?|(?:do i have |are there |is there )?(?:any(?:thing)?|tasks?|todos?)(?: tasks?| todos?)?)\s+(?:(?:tasks?|todos?|items?)\s+)?(?:about|mentioning|containing|with|for|called|named|on)\s+(?:the\s+)?(.+)$/;

function parseList(lower: string): 'all' | 'active' | 'completed' | undefined {
  if (DONE_QUESTION.test(lower)) return 'completed';
  const prefix = LIST_PREFIX.exec(lower);
  const words = lower
    .slice(prefix ? prefix[0].length : 0)
    .replace(/[,:]/g, ' ')
    .split(' ')
    .filter(Boolean);
  if (!words.every((w) => LIST_WORDS.has(w))) return undefined;
  if (!prefix && !words.some((w) => LIST_NOUNS.has(w))) return undefined;
  if (words.some((w) => COMPLETED_WORDS.has(w))) return 'completed';
  // "how many tasks do I have": that "do" asks, it is not "to do".
  const active = words.filter(
    (w, i) => !(w === 'do' && ['i', 'we', 'you'].includes(words[i + 1] ?? '')),
  );
  if (active.some((w) => ACTIVE_WORDS.has(w))) return 'active';
  return 'all';
}

const ADD_PATTERNS = [
  // "create a task to renew the car insurance", "add a task called plan the trip"
  /^(?:add|create|make)(?: (?:a|an|another))?(?: new)? (?:task|todo|to-do|item|reminder)(?: (?:to|called|named|titled|for))\s+(.+)$/i,
  new RegExp(
    `^(?:add|create)(?: (?:a|an|another))?(?: new)?(?: (?:task|todo|to-do|item|reminder))?(?: (?:to|on|onto) ${LIST_TARGET})?\\s*[:,-]?\\s+(.+)$`,
    'i',
  ),
  new RegExp(`^put\\s+(.+?)\\s+(?:on|in|to|onto)\\s+${LIST_TARGET}(?:\\s+(.+))?$`, 'i'),
  /^new\s*:\s*(.+)$/i,
  /^schedule\s+(.+)$/i,
  /^new (?:task|todo|to-do|item|reminder)\s*[:,-]?\s+(.+)$/i,
  /^(?:task|todo|to-do|to do|reminder)\s*:\s*(.+)$/i,
  /^(?:remind me(?: to| about)?|remember to|don't (?:let me )?forget(?: to| about)?|(?:i )?(?:need|have|must|should|want|ought) to|i(?:'ve| have)? (?:got|gotta) to|i (?:gotta|must|should))\s+(.+)$/i,
];

const REF = '("[^"]+"|.+?)';
const PRIORITY_LEVEL = '(high|medium|normal|low|urgent|important|top)';

type Match = (groups: string[]) => Intent | undefined;

function withRef(text: string, build: (task: TaskRef) => Intent) {
  const task = parseRef(text);
  return task && build(task);
}

/** Tried in order; the first pattern whose builder returns an intent wins. */
function taskCommands(today: string, now: string): [RegExp, Match][] {
  const due = (ref: string, phrase: string): Intent | undefined => {
    const date = parseDate(phrase, today);
    if (date) return withRef(ref, (task) => ({ kind: 'set_due', task, dueDate: date }));
    const timed = timeExpression(phrase, today, now);
    return timed && !timed.rest
      ? withRef(ref, (task) => ({
          kind: 'set_due',
          task,
          dueDate: timed.dueDate,
          dueTime: timed.dueTime,
        }))
      : undefined;
  };
  const prioritize = (ref: string, level: string): Intent | undefined => {
    const priority = PRIORITY_WORDS[level.toLowerCase()];
    return priority && withRef(ref, (task) => ({ kind: 'set_priority', task, priority }));
  };
  const complete: Match = ([ref = '']) => withRef(ref, (task) => ({ kind: 'complete', task }));
  const reopen: Match = ([ref = '']) => withRef(ref, (task) => ({ kind: 'reopen', task }));
  const rename: Match = ([ref = '', title = '']) => {
    const newTitle = stripQuotes(trimSeparators(title));
    return newTitle
      ? withRef(ref, (task) => ({ kind: 'rename', task, title: newTitle }))
      : undefined;
  };
  const shift = (ref: string, count: string, unit: string): Intent | undefined => {
    const words: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3 };
    const amount = words[count.toLowerCase()] ?? Number(count);
    const days = /^week/i.test(unit) ? amount * 7 : amount;
    return Number.isInteger(days) && days > 0
      ? withRef(ref, (task) => ({ kind: 'shift_due', task, days }))
      : undefined;
  };
  return [
    [
      /^(?:delete|remove|clear|erase|trash)\s+(?:all(?: of)?|every)(?: the| my)? (?:completed|done|finished) (?:tasks?|todos?|items?)$|^(?:clear|remove|delete)(?: all| the)? (?:completed|done|finished)(?: tasks| todos| items)?$/i,
      () => ({ kind: 'bulk_delete', scope: 'completed' }),
    ],
    [
      /^(?:delete|remove|clear|erase|trash)\s+(?:all|everything)(?: of)?(?: my| the)?(?: tasks| todos| items| list)?$/i,
      () => ({ kind: 'bulk_delete', scope: 'all' }),
    ],
    [
      /^(?:delete|remove|clear|erase|trash)\s+(?:everything|all(?: the)?(?: tasks| todos)?)\s+(?:about|with|mentioning|containing|related to)\s+(.+)$/i,
      ([about = '']) => ({ kind: 'bulk_delete', scope: { about: stripQuotes(about) } }),
    ],
    [
      /^(?:delete|remove|trash)(?: tasks?)?\s+#?(\d{1,15}(?:\s*(?:,|and|&)\s*#?\d{1,15})+)$/i,
      ([list = '']) => ({ kind: 'delete_many', ids: (list.match(/\d+/g) ?? []).map(Number) }),
    ],
    [
      /^(?:push|move|postpone|reschedule|defer|shift)\s+(?:everything|all(?: my)?)\s+(?:(?:tasks|todos)\s+)?(?:that(?:'s| is| are)\s+)?(due today|due tomorrow|due this week|overdue)(?:\s+(?:tasks|todos))?\s+(?:to|until|till)\s+(.+)$/i,
      ([from = '', phrase = '']) => {
        const dueDate = parseDate(phrase, today);
        const filter = listFilters(from.toLowerCase()).filters.due;
        return dueDate && filter ? { kind: 'bulk_due', from: filter, dueDate } : undefined;
      },
    ],
    [
      /^(?:postpone|delay|push|defer|move|push back)\s+(.+?)\s+(?:back\s+|out\s+)?(?:by\s+)?(a|an|one|two|three|\d{1,3})\s+(days?|weeks?)(?:\s+later)?$/i,
      ([ref = '', count = '', unit = '']) => shift(ref, count, unit),
    ],
    [/^(.+?)\s+is\s+due\s+(.+)$/i, ([ref = '', phrase = '']) => due(ref, phrase)],
    [
      new RegExp(
        `^(?:bump|raise|move)\\s+${REF}\\s+(?:up\\s+)?to\\s+${PRIORITY_LEVEL}(?: priority)?$`,
        'i',
      ),
      ([ref = '', level = '']) => prioritize(ref, level),
    ],
    [
      new RegExp(
        `^${REF}\\s+is\\s+(?:an?\\s+)?(urgent|important|high priority|low priority|top priority)$`,
        'i',
      ),
      ([ref = '', level = '']) => prioritize(ref, level.split(' ')[0] ?? ''),
    ],
    [
      new RegExp(
        `^${REF}\\s+is\\s+(?:not|no longer)\\s+(?:urgent|important|a priority|high priority)(?:\\s+any ?more)?$`,
        'i',
      ),
      ([ref = '']) => prioritize(ref, 'low'),
    ],
    [
      new RegExp(`^priority\\s+${PRIORITY_LEVEL}\\s+(?:for|on|of)\\s+${REF}$`, 'i'),
      ([level = '', ref = '']) => prioritize(ref, level),
    ],
    [
      /^i (?:don't|do not|no longer) (?:need|have|want) to\s+(.+?)(?:\s+any ?more)?$/i,
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'delete', task })),
    ],
    [
      new RegExp(
        `^(?:make\\s+)?${REF}\\s+(?:(?:is\\s+)?(less|more)\\s+(?:urgent|important)|(?:a\\s+)?(lower|higher)\\s+priority)$`,
        'i',
      ),
      ([ref = '', comparative = '', level = '']) =>
        withRef(ref, (task) => ({
          kind: 'nudge_priority',
          task,
          up: /^(?:more|higher)$/i.test(comparative || level),
        })),
    ],
    [
      /^(lower|raise|increase|decrease|reduce)(?: the)? priority (?:of|for|on)\s+(.+)$/i,
      ([verb = '', ref = '']) =>
        withRef(ref, (task) => ({
          kind: 'nudge_priority',
          task,
          up: /^(?:raise|increase)$/i.test(verb),
        })),
    ],
    [/^(.+?)\s+can wait(?:[,;].*)?$/i, ([ref = '']) => prioritize(ref, 'low')],
    [/^(?:reopen|re-open|uncomplete|unfinish|uncheck|untick|unmark|undo|restore)\s+(.+)$/i, reopen],
    [
      /^mark\s+(.+?)\s+(?:as\s+)?(?:not done|undone|incomplete|not complete|not completed|not finished|unfinished|open|active|to ?do|pending)$/i,
      reopen,
    ],
    [
      new RegExp(
        `^(?:set|change|update|make)(?: the)? priority (?:of|for|on) ${REF}\\s+(?:to|as|=|:)?\\s*${PRIORITY_LEVEL}(?: priority)?$`,
        'i',
      ),
      ([ref = '', level = '']) => prioritize(ref, level),
    ],
    [
      new RegExp(
        `^(?:set|change|update|make|mark|put)\\s+${REF}(?:'s)?(?:\\s+priority)?\\s+(?:(?:to|as|at)\\s+)?${PRIORITY_LEVEL}(?:\\s+priority)?$`,
        'i',
      ),
      ([ref = '', level = '']) => prioritize(ref, level),
    ],
    [/^(?:prioriti[sz]e|escalate)\s+(.+)$/i, ([ref = '']) => prioritize(ref, 'high')],
    [/^deprioriti[sz]e\s+(.+)$/i, ([ref = '']) => prioritize(ref, 'low')],
    [
      /^(?:clear|remove|delete|drop|unset)(?: the)? (?:due(?: date)?|deadline|date) (?:of|for|from|on)\s+(.+)$/i,
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'set_due', task, dueDate: null })),
    ],
    [
      /^(?:set|change|update|make)(?: the)? (?:due(?: date)?|deadline|date) (?:of|for|on)\s+(.+)\s+(?:to|as)\s+(.+)$/i,
      ([ref = '', phrase = '']) => due(ref, phrase),
    ],
    [
      /^(?:set|change|update|move)\s+(.+?)(?:'s)?\s+(?:due(?: date)?|deadline)\s+(?:to|for|as)\s+(.+)$/i,
      ([ref = '', phrase = '']) => due(ref, phrase),
    ],
    // Greedy task part: a date phrase never contains " to ", a title might.
    [
      /^(?:move|reschedule|postpone|push|defer|delay|shift|set|change)\s+(.+)\s+(?:to|until|till|for)\s+(.+)$/i,
      ([ref = '', phrase = '']) => due(ref, phrase),
    ],
    [/^(?:set|make)\s+(.+)\s+due\s+(.+)$/i, ([ref = '', phrase = '']) => due(ref, phrase)],
    [
      new RegExp(`^(?:rename|retitle)\\s+${REF}(?:\\s+(?:to|as|into)\\s+|\\s*:\\s*)(.+)$`, 'i'),
      rename,
    ],
    [
      new RegExp(
        `^(?:change|update|edit|set)(?: the)? (?:title|name|text) (?:of|for|on)\\s+${REF}\\s+to\\s+(.+)$`,
        'i',
      ),
      rename,
    ],
    [new RegExp(`^(?:change|update|edit)\\s+${REF}\\s+(?:to|into)\\s+(.+)$`, 'i'), rename],
    [
      /^(?:complete|finish|finished|done(?: with)?|check off|check|tick off|tick|close|cross off|cross out|mark)(?:\s*:\s*|\s+)(.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished|closed|off))?$/i,
      complete,
    ],
    [/^i(?:'ve| have)?(?: just| already)?\s+(?:done|finished|completed|did)\s+(.+)$/i, complete],
    [/^(.+?)\s+(?:is\s+|are\s+)?(?:done|finished|completed|complete)$/i, complete],
    // What one did: "I bought the milk", "paid the rent", "I called mom".
    [
      /^(?:i(?:'ve| have)?\s+)?(?:just\s+|already\s+|finally\s+)?((?:bought|paid|wrote|made|went|sent|took|got|met|read|\w{3,}ed)\s+.+)$/i,
      complete,
    ],
    [
      new RegExp(
        `^(?:delete|remove|drop|erase|trash|cancel|discard|scratch|scrap|bin|forget(?: about)?|get rid of)\\s+(.+?)(?:\\s+from\\s+${LIST_TARGET})?$`,
        'i',
      ),
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'delete', task })),
    ],
  ];
}

function normalize(message: string) {
  return message
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:(?:please|pls|plz|kindly|(?:can|could|would|will) you|ok|okay)[\s,]+)+/i, '')
    .replace(/[\s,]+(?:please|pls|plz)$/i, '')
    .replace(/[\s.!?]+$/, '');
}

const VERBS = ['add', 'complete', 'delete', 'remove', 'rename', 'finish', 'reopen', 'create'];
/** Words one slip away from a command that are words of their own. */
const REAL_WORDS = new Set(['and', 'ads', 'dad', 'odd', 'aid', 'ado', 'adds', 'added', 'finished']);

/** Pure: whether two words are at most one typo apart (a letter wrong, missing, extra or swapped). */
export function oneSlipApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rest = (x: string, from: number) => x.slice(from);
  return (
    rest(a, i + 1) === rest(b, i + 1) ||
    rest(a, i) === rest(b, i + 1) ||
    rest(a, i + 1) === rest(b, i) ||
    (a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, i + 2) === rest(b, i + 2))
  );
}

/** Pure: the message with a mistyped command word at its start put right ("cmplete 3"). */
function fixCommandTypo(text: string): string {
  const [first = '', ...rest] = text.split(' ');
  const word = first.toLowerCase();
  if (VERBS.includes(word) || REAL_WORDS.has(word) || word.length < 2) return text;
  const verb = VERBS.find((candidate) => oneSlipApart(word, candidate));
  return verb ? [verb, ...rest].join(' ') : text;
}

/** Pure: what the user asked for, with dates resolved against `today` (YYYY-MM-DD). */
export function parseCommand(message: string, today: string, now = '09:00'): Intent {
  const text = fixCommandTypo(normalize(message));
  const lower = text.toLowerCase();
  if (!text || HELP.test(lower)) return { kind: 'help', unknown: false };
  if (UNDO.test(lower)) return { kind: 'undo' };
  if (YES.test(lower)) return { kind: 'confirm', yes: true };
  if (NO.test(lower)) return { kind: 'confirm', yes: false };
  if (THANKS.test(lower)) return { kind: 'thanks' };
  if (DONE_QUESTION.test(lower)) return { kind: 'list', status: 'completed' };
  const search =
    SEARCH.exec(lower)?.[1] ?? /^(?:search(?: for)?|look up|find)\s+(.+)$/.exec(lower)?.[1];
  if (search) return { kind: 'list', status: 'all', search: stripQuotes(search) };
  const { filters, rest } = listFilters(lower);
  const filtered = Object.keys(filters).length > 0;
  const status = parseList(filtered ? rest.replace(/^any(?:thing)?(?= |$)/, 'any tasks') : lower);
  if (status) return { kind: 'list', status, ...filters };
  for (const pattern of ADD_PATTERNS) {
    // A pattern may split the command around a fixed phrase ("put X on my list for friday").
    const body = pattern.exec(text)?.slice(1).filter(Boolean).join(' ');
    if (body) return parseAdd(body, today, now) ?? { kind: 'help', unknown: true };
  }
  for (const [pattern, build] of taskCommands(today, now)) {
    const match = pattern.exec(text);
    const intent = match && build(match.slice(1));
    if (intent) return intent;
  }
  return looksForeign(lower)
    ? { kind: 'help', unknown: true, foreign: true }
    : { kind: 'help', unknown: true };
}

/** Words of other languages people type at a task list, and letters English does not use. */
const FOREIGN =
  /[àâäçéèêëîïôöùûüñßæøå¿¡]|\b(?:ajoute[rz]?|acheter|tâche|liste|qué|tengo|tareas?|añadir|agrega|wie|ist|aufgabe|bitte|hinzufügen|aggiungi|compra|adicionar|lembrar)\b/;
const looksForeign = (lower: string) => FOREIGN.test(lower);

// ---------------------------------------------------------------------------------------------
// Replies

export const HELP_TEXT = [
  'I can manage your tasks. Try:',
  '- "add buy milk tomorrow" or "remind me to call mom on friday, high priority"',
  `- "what's left?", "show my tasks" or "list done tasks"`,
  '- "complete 3" or "complete buy milk"',
  '- "rename 3 to call mom", "set priority of 3 to high" or "move 3 to monday"',
  '- "delete 3"',
].join('\n');

/** The answer to anything that is not about tasks: what the assistant is for, never a shrug. */
const OFF_TOPIC =
  "I'm your task assistant: I can add, list, find, complete, rename, reprioritize, reschedule and delete your tasks.";

// Tool results come from tools.ts, whose handlers return tasks in this shape.
type TaskList = { tasks: Task[]; total: number };

function errorOf(action: ToolAction): string {
  const result = action.result as { error?: unknown } | null;
  return typeof result?.error === 'string' ? result.error : 'something went wrong';
}

function failure(action: ToolAction, attempt: string): string {
  const error = errorOf(action);
  const missing = /^Task (\d+) not found$/.exec(error);
  if (missing) return `I couldn't find task #${missing[1]}.`;
  return `Sorry, I couldn't ${attempt}: ${error.replace(/^Invalid arguments: /, '').replace(/\.$/, '')}.`;
}

function named(task: Pick<Task, 'id' | 'title'>) {
  return `"${task.title}" (#${task.id})`;
}

const whenDue = (task: Pick<Task, 'dueDate' | 'dueTime'>) =>
  task.dueTime ? `${task.dueDate} at ${task.dueTime}` : `${task.dueDate}`;

function details(task: Task, today: string, showDone: boolean) {
  const parts: string[] = [];
  if (showDone && task.completed) parts.push('done');
  if (task.dueDate) {
    parts.push(
      !task.completed && task.dueDate < today
        ? `overdue, was due ${whenDue(task)}`
        : `due ${whenDue(task)}`,
    );
  }
  if (task.priority !== 'medium') parts.push(`${task.priority} priority`);
  return parts;
}

function line(task: Task, today: string, showDone = false) {
  const extra = details(task, today, showDone);
  return `- #${task.id} ${task.title}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function plural(count: number, noun: string) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function listReply(
  status: 'all' | 'active' | 'completed',
  { tasks, total }: TaskList,
  today: string,
) {
  if (tasks.length === 0) {
    if (status === 'completed') return "You haven't completed any tasks yet.";
    if (status === 'active') return "Nothing left to do. You're all caught up!";
    return 'You have no tasks yet. Try "add buy milk tomorrow".';
  }
  const heading =
    status === 'active'
      ? `You have ${plural(total, 'open task')}:`
      : status === 'completed'
        ? `You've completed ${plural(total, 'task')}:`
        : `You have ${plural(total, 'task')}:`;
  const ordered =
    status === 'all' ? [...tasks].sort((a, b) => Number(a.completed) - Number(b.completed)) : tasks;
  const lines = ordered.map((task) => line(task, today, status === 'all'));
  if (total > tasks.length) lines.push(`...and ${total - tasks.length} more.`);
  return [heading, ...lines].join('\n');
}

const DUE_WORDS: Record<DueFilter, string> = {
  today: 'due today',
  tomorrow: 'due tomorrow',
  this_week: 'due this week',
  overdue: 'overdue',
  none: 'without a due date',
};

function filteredReply(
  filters: { priority?: Priority; due?: DueFilter; search?: string },
  { tasks, total }: TaskList,
  today: string,
) {
  const describe = (noun: string) =>
    [
      filters.priority && `${filters.priority}-priority`,
      noun,
      filters.due && DUE_WORDS[filters.due],
      filters.search && `about "${filters.search}"`,
    ]
      .filter(Boolean)
      .join(' ');
  if (tasks.length === 0) return `You have no ${describe('tasks')}.`;
  const lines = tasks.map((task) => line(task, today, true));
  if (total > tasks.length) lines.push(`...and ${total - tasks.length} more.`);
  return [`You have ${total} ${describe(total === 1 ? 'task' : 'tasks')}:`, ...lines].join('\n');
}

type Run = (name: ToolName, args: Record<string, unknown>) => Promise<ToolAction>;
type Resolved = { id: number; task?: Task } | { reply: string };

/**
 * A title names a task when it matches one exactly (ignoring case) or is contained in only
 * one; `prefer` breaks ties between an open and a completed task of the same name.
 */
async function resolve(
  ref: TaskRef,
  run: Run,
  today: string,
  example: (id: number) => string,
  prefer?: 'active' | 'completed',
): Promise<Resolved> {
  if ('id' in ref) return { id: ref.id };
  // The title as written first (one lookup in the usual case), then every task by its words.
  let action = await run('list_tasks', { search: ref.title });
  if (action.ok && (action.result as TaskList).tasks.length === 0)
    action = await run('list_tasks', {});
  if (!action.ok) return { reply: failure(action, `look up "${ref.title}"`) };
  const { tasks } = action.result as TaskList;
  let pool = matchTasks(ref.title, tasks);
  if (prefer) {
    const preferred = pool.filter((task) => task.completed === (prefer === 'completed'));
    if (preferred.length > 0) pool = preferred;
  }
  const [first] = pool;
  if (!first) {
    const missing = `I couldn't find a task matching "${ref.title}".`;
    const [closest, ...others] = closestTasks(ref.title, tasks);
    if (!closest) return { reply: missing };
    if (others.length === 0)
      return {
        reply: `${missing} Did you mean ${named(closest)}? Say "${example(closest.id)}" to confirm.`,
      };
    return {
      reply: [
        `${missing} The closest:`,
        ...[closest, ...others].map((task) => line(task, today, true)),
      ].join('\n'),
    };
  }
  if (pool.length === 1) return { id: first.id, task: first };
  return {
    reply: [
      `More than one task matches "${ref.title}":`,
      ...pool.map((task) => line(task, today, true)),
      `Which one? Use its number, e.g. "${example(first.id)}".`,
    ].join('\n'),
  };
}

function describeUndo(action: ToolAction): string {
  if (action.tool === 'delete_task')
    return `removed ${named((action.result as { deleted: Task }).deleted)}.`;
  if (action.tool === 'add_task') return `put back ${named(action.result as Task)}.`;
  return `restored ${named(action.result as Task)}.`;
}

async function findById(run: Run, id: number): Promise<Task | undefined> {
  const action = await run('list_tasks', {});
  return action.ok ? (action.result as TaskList).tasks.find((task) => task.id === id) : undefined;
}

/** The command a question of ours asked the user to confirm ("Say "delete 1, 6" to confirm."). */
const CONFIRM = /Say "([^"]+)" to confirm\.?$/m;

async function perform(
  intent: Intent,
  run: Run,
  today: string,
  history: ChatTurn[] = [],
): Promise<string> {
  switch (intent.kind) {
    case 'undo': {
      const last = [...history]
        .reverse()
        .find((turn) => turn.role === 'assistant' && turn.actions?.some((action) => action.undo));
      const undos = (last?.actions ?? []).flatMap((action) =>
        action.ok && action.undo ? [action.undo] : [],
      );
      if (undos.length === 0) return "There's no change of mine to undo in this conversation.";
      const done: string[] = [];
      for (const undo of undos.reverse()) {
        const action = await run(undo.tool as ToolName, undo.arguments);
        if (!action.ok) return [...done, failure(action, 'undo that')].join('\n');
        done.push(describeUndo(action));
      }
      return `Undone: ${done.join(' ')}`;
    }
    case 'confirm': {
      const asked = [...history].reverse().find((turn) => turn.role === 'assistant');
      const command = asked && CONFIRM.exec(asked.content)?.[1];
      if (!command) return intent.yes ? 'Happy to help! What should I do?' : 'OK.';
      if (!intent.yes) return 'OK, I left them as they are.';
      return perform(parseCommand(command, today), run, today);
    }
    case 'help':
      if (!intent.unknown) return HELP_TEXT;
      return intent.foreign
        ? `I can only read English so far. ${OFF_TOPIC}\n${HELP_TEXT}`
        : `${OFF_TOPIC}\n${HELP_TEXT}`;
    case 'thanks':
      return 'Happy to help! Anything else?';
    case 'add': {
      const action = await run('add_task', {
        title: intent.title,
        ...(intent.dueDate && { due_date: intent.dueDate }),
        ...(intent.dueTime && { due_time: intent.dueTime }),
        ...(intent.priority && { priority: intent.priority }),
      });
      if (!action.ok) return failure(action, 'add that task');
      const task = action.result as Task;
      const extra = details(task, today, false);
      return `Added ${named(task)}${extra.length ? `, ${extra.join(', ')}` : ''}.`;
    }
    case 'list': {
      const { kind: _, ...args } = intent;
      const action = await run('list_tasks', args);
      if (!action.ok) return failure(action, 'list your tasks');
      const filtered = intent.priority || intent.due || intent.search;
      return filtered
        ? filteredReply(intent, action.result as TaskList, today)
        : listReply(intent.status, action.result as TaskList, today);
    }
    case 'complete': {
      const target = await resolve(intent.task, run, today, (id) => `complete ${id}`, 'active');
      if ('reply' in target) return target.reply;
      if (target.task?.completed) return `${named(target.task)} is already done.`;
      const action = await run('complete_task', { task_id: target.id });
      if (!action.ok) return failure(action, 'complete that task');
      return `Nice! Marked ${named(action.result as Task)} as done.`;
    }
    case 'reopen': {
      const target = await resolve(intent.task, run, today, (id) => `reopen ${id}`, 'completed');
      if ('reply' in target) return target.reply;
      const action = await run('update_task', { task_id: target.id, completed: false });
      if (!action.ok) return failure(action, 'reopen that task');
      return `Reopened ${named(action.result as Task)}.`;
    }
    case 'delete': {
      const target = await resolve(intent.task, run, today, (id) => `delete ${id}`);
      if ('reply' in target) return target.reply;
      const action = await run('delete_task', { task_id: target.id });
      if (!action.ok) return failure(action, 'delete that task');
      return `Deleted ${named((action.result as { deleted: Task }).deleted)}.`;
    }
    case 'rename': {
      const target = await resolve(
        intent.task,
        run,
        today,
        (id) => `rename ${id} to ${intent.title}`,
      );
      if ('reply' in target) return target.reply;
      const action = await run('update_task', { task_id: target.id, title: intent.title });
      if (!action.ok) return failure(action, 'rename that task');
      const task = action.result as Task;
      return `Renamed ${target.task ? named(target.task) : `#${task.id}`} to "${task.title}".`;
    }
    case 'set_priority': {
      const target = await resolve(
        intent.task,
        run,
        today,
        (id) => `set priority of ${id} to ${intent.priority}`,
      );
      if ('reply' in target) return target.reply;
      const action = await run('update_task', { task_id: target.id, priority: intent.priority });
      if (!action.ok) return failure(action, 'change the priority');
      return `Set ${named(action.result as Task)} to ${intent.priority} priority.`;
    }
    case 'set_due': {
      const target = await resolve(intent.task, run, today, (id) => `move ${id} to friday`);
      if ('reply' in target) return target.reply;
      const action = await run('update_task', {
        task_id: target.id,
        due_date: intent.dueDate,
        ...(intent.dueTime && { due_time: intent.dueTime }),
      });
      if (!action.ok) return failure(action, 'change the due date');
      const task = action.result as Task;
      return task.dueDate
        ? `${named(task)} is now due ${whenDue(task)}.`
        : `Removed the due date from ${named(task)}.`;
    }
    case 'shift_due': {
      const target = await resolve(intent.task, run, today, (id) => `postpone ${id} by a day`);
      if ('reply' in target) return target.reply;
      const current = target.task ?? (await findById(run, target.id));
      if (!current) return `I couldn't find task #${target.id}.`;
      const dueDate = addDays(current.dueDate ?? today, intent.days);
      const action = await run('update_task', { task_id: target.id, due_date: dueDate });
      if (!action.ok) return failure(action, 'change the due date');
      return `${named(action.result as Task)} is now due ${dueDate}.`;
    }
    case 'bulk_delete': {
      const action = await run('list_tasks', {});
      if (!action.ok) return failure(action, 'list your tasks');
      const { tasks } = action.result as TaskList;
      const { scope } = intent;
      const doomed =
        scope === 'all'
          ? tasks
          : scope === 'completed'
            ? tasks.filter((task) => task.completed)
            : matchTasks(scope.about, tasks);
      const what = scope === 'completed' ? 'completed task' : 'task';
      if (doomed.length === 0)
        return scope === 'completed'
          ? 'You have no completed tasks to clear.'
          : typeof scope === 'object'
            ? `I couldn't find a task about "${scope.about}".`
            : 'You have no tasks to delete.';
      // Deleting several tasks at once is asked first: the user confirms with their numbers.
      const ids = doomed.map((task) => task.id).join(', ');
      return [
        `That would delete ${plural(doomed.length, what)}:`,
        ...doomed.map((task) => line(task, today, true)),
        `Shall I? Say "delete ${ids}" to confirm.`,
      ].join('\n');
    }
    case 'nudge_priority': {
      const target = await resolve(intent.task, run, today, (id) => `set priority of ${id} to low`);
      if ('reply' in target) return target.reply;
      const current = target.task ?? (await findById(run, target.id));
      if (!current) return `I couldn't find task #${target.id}.`;
      const levels: Priority[] = ['low', 'medium', 'high'];
      const index = levels.indexOf(current.priority) + (intent.up ? 1 : -1);
      const priority = levels[Math.max(0, Math.min(2, index))] as Priority;
      if (priority === current.priority)
        return `${named(current)} is already ${priority} priority.`;
      const action = await run('update_task', { task_id: target.id, priority });
      if (!action.ok) return failure(action, 'change the priority');
      return `Set ${named(action.result as Task)} to ${priority} priority.`;
    }
    case 'bulk_due': {
      const found = await run('list_tasks', { status: 'active', due: intent.from });
      if (!found.ok) return failure(found, 'list your tasks');
      const { tasks } = found.result as TaskList;
      if (tasks.length === 0) return `You have no open tasks ${DUE_WORDS[intent.from]}.`;
      const moved: string[] = [];
      for (const task of tasks) {
        const action = await run('update_task', { task_id: task.id, due_date: intent.dueDate });
        if (!action.ok) return [...moved, failure(action, `move task #${task.id}`)].join('\n');
        moved.push(line(action.result as Task, today));
      }
      return [`Moved ${plural(moved.length, 'task')} to ${intent.dueDate}:`, ...moved].join('\n');
    }
    case 'delete_many': {
      const deleted: string[] = [];
      for (const id of intent.ids) {
        const action = await run('delete_task', { task_id: id });
        if (!action.ok) return [...deleted, failure(action, `delete task #${id}`)].join('\n');
        deleted.push(`Deleted ${named((action.result as { deleted: Task }).deleted)}.`);
      }
      return deleted.join('\n');
    }
  }
}

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
