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
  mother: 'mom',
  shopping: 'buy',
  shop: 'buy',
  mum: 'mom',
  mommy: 'mom',
  mama: 'mom',
  father: 'dad',
  daddy: 'dad',
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

/**
 * Pure: the tasks a sentence speaks of ("picked up the bread on the way home", "finished the
 * report at last"): those whose object (the title's words after its verb) it names in full, or
 * in part alongside the verb. The verb alone never names a task: "I called the plumber" is not
 * "Call mom".
 */
export function mentionedTasks<T extends { title: string }>(sentence: string, tasks: T[]): T[] {
  const said = new Set(keyWords(sentence));
  // "I wrote a poem for my mom": a sentence led by the verb of some title ("write") speaks of a
  // task with that verb, never of "Call mom".
  const [lead] = keyWords(sentence);
  const verbs = new Set(tasks.map((task) => keyWords(task.title)[0]));
  const verb = lead !== undefined && verbs.has(lead) ? lead : undefined;
  const mentioned = tasks.filter((task) => {
    const words = keyWords(task.title);
    if (verb !== undefined && words.length > 1 && words[0] !== verb) return false;
    const object = words.length > 1 ? words.slice(1) : words;
    const shared = words.filter((word) => said.has(word)).length;
    const named = object.filter((word) => said.has(word)).length;
    return named === object.length || (named > 0 && shared >= 2);
  });
  // "the milk and the bread": both named; "buy the milk": the one named in full wins.
  const whole = mentioned.filter((task) => keyWords(task.title).every((word) => said.has(word)));
  return whole.length > 0 && whole.length < mentioned.length ? whole : mentioned;
}
