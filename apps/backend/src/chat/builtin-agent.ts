import type { ToolAction } from '../db/schema.ts';
import type { Priority, Task } from '../tasks/task-service.ts';
import type { Agent } from './agent.ts';
import type { ToolName } from './tools.ts';

/**
 * The assistant used when no LLM is configured: a deterministic command parser that acts only
 * through the same tools a model would get, so it obeys the same validation and ownership rules.
 */

export type TaskRef = { id: number } | { title: string };

export type Intent =
  | { kind: 'add'; title: string; dueDate?: string; priority?: Priority }
  | { kind: 'list'; status: 'all' | 'active' | 'completed' }
  | { kind: 'complete'; task: TaskRef }
  | { kind: 'reopen'; task: TaskRef }
  | { kind: 'delete'; task: TaskRef }
  | { kind: 'rename'; task: TaskRef; title: string }
  | { kind: 'set_priority'; task: TaskRef; priority: Priority }
  | { kind: 'set_due'; task: TaskRef; dueDate: string | null }
  | { kind: 'thanks' }
  | { kind: 'help'; unknown: boolean };

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

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

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
  return /^"[^"]*"$/.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
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
    const clear =
      punctuated ||
      DATE_PREPOSITIONS.test(phrase.toLowerCase()) ||
      /^(?:today|tonight|tomorrow)$/i.test(phrase);
    if (date && clear) return { date, rest: trimSeparators(words.slice(k).join(' ')) };
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

function parseAdd(body: string, today: string): Intent | undefined {
  const quoted = /"([^"]+)"/.exec(body);
  const modifiers = extractModifiers(quoted ? body.replace(quoted[0], ' ') : body, today);
  const title = cleanTitle(quoted?.[1] ?? modifiers.text);
  if (!title) return undefined;
  return {
    kind: 'add',
    title,
    ...(modifiers.dueDate && { dueDate: modifiers.dueDate }),
    ...(modifiers.priority && { priority: modifiers.priority }),
  };
}

/** "3", "#3" or "task 3" name a task by id; anything else, or anything quoted, by title. */
function parseRef(text: string): TaskRef | undefined {
  const ref = trimSeparators(text).replace(/^(?:the\s+)?(?:task|todo|to-do|item)\b\s*/i, '');
  const id = /^(?:(?:number|no\.?|id)\s*)?#?(\d{1,15})$/i.exec(ref);
  if (id?.[1]) return { id: Number(id[1]) };
  const title = stripQuotes(ref);
  return title ? { title } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Commands

const HELP =
  /^(?:help|h|\?|commands|menu|start|what can you do|what can i (?:say|do|ask)|how does (?:this|it) work|how do i use (?:this|you)|hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening))$/;
const THANKS =
  /^(?:thanks|thank you|thx|ty|cheers|great|perfect|cool|awesome|nice|ok|okay)(?: (?:so much|a lot|very much))?$/;

