/**
 * Requests put in the passive or with a modal ("could task 3 be moved to monday?", "the milk
 * task can be deleted", "the report one should be called Write quarterly report"), turned into
 * the imperative the command patterns read ("move task 3 to monday"). Negated ones ("#1
 * shouldn't be low") are not requests and are left alone.
 */

/** Participles of the commands, by the imperative they come from. */
const PARTICIPLES: Record<string, string> = {
  added: 'add',
  created: 'create',
  scheduled: 'schedule',
  deleted: 'delete',
  removed: 'remove',
  cancelled: 'cancel',
  canceled: 'cancel',
  dropped: 'drop',
  cleared: 'clear',
  moved: 'move',
  pushed: 'push',
  postponed: 'postpone',
  rescheduled: 'reschedule',
  delayed: 'delay',
  deferred: 'defer',
  shifted: 'shift',
  bumped: 'bump',
  extended: 'postpone',
  handled: 'complete',
  sorted: 'complete',
  'taken care of': 'complete',
  'pushed back': 'postpone',
  reopened: 'reopen',
  changed: 'change',
  updated: 'update',
  set: 'set',
  put: 'put',
  renamed: 'rename',
  completed: 'complete',
  finished: 'finish',
  done: 'complete',
  ticked: 'tick',
  checked: 'check',
  crossed: 'cross',
  marked: 'mark',
  prioritised: 'prioritize',
  prioritized: 'prioritize',
  deprioritised: 'deprioritize',
  deprioritized: 'deprioritize',
  raised: 'raise',
  lowered: 'lower',
};
/** "X should be called Y": a new title. */
const NAMING = new Set(['called', 'named', 'titled', 'renamed']);

const MODAL =
  '(?:should|could|can|must|will|would|may|might|needs? to|has to|have to|ought to|is to|are to)';
const PARTICIPLE = `(${[...Object.keys(PARTICIPLES), 'called', 'named', 'titled'].join('|')})`;
const ADVERBS = '(?:(?:now|also|just|really|probably|better|please|then|both|all)\\s+)*';

/** "could 'pick up the cake' be added for saturday", "can task 3 be due on monday" */
const ASKED = new RegExp(
  `^(?:could|can|should|would|will|may|might)\\s+(.+?)\\s+be\\s+${ADVERBS}(?:${PARTICIPLE}|(due))\\b\\s*(.*)$`,
  'i',
);
/** "the milk task can be deleted", "task 6 has been finished", "rent should be due sunday" */
const STATED = new RegExp(
  `^(.+?)\\s+(?:${MODAL}\\s+${ADVERBS}be|(?:has|have)\\s+${ADVERBS}been)\\s+${ADVERBS}(?:${PARTICIPLE}|(due))\\b\\s*(.*)$`,
  'i',
);
/** "need the report moved to thursday", "want #3 renamed to ...": the participle says the change. */
const NEEDED = new RegExp(
  `^(?:i\\s+)?(?:need|want|would like|'d like)\\s+(.+?)\\s+${PARTICIPLE}\\b\\s*(.*)$`,
  'i',
);
/** "'update my CV' should go on the list as important" */
const LISTED = new RegExp(
  `^(.+?)\\s+${MODAL}\\s+go\\s+(?:on|in|to|onto)\\s+(?:the|my)\\s+(?:list|tasks|todo list|to-do list)\\b\\s*(.*)$`,
  'i',
);
/** "milk should be medium priority": the level the task should have. */
const SHOULD_BE = new RegExp(
  `^(.+?)\\s+${MODAL}\\s+${ADVERBS}be\\s+(?:made\\s+|marked\\s+(?:as\\s+)?|set\\s+(?:to|as)\\s+)?(?:an?\\s+)?(high|medium|normal|low|top|urgent|important)(?:[\\s-]priority)?$`,
  'i',
);
/**
 * Clefts: "it's the unfinished stuff I want to see", "it's 'send invoice to Acme' that I want on
 * the list", "it's the report that needs a new name".
 */
const CLEFTS: [RegExp, (subject: string, rest: string) => string][] = [
  [
    /^it'?s\s+(.+?)\s+(?:that\s+|which\s+)?(?:i|we)\s+(?:want|need|would like|'d like)(?:\s+to)?\s+(?:see|view|look at|find)()$/i,
    (subject) => `show ${subject}`,
  ],
  [
    /^it'?s\s+(.+?)\s+(?:that\s+|which\s+)?(?:i'?m|i am)\s+(?:after|looking for)()$/i,
    (subject) => `show ${subject}`,
  ],
  [
    /^it'?s\s+(.+?)\s+(?:that\s+|which\s+)?(?:i|we)\s+(?:want|need|would like|'d like)\s+(?:added|on (?:the|my) list|to add|as a task)\b(.*)$/i,
    (subject, rest) => `add ${subject}${rest}`,
  ],
  // "it's friday that the milk should be due, not thursday"
  [
    /^it'?s\s+(.+?)\s+that\s+(.+?)\s+(?:should|must|will|needs? to|has to)?\s*(?:be|is)\s+due(?:,?\s+not\s+.+)?$/i,
    (when, task) => `${task} is due ${when}`,
  ],
  // "it's the milk task i want gone"
  [
    /^it'?s\s+(.+?)\s+(?:that\s+)?(?:i|we)\s+(?:want|need|would like|'d like)\s+(?:gone|deleted|removed|off (?:the|my) list)()$/i,
    (subject) => `delete ${subject}`,
  ],
  // "it's on thursday that I want to call mom": the date is the task's.
  [
    /^it'?s\s+((?:on|by|for|at)\s+.+?)\s+that\s+(?:i|we)\s+(?:want|need|have|would like|'d like)\s+to\s+(.+)$/i,
    (when, task) => `${task} ${when}`,
  ],
  [/^it'?s\s+(.+?)\s+that\s+(.+)$/i, (subject, rest) => `${subject} ${rest}`],
];

