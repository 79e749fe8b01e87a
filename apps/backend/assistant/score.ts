/**
 * `npx nx run backend:assistant-score`: the built-in assistant's score on its phrasing corpus
 * (corpus.yaml), with each failing case and why. `--all` prints the passing ones too.
 *
 * Usage: node apps/backend/assistant/score.ts [--all] [corpus.yaml]
 */
import { loadCorpus, runCorpus } from './corpus.ts';

const args = process.argv.slice(2);
const all = args.includes('--all');
const path = args.find((arg) => !arg.startsWith('--'));
const corpus = await loadCorpus(path);
const started = performance.now();
const outcomes = await runCorpus(corpus);
for (const outcome of outcomes) {
  if (outcome.passed && !all) continue;
  const mark = outcome.passed ? 'pass' : 'FAIL';
  console.log(`${mark}  ${JSON.stringify(outcome.case.say)}`);
  if (!outcome.passed) {
    console.log(`      ${outcome.why}`);
    console.log(`      reply: ${outcome.reply.split('\n')[0]}`);
  }
}
const passed = outcomes.filter((outcome) => outcome.passed).length;
const share = (100 * passed) / outcomes.length;
console.log(
  `\n${passed} of ${outcomes.length} phrasings (${share.toFixed(1)}%) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
