import type { Priority } from '../../tasks/task-service.ts';

export const PRIORITY_WORDS: Record<string, Priority> = {
  high: 'high',
  hi: 'high',
  top: 'high',
  urgent: 'high',
  urgently: 'high',
  asap: 'high',
  important: 'high',
  medium: 'medium',
  normal: 'medium',
  low: 'low',
  "can't wait": 'high',
  'cant wait': 'high',
  'no rush': 'low',
  'not urgent': 'low',
  'cannot wait': 'high',
};

const LEVEL = '(high|hi|medium|normal|low|top)';
const EXPLICIT_PRIORITY = `(?:a\\s+)?${LEVEL}[\\s-]+priority|priority(?:\\s*[:=]\\s*|\\s+)(high|medium|normal|low)|!(high|medium|normal|low|urgent|important)`;
export const PRIORITY_SUFFIX = new RegExp(
  `(?:^|[\\s,;(]+)(?:(?:with|at|as)\\s+|(?:it'?s|it is|this is|that'?s|(?:that|this|it) one'?s|is)\\s+(?:an?\\s+)?(?:really\\s+|very\\s+|super\\s+|quite\\s+|pretty\\s+|so\\s+|extremely\\s+|fairly\\s+|rather\\s+)?|(?:it|this|that)\\s+)?(?:${EXPLICIT_PRIORITY}|(urgent(?:ly)?|asap|important|can'?t wait|cannot wait|no rush|not urgent))(?:\\s+(?:task|item|todo|to-do|one|thing))?(?:\\s+(?:is fine|is ok|is okay|will do|please))?\\)?$`,
  'i',
);
// A bare "urgent" or "important" only counts as a prefix when punctuated ("urgent: call the
// bank"), because "important meeting" is more likely a title than a priority.
export const PRIORITY_PREFIX = new RegExp(
  `^(?:(?:${EXPLICIT_PRIORITY})(?:[\\s,;:]+|$)|(urgent|asap|important)\\s*[:,;!-]\\s*)`,
  'i',
);
export const PRIORITY_TAG = /(?:^|\s)!(high|medium|normal|low|urgent|important)(?=\s|$)/i;

export function priorityOf(match: RegExpExecArray): Priority | undefined {
  const word = match.slice(1).find((group) => group !== undefined);
  return word === undefined ? undefined : PRIORITY_WORDS[word.toLowerCase()];
}
