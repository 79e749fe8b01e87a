const SEPARATORS = /^[\s,;:\-–—]+|[\s,;:\-–—]+$/g;
export const LIST_TARGET = '(?:my|the)\\s+(?:list|tasks|todos|todo list|to-do list)';

export function trimSeparators(text: string) {
  return text.replace(SEPARATORS, '');
}

export function stripQuotes(text: string) {
  const trimmed = text.trim();
  return /^"[^"]*"$|^'[^']*'$/.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}

/** Greetings, asides and hedges before a request ("hey,", "oops,", "ok so", "I think"). */
const INTERJECTION =
  /^(?:(?:hey|hi|hello|oh|oh no|oops|ok(?:ay)?|so|um+|uh+|ugh+|argh+|well|right|alright|yo|hmm+|lol|btw|by the way|actually|also|i think|i guess|i believe|i suppose|maybe|perhaps|probably|honestly|basically|omg|bitte|and|and then|then|plus|but|anyway|anyways)\b[\s,!.:-]*)+(?=\S)/i;
/** Emoji and pictographs ("✅", "🙏"), with their variation selectors and joiners. */
const PICTOGRAPHS = /\p{Extended_Pictographic}|\u{FE0F}|\u{200D}/gu;
/** Ways of asking that carry no content ("could you please", "I'd like to", "you can"). */
const POLITE =
  /^(?:(?:please to|please|pls|plz|kindly|any chance (?:you|u) could|mind if i ask (?:you )?(?:to|whether|if)|could (?:you|u) possibly|if it'?s (?:no bother|not too much trouble|ok|okay)|would (?:you|u) mind|would (?:you|u) be so kind as to|(?:is|would) it be possible to|is it possible to|is there (?:a|any) way to|i'?d (?:probably )?better|i had better|it would be (?:great|nice|good|lovely|awesome|helpful) if (?:you|u) could|i was wondering if (?:you|u) could|i was wondering if i could|i was wondering|i wonder if (?:you|u) could|(?:do|would) (?:you|u) think (?:you|u) could|(?:can|could|would|will) (?:you|u)(?: (?:please|pls|kindly|just))?|(?:i'?d|i would) like(?: (?:you|u))?(?: to)?|i want (?:you|u) to|i need (?:you|u) to|do me a favou?r and|you can|(?:can|could|may) i|let'?s|go ahead and|just|(?:you|u)(?= (?:add|make|create|put|mark|delete|remove|move|set|change)\b))[\s,]+)+/i;
const TRAILING =
  /(?:[\s,]+(?:please|pls|plz|thanks|thank you|thank u|thx|ty|cheers|for me|instead|now|anymore|any more|from now on|too|as well|actually|finally|at last|yay|por favor|bitte|merci|gracias|danke|tho|though|again|maybe|i think|i guess|probably)(?: (?:so much|a lot|very much))?)+$/i;

/** Hedges inside a request ("the rent is kind of less urgent"): never what the task is about. */
const HEDGES =
  /\b(?:kind of|sort of|kinda|sorta|actually|maybe|probably|perhaps|really)\s+|\blike\s+(?=\d)|,\s*like,(?=\s)/gi;
/** "my wife says ...", "my boss said ...": what was reported is the request. */
const REPORTED =
  /^(?:my\s+)?(?:[\w']+\s+){0,2}(?:says|said|told me|tells me|reminded me|asked me|wants me to know)(?:\s+that)?\s+(?=\S)/i;

/** Pure: a message with typographic quotes, spacing, asides and politeness taken out. */
export function normalize(message: string) {
  return (
    message
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(PICTOGRAPHS, ' ')
      .replace(HEDGES, '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/[\s.!?]+$/, '')
      .replace(INTERJECTION, '')
      .replace(REPORTED, '')
      .replace(POLITE, '')
      // "could you also ...", "ok so please ...": asides and politeness in either order.
      .replace(INTERJECTION, '')
      .replace(POLITE, '')
      .replace(TRAILING, '')
      .replace(/[\s.!?]+$/, '')
  );
}
