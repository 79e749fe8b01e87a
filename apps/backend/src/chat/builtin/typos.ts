/**
 * Misspellings people make in the words the parser keys on: command verbs and date words.
 * Titles are left as typed; only a word the parser needs is put right.
 */

const VERBS = ['add', 'complete', 'delete', 'remove', 'rename', 'finish', 'reopen', 'create'];
/** Words one slip away from a command that are words of their own. */
const REAL_WORDS = new Set(['and', 'ads', 'dad', 'odd', 'aid', 'ado']);

/** Date words long enough that one slip cannot turn another word into them. */
const DATE_WORDS = [
  'tomorrow',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'september',
  'october',
  'november',
  'december',
  'weekend',
];

/** Slips too far from the word for `oneSlipApart`, and common enough to know by heart. */
const KNOWN: Record<string, string> = {
  tommorow: 'tomorrow',
  tommorrow: 'tomorrow',
  tomorow: 'tomorrow',
  tomorroe: 'tomorrow',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmrow: 'tomorrow',
  '2morrow': 'tomorrow',
  '2moro': 'tomorrow',
  wensday: 'wednesday',
  wendsday: 'wednesday',
  wednsday: 'wednesday',
  wedensday: 'wednesday',
  thrusday: 'thursday',
  thurday: 'thursday',
  febuary: 'february',
  remeber: 'remember',
  rember: 'remember',
  compelte: 'complete',
  complet: 'complete',
  prio: 'priority',
  wat: 'what',
  wut: 'what',
  b4: 'before',
  finaly: 'finally',
  actualy: 'actually',
  realy: 'really',
  alredy: 'already',
  allready: 'already',
  pri: 'priority',
};

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

/** Requests put as what the assistant would be doing ("would you mind adding ..."). */
const GERUNDS: Record<string, string> = {
  adding: 'add',
  creating: 'create',
  completing: 'complete',
  finishing: 'finish',
  marking: 'mark',
  deleting: 'delete',
  removing: 'remove',
  moving: 'move',
  changing: 'change',
  renaming: 'rename',
  setting: 'set',
  putting: 'put',
  reopening: 'reopen',
  postponing: 'postpone',
  showing: 'show',
  ticking: 'tick',
  checking: 'check',
  crossing: 'cross',
  bumping: 'bump',
  pushing: 'push',
  listing: 'list',
};

function fixWord(word: string, first: boolean): string {
  const lower = word.toLowerCase();
  const known = KNOWN[lower] ?? (first ? GERUNDS[lower] : undefined);
  if (known) return known;
  if (first && !VERBS.includes(lower) && !REAL_WORDS.has(lower) && lower.length >= 2) {
    // "completed ones", "adds up": the verb's own forms are words, not slips.
    const inflected = VERBS.some((verb) =>
      [`${verb}s`, verb.endsWith('e') ? `${verb}d` : `${verb}ed`].includes(lower),
    );
    const verb = inflected ? undefined : VERBS.find((candidate) => oneSlipApart(lower, candidate));
    if (verb) return verb;
  }
  if (lower.length >= 6 && !DATE_WORDS.includes(lower)) {
    // "mondays" is a word of its own, not a slip for "monday".
    const date = DATE_WORDS.find(
      (candidate) => lower !== `${candidate}s` && oneSlipApart(lower, candidate),
    );
    if (date) return date;
  }
  return word;
}

const UNITS = 'one two three four five six seven eight nine ten eleven twelve'.split(' ');
const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};
const MINUTES: Record<string, string> = {
  'o five': '05',
  'oh five': '05',
  ten: '10',
  fifteen: '15',
  twenty: '20',
  'twenty five': '25',
  thirty: '30',
  'forty five': '45',
  fifty: '50',
};
const HOUR_WORD = `(${UNITS.join('|')})`;
const SPOKEN_TIME = new RegExp(
  `\\b${HOUR_WORD}(?:[\\s-]+(${Object.keys(MINUTES).join('|').replace(/ /g, '[\\s-]+')}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.|o'?clock)(?=\\W|$)`,
  'gi',
);
const MONTH_NAME = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
/** A day said in words, only where it is a date: after a month, "on the", or before "of <month>". */
const SPOKEN_ORDINAL = new RegExp(
  `(?<=\\b${MONTH_NAME}\\s+(?:the\\s+)?|\\bon the\\s+)(?:(twenty|thirty)[\\s-]+)?(${Object.keys(ORDINALS).join('|')})\\b|\\b(?:(twenty|thirty)[\\s-]+)?(${Object.keys(ORDINALS).join('|')})(?=\\s+of\\s+${MONTH_NAME})`,
  'gi',
);

/** Pure: times and days said in words, as dictation writes them ("ten am", "december tenth"). */
function spokenNumbers(text: string): string {
  return text
    .replace(SPOKEN_TIME, (_, hour: string, minutes: string | undefined, suffix: string) => {
      const h = UNITS.indexOf(hour.toLowerCase()) + 1;
      const m = minutes ? MINUTES[minutes.toLowerCase().replace(/[\s-]+/g, ' ')] : undefined;
      const half = suffix.toLowerCase().replace(/\./g, '');
      return `${h}${m ? `:${m}` : ''}${half.startsWith('o') ? ':00' : half}`;
    })
    .replace(SPOKEN_ORDINAL, (...groups: (string | undefined)[]) => {
      const [, tensBefore, unitBefore, tensAfter, unitAfter] = groups;
      const tens = (tensBefore ?? tensAfter)?.toLowerCase();
      const day =
        (tens === 'twenty' ? 20 : tens === 'thirty' ? 30 : 0) +
        (ORDINALS[(unitBefore ?? unitAfter ?? '').toLowerCase()] ?? 0);
      const suffix = [11, 12, 13].includes(day % 100)
        ? 'th'
        : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th');
      return `${day}${suffix}`;
    });
}

/** Pure: the message with its mistyped command and date words put right ("cmplete 3", "on wensday"). */
export function fixTypos(text: string): string {
  // Apostrophes inside a word only: a closing quote is not part of "sunday'".
  return spokenNumbers(text).replace(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu, (word, offset: number) =>
    fixWord(word, offset === 0),
  );
}
