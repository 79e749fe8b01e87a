import { parseDate, timeExpression } from './dates.ts';
import type { Intent, TaskRef } from './intent.ts';
import { listFilters } from './list.ts';
import { PRIORITY_WORDS } from './priorities.ts';
import { LIST_TARGET, stripQuotes, trimSeparators } from './text.ts';

/** When the user did it, or how they feel about it: not words of the task ("paid it this morning"). */
const WHEN_SAID =
  /\s+(?:this morning|this afternoon|this evening|today|yesterday|last night|earlier(?: today)?|just now|already|finally|at last|by mistake|too|as well)$|(?:'s)?\s+priority$/i;
const ONE = /^(?:it|its|that|this|that one|this one|the same one)$/i;
const MANY =
  /^(?:them|their|them all|all|both|both of them|all of them|all those|these|those|the two|these two|those two)$/i;

/**
 * "3", "#3" or "task 3" name a task by id; "it" and "both" by what the rest of the message or
 * the conversation names; anything else by its words ("the milk one", "the rent task", "with
 * the report"), anything quoted by its exact title. A reference never spans a comma or a
 * sentence end: "scrap #3, it's not needed" names #3 in its first clause.
 */
function parseRef(text: string): TaskRef | undefined {
  const ref = trimSeparators(text).replace(/^(?:the\s+)?(?:task|todo|to-do|item)\b\s*/i, '');
  const bare = ref.replace(WHEN_SAID, '');
  const id = /^(?:(?:number|no\.?|id)\s*)?#?(\d{1,15})$/i.exec(bare);
  if (id?.[1]) return { id: Number(id[1]) };
  if (/^"[^"]*"$|^'[^']*'$/.test(ref.trim())) {
    const quoted = ref.trim().slice(1, -1).trim();
    return quoted ? { title: quoted } : undefined;
  }
  if (ONE.test(bare)) return { pronoun: 'one' };
  if (MANY.test(bare)) return { pronoun: 'many' };
  if (/[,;!?]|\.\s/.test(ref)) return undefined;
  const title = bare
    .replace(/^(?:(?:with|about|of|on)\s+)?(?:(?:the|my|that|this)\s+)?/i, '')
    .replace(/\s+(?:one|task|item|thing|todo|to-do)$/i, '')
    .trim();
  return title ? { title } : undefined;
}

const REF = '("[^"]+"|.+?)';
/** "push back the rent", "move the milk up": the verb's particle, not the task's words. */
const PARTICLES = /^(?:back|out|up|forward|over)\s+|\s+(?:back|out|up|forward|over)$/gi;
const PRIORITY_LEVEL = '(high|medium|normal|low|urgent|important|top)';

type Match = (groups: string[]) => Intent | undefined;