const LIST_PREFIX =
  /^(?:(?:list|show|display|view|see|get|give|check|print)(?: me)?|what(?:'s|s| is| are| do i have| should i| do i need)?|which|do i have|how many)(?= |$)/;
const LIST_WORDS = new Set(
  (
    'my the all of me i on in to do for now still currently right have got left remaining open ' +
    'pending active outstanding incomplete unfinished current undone done completed complete ' +
    'finished closed everything tasks task todos todo to-dos to-do items list things so far ' +
    'today already are is there any plate agenda yet'
  ).split(' '),
);
const LIST_NOUNS = new Set('tasks task todos todo to-dos to-do items list things'.split(' '));
const COMPLETED_WORDS = new Set(['done', 'completed', 'complete', 'finished', 'closed']);
const ACTIVE_WORDS = new Set(
  'left remaining open pending active outstanding incomplete unfinished undone do current still'.split(
    ' ',
  ),
);
const DONE_QUESTION =
  /^(?:(?:show|list|tell)(?: me)? )?what (?:have i|did i|i've|i have) (?:done|do|completed|complete|finished|finish|accomplished|achieved|got done)(?: (?:so far|today|already|yet|lately|recently))?$/;

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
  if (words.some((w) => ACTIVE_WORDS.has(w))) return 'active';
  return 'all';
}

const ADD_PATTERNS = [
  new RegExp(
    `^(?:add|create)(?: (?:a|an|another))?(?: new)?(?: (?:task|todo|to-do|item|reminder))?(?: (?:to|on|onto) ${LIST_TARGET})?\\s*[:,-]?\\s+(.+)$`,
    'i',
  ),
  /^new (?:task|todo|to-do|item|reminder)\s*[:,-]?\s+(.+)$/i,
  /^(?:task|todo|to-do|to do|reminder)\s*:\s*(.+)$/i,
  /^(?:remind me(?: to| about)?|remember to|don't (?:let me )?forget(?: to| about)?|i (?:need|have|must|should|gotta|want) to|i must|i should)\s+(.+)$/i,
];

const REF = '("[^"]+"|.+?)';
const PRIORITY_LEVEL = '(high|medium|normal|low|urgent|important|top)';

type Match = (groups: string[]) => Intent | undefined;

function withRef(text: string, build: (task: TaskRef) => Intent) {
  const task = parseRef(text);
  return task && build(task);
}

/** Tried in order; the first pattern whose builder returns an intent wins. */
function taskCommands(today: string): [RegExp, Match][] {
  const due = (ref: string, phrase: string): Intent | undefined => {
    const date = parseDate(phrase, today);
    return date ? withRef(ref, (task) => ({ kind: 'set_due', task, dueDate: date })) : undefined;
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
  return [
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
    // Greedy task part: a date phrase never contains " to ", a title might.
    [
      /^(?:move|reschedule|postpone|push|defer|delay|shift|set|change)\s+(.+)\s+(?:to|until|till|for)\s+(.+)$/i,
      ([ref = '', phrase = '']) => due(ref, phrase),
    ],
    [/^(?:set|make)\s+(.+)\s+due\s+(.+)$/i, ([ref = '', phrase = '']) => due(ref, phrase)],
    [new RegExp(`^(?:rename|retitle)\\s+${REF}\\s+(?:to|as|into)\\s+(.+)$`, 'i'), rename],
    [
      new RegExp(
        `^(?:change|update|edit|set)(?: the)? (?:title|name|text) (?:of|for|on)\\s+${REF}\\s+to\\s+(.+)$`,
        'i',
      ),
      rename,
    ],
    [new RegExp(`^(?:change|update|edit)\\s+${REF}\\s+(?:to|into)\\s+(.+)$`, 'i'), rename],
    [
      /^(?:complete|finish|finished|done|check off|check|tick off|tick|close|cross off|cross out|mark)\s+(.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished|closed|off))?$/i,
      complete,
    ],
    [/^i(?:'ve| have)?(?: just| already)?\s+(?:done|finished|completed|did)\s+(.+)$/i, complete],
    [/^(.+?)\s+(?:is\s+|are\s+)?(?:done|finished|completed|complete)$/i, complete],
    [
      new RegExp(
        `^(?:delete|remove|drop|erase|trash|cancel|discard|scratch|forget(?: about)?|get rid of)\\s+(.+?)(?:\\s+from\\s+${LIST_TARGET})?$`,
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

/** Pure: what the user asked for, with dates resolved against `today` (YYYY-MM-DD). */
export function parseCommand(message: string, today: string): Intent {
  const text = normalize(message);
  const lower = text.toLowerCase();
  if (!text || HELP.test(lower)) return { kind: 'help', unknown: false };
  if (THANKS.test(lower)) return { kind: 'thanks' };
  const status = parseList(lower);
  if (status) return { kind: 'list', status };
  for (const pattern of ADD_PATTERNS) {
    const body = pattern.exec(text)?.[1];
    if (body) return parseAdd(body, today) ?? { kind: 'help', unknown: true };
  }
  for (const [pattern, build] of taskCommands(today)) {
    const match = pattern.exec(text);
    const intent = match && build(match.slice(1));
    if (intent) return intent;
  }
  return { kind: 'help', unknown: true };
}

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

function details(task: Task, today: string, showDone: boolean) {
  const parts: string[] = [];
  if (showDone && task.completed) parts.push('done');
  if (task.dueDate) {
    parts.push(
      !task.completed && task.dueDate < today
        ? `overdue, was due ${task.dueDate}`
        : `due ${task.dueDate}`,
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
  const action = await run('list_tasks', { search: ref.title });
  if (!action.ok) return { reply: failure(action, `look up "${ref.title}"`) };
  const { tasks } = action.result as TaskList;
  const wanted = ref.title.toLowerCase();
  const exact = tasks.filter((task) => task.title.toLowerCase() === wanted);
  let pool = exact.length > 0 ? exact : tasks;
  if (prefer) {
    const preferred = pool.filter((task) => task.completed === (prefer === 'completed'));
    if (preferred.length > 0) pool = preferred;
  }
  const [first] = pool;
  if (!first) return { reply: `I couldn't find a task matching "${ref.title}".` };
  if (pool.length === 1) return { id: first.id, task: first };
  return {
    reply: [
      `More than one task matches "${ref.title}":`,
      ...pool.map((task) => line(task, today, true)),
      `Which one? Use its number, e.g. "${example(first.id)}".`,
    ].join('\n'),
  };
}

async function perform(intent: Intent, run: Run, today: string): Promise<string> {
  switch (intent.kind) {
    case 'help':
      return intent.unknown ? `Sorry, I didn't understand that. ${HELP_TEXT}` : HELP_TEXT;
    case 'thanks':
      return 'Happy to help! Anything else?';
    case 'add': {
      const action = await run('add_task', {
        title: intent.title,
        ...(intent.dueDate && { due_date: intent.dueDate }),
        ...(intent.priority && { priority: intent.priority }),
      });
      if (!action.ok) return failure(action, 'add that task');
      const task = action.result as Task;
      const extra = details(task, today, false);
      return `Added ${named(task)}${extra.length ? `, ${extra.join(', ')}` : ''}.`;
    }
    case 'list': {
      const action = await run('list_tasks', { status: intent.status });
      if (!action.ok) return failure(action, 'list your tasks');
      return listReply(intent.status, action.result as TaskList, today);
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
      const action = await run('update_task', { task_id: target.id, due_date: intent.dueDate });
      if (!action.ok) return failure(action, 'change the due date');
      const task = action.result as Task;
      return task.dueDate
        ? `${named(task)} is now due ${task.dueDate}.`
        : `Removed the due date from ${named(task)}.`;
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
      const reply = await perform(parseCommand(input.message, input.today), run, input.today);
      return { reply, actions };
    },
  };
}