/**
 * Pseudo-clefts: "what I need is a reminder to ...", "what I want to see is my open tasks",
 * "what I'm looking for is any task with ...", "what the rent task should say is ...".
 */
const PSEUDO_CLEFTS: [RegExp, (said: string, subject: string) => string][] = [
  [
    /^what\s+(?:i|we)\s+(?:want|need|would like|'d like)\s+to\s+(?:see|view|look at)\s+(?:is|are)\s+(.+)$/i,
    (said) => `show ${said}`,
  ],
  [
    /^what\s+(?:i'?m|i am|we'?re)\s+(?:looking for|after)\s+(?:is|are)\s+(.+)$/i,
    (said) => `find ${said}`,
  ],
  [
    /^what\s+(?:i|we)\s+(?:want|need|would like|'d like)\s+(?:is|are)\s+(.+)$/i,
    (said) => `add ${said}`,
  ],
  [
    /^what\s+(.+?)\s+(?:should|must|needs? to)\s+(?:say|read|be called)\s+is\s+(.+)$/i,
    (title, subject) => `rename ${subject} to ${title}`,
  ],
];
/** "my boss wants the report task called finish Q4 report" */
const WANTS_CALLED =
  /^(?:(?:my\s+)?[\w']+\s+)?wants?\s+(.+?)\s+(?:called|named|renamed(?:\s+to)?)\s+(.+)$/i;

/** "#6 should say Buy sourdough" */
const SAYS = new RegExp(`^(.+?)\\s+${MODAL}\\s+(?:say|read)\\s+(.+)$`, 'i');
/** "task 5 was marked complete by mistake": a completion to take back. */
const MISTAKE =
  /^(.+?)\s+(?:was|got|has been|is)\s+(?:marked|ticked|checked|set)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?(?:\s+off)?\s+(?:by mistake|accidentally|in error|wrongly|by accident)$/i;

function imperative(
  subject: string,
  participle: string | undefined,
  due: string | undefined,
  rest: string,
) {
  const tail = rest.trim();
  if (due) return `${subject} is due ${tail}`;
  const word = (participle ?? '').toLowerCase();
  if (NAMING.has(word))
    return tail ? `rename ${subject} to ${tail.replace(/^(?:to|as)\s+/i, '')}` : undefined;
  const verb = PARTICIPLES[word];
  // "can the completed ones all be removed": the quantifier is not part of what is named.
  const named = subject.replace(/\s+(?:all|both)$/i, '');
  // "should be cleared out": the particle goes with the verb.
  if (/^(?:out|off|up|away|down)$/i.test(tail)) return verb && `${verb} ${tail} ${named}`;
  return verb && `${verb} ${named}${tail ? ` ${tail}` : ''}`;
}

/** Pure: the imperative a passive or modal request stands for, if it is one. */
export function activeVoice(text: string): string | undefined {
  for (const [pattern, build] of PSEUDO_CLEFTS) {
    const [, first, second] = pattern.exec(text) ?? [];
    // The rename pattern captures the task first and the title second.
    if (first && second) return build(second, first);
    if (first) return build(first, '');
  }
  const wanted = WANTS_CALLED.exec(text);
  if (wanted?.[1] && wanted[2]) return `rename ${wanted[1]} to ${wanted[2]}`;
  for (const [pattern, build] of CLEFTS) {
    const [, subject, rest = ''] = pattern.exec(text) ?? [];
    if (subject) return build(subject, rest);
  }
  const level = SHOULD_BE.exec(text);
  if (level?.[1] && level[2] && !/n't$|\bnot$/i.test(level[1]))
    return `set ${level[1]} to ${level[2]} priority`;
  const mistake = MISTAKE.exec(text);
  if (mistake?.[1]) return `reopen ${mistake[1]}`;
  const listed = LISTED.exec(text);
  if (listed?.[1]) return `add ${listed[1]}${listed[2] ? ` ${listed[2]}` : ''}`;
  const says = SAYS.exec(text);
  if (says?.[1] && says[2] && !/n't|\bnot\b/i.test(says[1]))
    return `rename ${says[1]} to ${says[2]}`;
  const needed = NEEDED.exec(text);
  if (needed?.[1]) return imperative(needed[1], needed[2], undefined, needed[3] ?? '');
  const match = ASKED.exec(text) ?? STATED.exec(text);
  if (!match?.[1] || /n't$|\bnot$/i.test(match[1])) return undefined;
  return imperative(match[1], match[2], match[3], match[4] ?? '');
}