/** "the report deadline", "the rent's due date": the task whose date changes. */
const withoutDate = (ref: string) => ref.replace(/(?:'s)?\s+(?:deadline|due date|date)$/i, '');

/** A deed whose object is a pronoun: "bought it", "called them". */
const PRONOUN_OBJECT = /^\S+\s+(?:it|that|this|them|both)$/i;

const DID =
  '(?:bought|paid|wrote|made|went|sent|took|got(?! any)|met|read|rang|spoke|gave|brought|found|told|saw|\\w{3,}ed)';

/** "add a note to the call mom task: ask about christmas plans" */
const NOTE =
  /^(?:(?:add|put|attach|write|leave|set)\s+)?(?:a\s+|the\s+)?(?:note|description|comment|details?)\s+(?:to|on|for|in)\s+(.+?)\s*(?::|saying|that says|-)\s*(.+)$/i;

/** Pure: "delete <what was said>", for shapes that name the deletion after what it deletes. */
function parseDeletion(said: string): Intent | undefined {
  if (/\b(?:completed|done|finished|ticked off)\b/i.test(said))
    return { kind: 'bulk_delete', scope: 'completed' };
  return withRef(said, (task) => ({ kind: 'delete', task }));
}

/** Pure: a note for an existing task, which reads like an add ("add a note to ..."). */
export function parseNote(text: string): Intent | undefined {
  const [, ref = '', said = ''] = NOTE.exec(text) ?? [];
  const description = stripQuotes(said);
  return description
    ? withRef(ref, (task) => ({ kind: 'describe', task, description }))
    : undefined;
}

function withRef(text: string, build: (task: TaskRef) => Intent) {
  const task = parseRef(text);
  return task && build(task);
}

/** Tried in order; the first pattern whose builder returns an intent wins. */
export function taskCommands(today: string, now: string): [RegExp, Match][] {
  const due = (named: string, phrase: string): Intent | undefined => {
    const ref = withoutDate(named);
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
  // "make it friday", "the rent december 20th": the longest date at the end, the task before it.
  const dueAtEnd = (said: string): Intent | undefined => {
    const words = said.split(' ');
    for (let k = Math.min(5, words.length - 1); k >= 1; k--) {
      const ref = words
        .slice(0, -k)
        .join(' ')
        .replace(/\s+(?:to|for|on)$/i, '');
      const intent = due(ref, words.slice(-k).join(' '));
      if (intent) return intent;
    }
    return undefined;
  };
  const both = (first?: Intent, second?: Intent): Intent | undefined =>
    first && second ? { kind: 'each', intents: [first, second] } : undefined;
  const prioritize = (ref: string, level: string): Intent | undefined => {
    const priority = PRIORITY_WORDS[level.toLowerCase()];
    return priority && withRef(ref, (task) => ({ kind: 'set_priority', task, priority }));
  };
  const complete: Match = ([ref = '']) => withRef(ref, (task) => ({ kind: 'complete', task }));
  const reopen: Match = ([ref = '']) => withRef(ref, (task) => ({ kind: 'reopen', task }));
  const rename: Match = ([ref = '', title = '']) => {
    // "rename it to 'Pay December rent'? it's vague": the title ends with its sentence.
    const newTitle = stripQuotes(
      trimSeparators(title.split(/(?<=[.!?])\s+/)[0] ?? '').replace(/[.!?]+$/, ''),
    );
    // "change the call mom task to that": a title is never a pronoun.
    return newTitle && !ONE.test(newTitle) && !MANY.test(newTitle)
      ? withRef(ref, (task) => ({ kind: 'rename', task, title: newTitle }))
      : undefined;
  };
  const shift = (named: string, count: string, unit: string): Intent | undefined => {
    const ref = withoutDate(named);
    const words: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3 };
    const amount = words[count.toLowerCase()] ?? Number(count);
    const days = /^week/i.test(unit) ? amount * 7 : amount;
    return Number.isInteger(days) && days > 0
      ? withRef(ref, (task) => ({ kind: 'shift_due', task, days }))
      : undefined;
  };
  return [
    // "completed tasks → trash", "the bread: scrap it"
    [
      /^(.+?)\s*(?:→|->|=>|:)\s*(?:trash|bin|delete|remove|gone|scrap)(?: it| them)?$/i,
      ([said = '']) => parseDeletion(said),
    ],
    // "rent, mom: done", "milk -> done": a list of tasks, then what became of them.
    [
      /^(.+?)\s*(?::|->|=>|→)\s*(?:done|finished|completed|complete|paid|bought|✓)$/i,
      ([said = '']) =>
        withRef(said.replace(/\s*,\s*/g, ' and '), (task) => ({ kind: 'complete', task })),
    ],
    [
      new RegExp(`^(.+?)\\s*(?::|->|=>|→)\\s*${PRIORITY_LEVEL}(?:\\s+priority)?$`, 'i'),
      ([ref = '', level = '']) => prioritize(ref, level),
    ],
    // "report deadline → dec 10", "rent -> friday"
    [
      /^(.+?)\s*(?:→|->|=>)\s*(.+)$/i,
      ([ref = '', said = '']) => due(ref, said) ?? rename([ref, said]),
    ],
    // "bread - no due date", "#4 shouldn't have any due date"
    [
      /^(.+?)(?:\s*[-:,]\s*(?:no|without)|\s+(?:shouldn't|should not|doesn't need to|does not need to|mustn't|needn't)\s+have)\s+(?:a\s+|any\s+)?(?:due date|deadline|date)$/i,
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'set_due', task, dueDate: null })),
    ],
    // "make #3 urgent and #1 medium priority": one verb, two changes.
    [
      new RegExp(
        `^(?:make|set|mark|change)\\s+(.+?)\\s+(?:to\\s+)?${PRIORITY_LEVEL}(?:\\s+priority)?\\s+and\\s+(.+?)\\s+(?:to\\s+)?${PRIORITY_LEVEL}(?:\\s+priority)?$`,
        'i',
      ),
      ([first = '', level = '', second = '', other = '']) =>
        both(prioritize(first, level), prioritize(second, other)),
    ],
    // "push the report back two days and the milk by one"
    [
      /^(?:push|postpone|delay|bump|move|shift)\s+(.+?)\s+(?:back\s+)?(?:by\s+)?(a|an|one|two|three|\d{1,3})\s+(days?|weeks?)\s+and\s+(.+?)\s+(?:back\s+)?(?:by\s+)?(a|an|one|two|three|\d{1,3})(?:\s+(days?|weeks?))?$/i,
      ([first = '', count = '', unit = '', second = '', other = '', otherUnit]) =>
        both(shift(first, count, unit), shift(second, other, otherUnit ?? unit)),
    ],
    // "drop #2 one priority level", "bump the milk up one level of priority"
    [
      /^(drop|lower|raise|bump|knock|move|take)\s+(.+?)\s+(?:(down|up)\s+)?(?:by\s+)?(?:one|a)\s+(?:priority\s+)?(?:level|notch|step)(?:\s+(?:of|in)\s+priority)?$/i,
      ([verb = '', ref = '', way]) =>
        withRef(ref, (task) => ({
          kind: 'nudge_priority',
          task,
          up: way ? way.toLowerCase() === 'up' : /^(?:raise|bump)$/i.test(verb),
        })),
    ],
    // "change task 3's name to ..."
    [
      new RegExp(
        `^(?:change|update|edit|set)\\s+${REF}'s\\s+(?:name|title)\\s+(?:to|as)\\s+(.+)$`,
        'i',
      ),
      rename,
    ],
    [
      /^(?:delete|remove|clear|erase|trash|wipe|get rid of)(?: out)?\s+(?:whatever(?:'s| is)\s+|all (?:the |my )?|everything (?:that'?s |that is )?)(?:done|completed|finished|ticked off|checked off)(?: ones| tasks| todos| items| stuff| things)?$|^(?:delete|remove|clear|erase|trash|wipe)(?: out)?\s+(?:everything|all|anything)\s+(?:(?:that\s+)?i(?:'ve| have)?|that(?:'s| is| are)|which (?:is|are))\s+(?:already\s+)?(?:finished|done|completed|ticked off)$|^(?:delete|remove|clear|erase|trash)\s+(?:all(?: of)?|every)(?: the| my)? (?:completed|done|finished) (?:tasks?|todos?|items?|ones)$|^(?:clear|remove|delete)(?: all| the)? (?:completed|done|finished)(?: tasks| todos| items| ones)?$/i,
      () => ({ kind: 'bulk_delete', scope: 'completed' }),
    ],
    [
      /^(?:delete|remove|clear|erase|trash|wipe|nuke|empty)\s+(?=.*\b(?:all|everything|whole|entire|list|tasks|todos|items)\b)(?:(?:all|everything|out)(?:\s+|$))?(?:of\s+)?(?:(?:it|my|the)(?:\s+|$))?(?:(?:whole|entire)\s+)?(?:tasks|todos|items|list)?(?:\s*(?:on|in|from)\s+(?:my|the)\s+(?:list|tasks))?$/i,
      () => ({ kind: 'bulk_delete', scope: 'all' }),
    ],
    [
      /^(?:delete|remove|clear|erase|trash)\s+(?:everything|all(?: the)?(?: tasks| todos)?)\s+(?:about|with|mentioning|containing|related to)\s+(.+)$/i,
      ([about = '']) => ({ kind: 'bulk_delete', scope: { about: stripQuotes(about) } }),
    ],
    // "remove both shopping tasks", "delete all the milk ones": every task the words name, asked first.
    [
      /^(?:delete|remove|clear|trash|wipe|get rid of)\s+(?:both|all)(?:\s+(?:of\s+)?(?:the|my))?\s+(?!(?:completed|done|finished|tasks|todos|items)\b)(.+?)(?:\s+(?:tasks|ones|items|todos|things))?$/i,
      ([about = '']) =>
        /[,;!?]|^of\s+(?:it|them)\b/i.test(about)
          ? undefined
          : { kind: 'bulk_delete', scope: { about: stripQuotes(about) } },
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
      /^(?:postpone|delay|push|defer|move|bump|push back)\s+(.+?)\s+(?:back\s+|out\s+)?(?:by\s+)?(a|an|one|two|three|\d{1,3})\s+(days?|weeks?)(?:\s+later)?$/i,
      ([ref = '', count = '', unit = '']) => shift(ref, count, unit),
    ],
    [
      /^(.+?)\s+is\s+(?:now\s+|actually\s+|also\s+|really\s+)?due\s+(.+)$/i,
      ([ref = '', phrase = '']) => due(ref, phrase),
    ],
    // "give #1 an extra week", "give the rent 2 more days"
    [
      /^give\s+(.+?)\s+(?:an?\s+)?(?:(\d{1,3}|one|two|three)\s+)?(?:extra|more|another|additional)\s+(?:(\d{1,3}|one|two|three)\s+)?(days?|weeks?)$/i,
      ([ref = '', before, after, unit = '']) => shift(ref, before ?? after ?? 'a', unit),
    ],
    // "the new due date for the rent is december 20th", "deadline for #2: friday"
    [
      /^(?:that'?s\s+|this is\s+)?(?:the\s+)?(?:new\s+)?(?:due date|deadline|date)\s+(?:for|of|on)\s+(.+)$/i,
      ([said = '']) => dueAtEnd(said.replace(/\s+(?:is|should be|will be|=)\s+/i, ' ')),
    ],
    // "#3 due dec 10", "the milk one due friday"; other "X due Y" may be a new task (quick add).
    [
      /^((?:task\s+|#)?\d{1,15}|.+?\s(?:one|task))\s+due\s+(.+)$/i,
      ([ref = '', phrase = '']) => due(ref, phrase),
    ],
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
    [/^(.+?)\s+can wait$/i, ([ref = '']) => prioritize(ref, 'low')],
    [
      /^(?:the\s+)?(.+?)\s+(?:doesn't|does not|don't|do not|no longer)\s+(?:need|have)s?\s+(?:a\s+|the\s+|any\s+)?(?:due date|deadline|date)$/i,
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'set_due', task, dueDate: null })),
    ],
    // "milk one urgent", "bread task low priority": a task named as one, then a level.
    [
      /^(?!(?:make|set|mark|change|put|update)\s)(.+?\s(?:one|task|thing))\s+(?:is\s+)?(?:now\s+)?(?:an?\s+)?(urgent|important|high|hi|low|medium|normal|top)(?:[\s-]priority)?$/i,
      ([ref = '', level = '']) => prioritize(ref, level),
    ],
    [
      /^(?:reopen|re-open|un-?complete|un-?finish|un-?check|un-?tick|un-?mark|undo|restore)\s+(.+)$/i,
      reopen,
    ],
    [/^put\s+(it|that|this|them)\s+back(?:\s+on\s+(?:my|the)\s+list)?$/i, reopen],
    // "mark as done", "tick off": of what the rest of the message names.
    [
      /^(?:mark|tick|check|cross)(?:\s+off)?(?:\s+as)?\s+(?:done|complete|completed|finished|off)$/i,
      () => ({ kind: 'complete', task: { pronoun: 'one' } }),
    ],
    // "clear it": of what the rest of the message names (its due date, when that is what it says).
    [
      /^clear\s+(it|that|this|them)$/i,
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'delete', task })),
    ],
    [
      /^mark\s+(.+?)\s+(?:as\s+)?(?:not done|undone|incomplete|not complete|not completed|not finished|unfinished|open|active|to ?do|pending)$/i,
      reopen,
    ],
    [
      /^(?:the\s+)?(.+?)(?:'s| is)?\s+(?:not|isn't|is not|wasn't|was not)\s+(?:actually\s+|really\s+)?(?:done|finished|complete|completed)(?:\s+yet)?(?:\s+(?:pls|please))?(?:\s+(?:reopen|re-open|undo)(?: it)?)?$/i,
      reopen,
    ],
    [
      new RegExp(
        `^(?:set|change|update|make|lower|raise|increase|decrease|reduce|drop|bump|put)(?: the)? priority (?:of|for|on) ${REF}\\s+(?:to|as|=|:)?\\s*${PRIORITY_LEVEL}(?: priority)?$`,
        'i',
      ),
      ([ref = '', level = '']) => prioritize(ref, level),
    ],
    [
      /^(?:knock|bump|bring|move|take|turn|push)\s+(.+?)\s+(down|up)(?:\s+(?:a notch|a bit|a level|one level|one step|a priority level|one priority level|in priority))?$/i,
      ([ref = '', way = '']) =>
        withRef(ref, (task) => ({ kind: 'nudge_priority', task, up: way.toLowerCase() === 'up' })),
    ],
    [
      /^(lower|raise|increase|decrease|reduce|drop|bump up|bump down)\s+(?:the\s+)?(?:priority (?:of|for|on)\s+(.+?)|(.+?)(?:'s)?\s+priority)(?:\s+(?:by\s+)?(?:a notch|a bit|a level|one level|one step|a priority level|one priority level))?$/i,
      ([verb = '', ref = '', owner = '']) =>
        withRef(ref || owner, (task) => ({
          kind: 'nudge_priority',
          task,
          up: /^(?:raise|increase|bump up)$/i.test(verb),
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
      /^(?:clear|remove|delete|drop|unset|take|get rid of)(?: the| its| their)? (?:due(?: date)?|deadline|date)(?: off)? (?:of|for|from|on|off)\s+(?:of\s+)?(.+)$|^(?:clear|remove|delete|drop|unset|get rid of)(?: the| its| their)? (?:due date|deadline|date)$/i,
      // Without a task: the one the rest of the message or the conversation names.
      ([ref = 'it']) => withRef(ref, (task) => ({ kind: 'set_due', task, dueDate: null })),
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
      /^(?:move|reschedule|schedule|postpone|push|defer|delay|shift|set|change|bump)\s+(.+)\s+(?:to|until|till|for)\s+(.+)$/i,
      ([ref = '', phrase = '']) => due(ref.replace(PARTICLES, ''), phrase),
    ],
    [/^(?:set|make)\s+(.+)\s+due\s+(.+)$/i, ([ref = '', phrase = '']) => due(ref, phrase)],
    // "make it friday", "set the report to monday at 10am": a date at the end is the new due date.
    [/^(?:make|set)\s+(.+)$/i, ([said = '']) => dueAtEnd(said)],
    [
      new RegExp(`^(?:rename|retitle)\\s+${REF}(?:\\s+(?:to|as|into)\\s+|\\s*:\\s*)(.+)$`, 'i'),
      rename,
    ],
    [/^(?:rename|retitle)\s+(#?\d{1,15})\s+(.+)$/i, rename],
    [
      new RegExp(
        `^(?:change|update|edit|set)(?: the)? (?:title|name|text) (?:of|for|on)\\s+${REF}(?:\\s+to\\s+|\\s*:\\s*)(.+)$`,
        'i',
      ),
      rename,
    ],
    [new RegExp(`^(?:change|update|edit)\\s+${REF}\\s+(?:to|into)\\s+(.+)$`, 'i'), rename],
    [
      /^(?:complete|finish|done|check off|tick off|mark|close)\s+((?:tasks?\s+|#)?\d{1,15}(?:\s*(?:,|and|&)\s*#?\d{1,15})+)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i,
      ([list = '']) => ({
        kind: 'each',
        intents: (list.match(/\d+/g) ?? []).map(
          (id) => ({ kind: 'complete', task: { id: Number(id) } }) as Intent,
        ),
      }),
    ],
    [
      /^(?:complete|finish|finished|done(?: with)?|check off|check|tick off|tick|close|cross off|cross out|cross|mark)(?:\s*:\s*|\s+)(.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished|closed|off))?$/i,
      complete,
    ],
    [/^i(?:'ve| have)?(?: just| already)?\s+(?:done|finished|completed|did)\s+(.+)$/i, complete],
    [
      /^(?:i(?:'ve| have)?\s+)?(?:just\s+|already\s+|finally\s+)?(?:took care of|taken care of|handled|sorted out|sorted|dealt with)\s+(.+)$/i,
      complete,
    ],
    [
      /^(?:i(?:'ve| have)?\s+)?(?:just\s+|finally\s+)?got\s+(.+?)\s+(?:done|finished|sorted)$/i,
      complete,
    ],
    // "bread - a day later", "the report: two days later"
    [
      /^(.+?)\s*[-:,]?\s+(a|an|one|two|three|\d{1,3})\s+(days?|weeks?)\s+later$/i,
      ([ref = '', count = '', unit = '']) => shift(ref, count, unit),
    ],
    // "the milk one - call it 'Buy oat milk'", "the report needs a new name: ..."
    [/^(?:call|name|title|retitle)\s+(it|that|this)\s+(.+)$/i, rename],
    [
      new RegExp(
        `^${REF}\\s+(?:needs|should have|gets|deserves)\\s+(?:a\\s+)?(?:new\\s+|different\\s+|better\\s+)?(?:name|title)\\s*[:,-]?\\s*(.+)$`,
        'i',
      ),
      rename,
    ],
    // "get rid of its due date", "delete the report deadline": the date goes, not the task.
    [
      /^(?:delete|remove|clear|drop|get rid of|take off|scrap|lose)\s+(?:the\s+)?(.+?)(?:'s)?\s+(?:due date|deadline|date)$/i,
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'set_due', task, dueDate: null })),
    ],
    // "for #4 add note: include Q4 numbers"
    [
      /^for\s+(.+?)\s*,?\s+(?:add|put|set|write)\s+(?:a\s+|the\s+)?(?:note|description)\s*[:,-]?\s*(.+)$/i,
      ([ref = '', description = '']) =>
        withRef(ref, (task) => ({ kind: 'describe', task, description: stripQuotes(description) })),
    ],
    // "the rent is paid", "mom's been called": the title's verb, done.
    [
      /^(?:the\s+)?(.+?)(?:'s| is| are| has| have|:)(?: been| now| all| finally| already| both)*\s+(paid|bought|called|phoned|booked|written|sent|sorted|handled|cleaned|fixed|picked up|taken care of)$/i,
      ([ref = '', verb = '']) => withRef(`${verb} ${ref}`, (task) => ({ kind: 'complete', task })),
    ],
    [
      /^(.+?)(?:'s|\s+(?:is|are|was|were|got|has been|have been|'s been))?(?:\s+(?:all|now|finally|already|both))?\s+(?:done|finished|completed|complete)$/i,
      complete,
    ],
    // What one did: "I bought the milk", "paid the rent", "I called mom", "paid rent and
    // called mom".
    [
      new RegExp(
        `^(?:i(?:'ve| have)?\\s+)?(?:just\\s+|already\\s+|finally\\s+)?(${DID}\\s+.+)$`,
        'i',
      ),
      ([said = '']) => {
        const deeds = said.split(new RegExp(`\\s+and\\s+(?:i\\s+)?(?=${DID}\\s)`, 'i'));
        // "I bought it": the deed's object is what the rest of the message names.
        const intents = deeds.flatMap(
          (deed) =>
            withRef(PRONOUN_OBJECT.test(deed) ? deed.replace(/^\S+\s+/, '') : deed, (task) => ({
              kind: 'complete',
              task,
            })) ?? [],
        );
        return intents.length > 1 ? { kind: 'each', intents } : intents[0];
      },
    ],
    [
      new RegExp(
        `^(?:delete|del|rm|remove|drop|erase|trash|wipe|cancel|discard|scratch|scrap|bin|ditch|nuke|forget(?: about)?|get rid of)\\s+(.+?)(?:\\s+from\\s+${LIST_TARGET})?$`,
        'i',
      ),
      ([ref = '']) => withRef(ref, (task) => ({ kind: 'delete', task })),
    ],
  ];
}
