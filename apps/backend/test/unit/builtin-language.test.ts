import { describe, expect, it } from 'vitest';
import { clausesOf } from '../../src/chat/builtin/clauses.ts';
import type { Intent } from '../../src/chat/builtin/intent.ts';
import { closestTasks, matchTasks, mentionedTasks } from '../../src/chat/builtin/matching.ts';
import { parseCommand } from '../../src/chat/builtin/parse-command.ts';
import { recentTasks } from '../../src/chat/builtin/perform.ts';
import { normalize } from '../../src/chat/builtin/text.ts';
import { fixTypos, oneSlipApart } from '../../src/chat/builtin/typos.ts';
import { activeVoice } from '../../src/chat/builtin/voice.ts';
import type { ToolAction } from '../../src/db/schema.ts';

const tasks = ['Buy milk', 'Pay rent', 'Call mom', 'Write report', 'Book dentist', 'Buy bread'].map(
  (title, index) => ({ id: index + 1, title }),
);
const titles = (found: { title: string }[]) => found.map((task) => task.title);

describe('matching tasks by words', () => {
  it('matches titles that hold every word, by stem, past tense and synonym', () => {
    expect(titles(matchTasks('the milk one', tasks))).toEqual(['Buy milk']);
    expect(titles(matchTasks('bought the bread', tasks))).toEqual(['Buy bread']);
    expect(titles(matchTasks('buy', tasks))).toEqual(['Buy milk', 'Buy bread']);
    expect(matchTasks('call dad', tasks)).toEqual([]);
  });

  it('suggests the tasks sharing the most words, never one sharing none', () => {
    expect(titles(closestTasks('call dad', tasks))).toEqual(['Call mom']);
    expect(closestTasks('walk the dog', tasks)).toEqual([]);
  });

  it('finds the task a sentence speaks of by its object, never by the verb alone', () => {
    expect(titles(mentionedTasks('picked up the bread on the way home', tasks))).toEqual([
      'Buy bread',
    ]);
    expect(titles(mentionedTasks('finished the report at last', tasks))).toEqual(['Write report']);
    expect(titles(mentionedTasks('the rent is paid', tasks))).toEqual(['Pay rent']);
    expect(mentionedTasks('I called the plumber', tasks)).toEqual([]);
    expect(mentionedTasks('wrote a poem for my mom', tasks)).toEqual([]);
    expect(titles(mentionedTasks('got the milk and the bread', tasks))).toEqual([
      'Buy milk',
      'Buy bread',
    ]);
  });
});

describe('reading a message', () => {
  it('cuts clauses at sentence ends and commas, each without its asides', () => {
    expect(clausesOf('the rent is paid, could you tick it off please')).toEqual([
      'the rent is paid',
      'tick it off',
    ]);
    expect(clausesOf('Can you delay the rent by a day? I get paid late')).toEqual(
      ['Can you delay the rent by a day?', 'I get paid late'].map(normalize),
    );
  });

  it('takes greetings, politeness and thanks off both ends', () => {
    expect(normalize('hey, could you please add buy milk, thanks!')).toBe('add buy milk');
    expect(normalize("I'd like to see my tasks")).toBe('see my tasks');
    expect(normalize('ok')).toBe('ok');
  });

  it('puts right mistyped command and date words, and leaves titles alone', () => {
    expect(fixTypos('cmplete 3')).toBe('complete 3');
    expect(fixTypos('add gym on wensday tommorow')).toBe('add gym on wednesday tomorrow');
    expect(fixTypos('add buy frieds')).toBe('add buy frieds');
    expect(fixTypos('and then')).toBe('and then');
    expect(oneSlipApart('fridya', 'friday')).toBe(true);
    expect(oneSlipApart('mondy', 'friday')).toBe(false);
  });
});

