import * as chrono from 'chrono-node';
import { addDays } from '../../tasks/task-service.ts';
import { trimSeparators } from './text.ts';

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
export const DATE_PREPOSITIONS = /^(?:(?:due|by|on|before|until|till|for)\s+)+/;

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
  // "a week from today", "3 days from now"
  const fromNow = /^(\d{1,3}|a|one|two|three)\s+(day|week)s?\s+from\s+(?:today|now)$/.exec(p);
  if (fromNow?.[1] && fromNow[2]) return parseDate(`in ${fromNow[1]} ${fromNow[2]}`, today);
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
    // "now" is when the message was sent, not a due time ("the report is less important now").
    .find((result) => result.start.isCertain('hour') && !/^(?:right )?now$/i.test(result.text));
  if (!found) return undefined;
  const before = text.slice(0, found.index).trim();
  // "at 6pm today to start the slow cooker": the "to" belongs to the time.
  const after = text
    .slice(found.index + found.text.length)
    .trim()
    .replace(before ? /^$/ : /^to\s+/i, '');
  if (before && after) return undefined;
  const at = found.start.date();
  return {
    dueDate: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    dueTime: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
    rest: trimSeparators(
      `${before} ${after}`.trim().replace(/\s+(?:by|on|at|for|due|before|until)(?:\s+the)?$/i, ''),
    ),
  };
}
