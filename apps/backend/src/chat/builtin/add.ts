import type { Priority } from '../../tasks/task-service.ts';
import { DATE_PREPOSITIONS, parseDate, timeExpression } from './dates.ts';
import type { AddIntent } from './intent.ts';
import {
  PRIORITY_PREFIX,
  PRIORITY_SUFFIX,
  PRIORITY_TAG,
  PRIORITY_WORDS,
  priorityOf,
} from './priorities.ts';
import { LIST_TARGET, stripQuotes, trimSeparators } from './text.ts';

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
    // "sign the lease - high priority, it can't wait": every priority phrase goes, the last said wins.
    const suffix = PRIORITY_SUFFIX.exec(text);
    const prefix = priority ? null : PRIORITY_PREFIX.exec(text);
    const dateAtEnd = dueDate ? undefined : dateSuffix(text, today);
    const dateAtStart = dueDate ? undefined : datePrefix(text, today);
    if (suffix) {
      priority ??= priorityOf(suffix);
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
    trimSeparators(
      text
        .replace(new RegExp(`\\s+(?:to|on|onto)\\s+${LIST_TARGET}$`, 'i'), '')
        .replace(/[.!?]+$/, ''),
    ),
  );
}

const ADJECTIVE_PRIORITY =
  /^(?:an?\s+)?(urgent|important|(?:high|hi)[\s-]priority|low[\s-]priority|medium[\s-]priority)\s+(?:task|todo|to-do|item|reminder)(?:\s+to)?\s*[:,-]?\s+/i;

/** "fix the faucet with the description spare washer is under the sink", "..., note: ..." */
const DESCRIPTION = [
  /[\s,;]+(?:with (?:the |a )?(?:description|note|details?)(?:\s+(?:saying|that says|reading|of))?|(?:description|notes?|details?)\s*:)\s*[:-]?\s*(.+)$/i,
  // "fix the bike and put 'rear tire is flat' in the notes"
  /[\s,;]+(?:and\s+)?(?:put|add|write|note)\s+(.+?)\s+(?:in|as|to)\s+(?:the\s+)?(?:notes?|description|details)$/i,
  // "book flights and in the description write check baggage allowance"
  /[\s,;]+(?:and\s+)?in\s+the\s+(?:notes?|description|details)\s*,?\s*(?:write|put|say|add)\s+(.+)$/i,
];

export function parseAdd(text: string, today: string, now: string): AddIntent | undefined {
  const described = DESCRIPTION.map((pattern) => pattern.exec(text)).find(Boolean);
  const description = described?.[1] && stripQuotes(described[1]);
  const adjective = ADJECTIVE_PRIORITY.exec(text);
  const start = adjective ? adjective[0].length : 0;
  const body = text.slice(start, described ? described.index : undefined).replace(/[\s.!?]+$/, '');
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
    ...(description && { description }),
    ...(dueDate && { dueDate }),
    ...(timed && { dueTime: timed.dueTime }),
    ...(priority && { priority }),
  };
}

/** Pure: whether a phrase is only a date, a time or a priority ("on wednesday", "high priority"). */
export function onlyModifiers(text: string, today: string, now: string): boolean {
  const modifiers = extractModifiers(text, today);
  const timed = timeExpression(modifiers.text, today, now);
  const said = modifiers.dueDate || modifiers.priority || timed;
  return Boolean(said) && !cleanTitle(timed?.rest ?? modifiers.text);
}

export const ADD_PATTERNS = [
  // "URGENT - finish the slides", "low priority: sort the photos": the priority stays in the body.
  /^((?:urgent|important|asap|(?:high|hi|low|medium)[\s-]priority)\s*[:!-]+\s*.+)$/i,
  // "new one - gym class friday 6pm"
  /^new(?: one| item| entry| thing)?\s*[:,-]\s*(.+)$/i,
  // "put in a reminder to take my meds", "set up a reminder for the dentist"
  /^(?:put|set)(?: in| up)? (?:a|an) (?:reminder|task|todo) (?:to|for|about)\s+(.+)$/i,
  // "there should be a task to order a cake"
  /^there\s+(?:should|must|needs? to|has to)\s+be\s+(?:a|an)\s+(?:task|reminder|todo|item)\s+(?:to|for|about|called)\s+(.+)$/i,
  // "put down cancel gym", "jot down call the bank"
  /^(?:put|jot|write|note)\s+down\s*:?\s+(.+)$/i,
  // "create a task to renew the car insurance", "add a task called plan the trip"
  /^(?:add|create|make)(?: (?:a|an|another))?(?: new)? (?:task|todo|to-do|item|reminder)(?: for (?:me|us))?(?: (?:to|called|named|titled|for(?! (?:me|us)\b)))\s+(.+)$/i,
  new RegExp(
    `^(?:add|create)(?: me)?(?: (?:a|an|another))?(?: new)?(?: (?:task|todo|to-do|item|reminder))?(?: for (?:me|us))?(?: (?:to|on|onto) ${LIST_TARGET})?\\s*[:,-]?\\s+(.+)$`,
    'i',
  ),
  new RegExp(
    `^(?:put|stick|pop|throw|jot|write)\\s+(?!(?:it|that|this|them)\\s+back\\b)(.+?)\\s+(?:on|in|to|onto)\\s+${LIST_TARGET}(?:\\s+(.+))?$`,
    'i',
  ),
  // "put 'prep for interview' on friday at 9am": an add with a date, said with put.
  /^(?:put|stick|pop)\s+(?!(?:it|that|this|them)\b)(.+\s(?:on|for|at|by)\s.+)$/i,
  /^new\s*:\s*(.+)$/i,
  /^schedule\s+(?!(?:task\s+|#)?\d{1,15}\b)(.+)$/i,
  /^new (?:task|todo|to-do|item|reminder)\s*[:,-]?\s+(.+)$/i,
  /^add (?:it|this|that)(?: anyway| too| as well| please)?\s*[:,]\s*(.+)$/i,
  // "new urgent task - fix the tap": the priority stays with the body for parseAdd.
  /^new\s+((?:urgent|important|(?:high|hi|low|medium)[\s-]priority)\s+(?:task|todo|to-do|item|reminder)\s*[:,-]?\s+.+)$/i,
  /^(?:task|to do|reminder)\s*:\s*(.+)$/i,
  /^(?:todo|to-do)\s*:?\s+(.+)$/i,
  /^make(?: (?:a|an|another))?(?: new)? (?:task|todo|to-do|item|reminder)\s*[:,-]?\s+(?!#?\d+\b)(.+)$/i,
  /^set\s+(?:a|an)\s+reminder\s+(?:to|for|about)\s+(.+)$/i,
  // "a reminder to pay the water bill" (after "I'd like"), "another task: ..."
  /^(?:an?|another)(?: new)? (?:task|todo|to-do|item|reminder)(?: (?:to|for|called|named|about))?\s*[:,-]?\s+(.+)$/i,
  /^(?:remind me(?: to| about)?|remember(?: me)? to|don't (?:let me )?forget(?: to| about)?|(?:i\s+)?(?:gotta|must(?: remember)?(?: to)?|(?:need|have) to remember to)|(?:i )?(?:need|have|must|should|want|ought) to|i(?:'ve| have)? (?:got|gotta) to|i (?:gotta|must|should))\s*:?\s+(.+)$/i,
];