describe('what "it" means in a conversation', () => {
  const turn = (actions: Partial<ToolAction>[]) => ({
    role: 'assistant' as const,
    content: '',
    actions: actions.map((action) => ({
      arguments: {},
      ok: true,
      result: null,
      tool: '',
      ...action,
    })),
  });

  it('is the task the last reply changed, else the ones it listed', () => {
    const listed = turn([{ tool: 'list_tasks', result: { tasks: [{ id: 4 }], total: 1 } }]);
    const added = turn([{ tool: 'add_task', result: { id: 7 } }]);
    expect(recentTasks([added, { role: 'user', content: 'x' }])).toEqual([7]);
    expect(recentTasks([added, listed])).toEqual([4]);
    expect(recentTasks([turn([{ tool: 'add_task', ok: false, result: { error: 'x' } }])])).toEqual(
      [],
    );
    expect(recentTasks([])).toEqual([]);
  });
});

describe('requests in other shapes than the imperative', () => {
  // A Tuesday.
  const today = '2026-12-01';
  const cases: [string, Intent][] = [
    ['the milk task can be deleted', { kind: 'delete', task: { title: 'milk' } }],
    [
      'could task 3 be moved to monday?',
      { kind: 'set_due', task: { id: 3 }, dueDate: '2026-12-07' },
    ],
    ["it's the unfinished stuff I want to see", { kind: 'list', status: 'active' }],
    [
      'my wife says I have to collect the parcel on friday at 5pm, put it on the list',
      { kind: 'add', title: 'collect the parcel', dueDate: '2026-12-04', dueTime: '17:00' },
    ],
    [
      "the rent is kind of less urgent now since the landlord said there's no rush",
      { kind: 'nudge_priority', task: { title: 'rent' }, up: false },
    ],
    [
      'remind me to call the vet tomorrow at ten am',
      { kind: 'add', title: 'call the vet', dueDate: '2026-12-02', dueTime: '10:00' },
    ],
    [
      'add buy milk and mark it urgent',
      {
        kind: 'each',
        intents: [
          { kind: 'add', title: 'buy milk' },
          { kind: 'set_priority', task: { pronoun: 'one' }, priority: 'high' },
        ],
      },
    ],
    [
      'monday - move the rent there',
      { kind: 'set_due', task: { title: 'rent' }, dueDate: '2026-12-07' },
    ],
    ['completed tasks: delete all', { kind: 'bulk_delete', scope: 'completed' }],
    ['give #1 an extra week', { kind: 'shift_due', task: { id: 1 }, days: 7 }],
    ['take the date off the milk', { kind: 'set_due', task: { title: 'milk' }, dueDate: null }],
    [
      'can you clear all my high priority tasks',
      { kind: 'bulk_delete', scope: { about: 'high priority' } },
    ],
    [
      'i buy the milk already, please mark as done',
      { kind: 'complete', task: { context: 'i buy the milk already' } },
    ],
    // A title is never a pronoun: nothing is renamed to "that".
    ['change the call mom task to that', { kind: 'help', unknown: true }],
    // Questions about a task find it; they never change it.
    ['milk done?', { kind: 'list', status: 'all', search: 'milk' }],
    // A statement with a date is not a task to add.
    ['my mom called me today', { kind: 'help', unknown: true }],
    ['i hate mondays', { kind: 'help', unknown: true }],
  ];

  it.each(cases)('%j', (message, intent) => {
    expect(parseCommand(message, today)).toEqual(intent);
  });

  it('turns passives, modals and clefts into the imperative they stand for', () => {
    expect(activeVoice('task 6 has been finished')).toBe('finish task 6');
    expect(activeVoice('the report one should be called Write Q4 report')).toBe(
      'rename the report one to Write Q4 report',
    );
    expect(activeVoice('milk should be medium priority')).toBe('set milk to medium priority');
    expect(activeVoice("it's 'send invoice' that I want on the list")).toBe("add 'send invoice'");
    expect(activeVoice("#1 shouldn't be low anymore")).toBeUndefined();
    expect(activeVoice('add buy milk')).toBeUndefined();
  });

  it('reads times and days said in words only where they are dates', () => {
    expect(fixTypos('call the vet at nine thirty am')).toBe('call the vet at 9:30am');
    expect(fixTypos('haircut on december tenth')).toBe('haircut on december 10th');
    expect(fixTypos('read the fifth chapter')).toBe('read the fifth chapter');
  });
});
