import { describe, expect, it } from 'vitest';
import { judge, loadCorpus, runCorpus } from '../../assistant/corpus.ts';

/**
 * The built-in assistant's score on its phrasing corpus (assistant/corpus.yaml) may only go
 * up: raise MINIMUM when a change makes more phrasings pass (issue 17 asks for 90%).
 */
const MINIMUM = 1653;

describe('the phrasing corpus', () => {
  it(`passes at least ${MINIMUM} phrasings`, async () => {
    const corpus = await loadCorpus();
    expect(corpus.cases.length).toBeGreaterThanOrEqual(150);
    const outcomes = await runCorpus(corpus);
    const failed = outcomes.filter((outcome) => !outcome.passed);
    const passed = outcomes.length - failed.length;
    expect(
      passed,
      failed.map((outcome) => `${JSON.stringify(outcome.case.say)}: ${outcome.why}`).join('\n'),
    ).toBeGreaterThanOrEqual(MINIMUM);
  }, 120_000);

  it('judges changes by tool and exact arguments, lookups aside', () => {
    const action = (tool: string, args: Record<string, unknown>) => ({
      tool,
      arguments: args,
      ok: true,
      result: null,
    });
    const expected = { say: 'complete the milk one', calls: [{ complete_task: { task_id: 1 } }] };
    const lookup = action('list_tasks', { search: 'milk' });
    expect(judge(expected, [lookup, action('complete_task', { task_id: 1 })], 'Done.')).toBe(
      undefined,
    );
    expect(judge(expected, [action('complete_task', { task_id: 2 })], 'Done.')).toMatch(
      /^changes .*task_id":2/,
    );
    expect(judge({ say: 'x', calls: [], ask: true }, [], 'Deleted.')).toBe(
      'expected a question back',
    );
    expect(judge({ say: 'x', calls: [], helpful: true }, [], "Sorry, I didn't understand")).toBe(
      'expected an answer saying what the assistant can do',
    );
    expect(
      judge({ say: 'x', calls: [], list: { priority: 'high' } }, [lookup], 'You have...'),
    ).toMatch(/^lists /);
  });
});
