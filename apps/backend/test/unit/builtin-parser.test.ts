import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/chat/builtin/dates.ts';
import type { Intent } from '../../src/chat/builtin/intent.ts';
import { parseCommand } from '../../src/chat/builtin/parse-command.ts';
import { HELP_TEXT } from '../../src/chat/builtin/replies.ts';
import { createBuiltinAgent } from '../../src/chat/builtin-agent.ts';
import type { ToolRunner } from '../../src/chat/tools.ts';
import type { ToolAction } from '../../src/db/schema.ts';

// A Saturday, so "friday" is six days ahead and "saturday" a full week.
const TODAY = '2026-11-21';

describe('parseDate', () => {
  it.each([
    ['today', '2026-11-21'],
    ['tonight', '2026-11-21'],
    ['tomorrow', '2026-11-22'],
    ['by tomorrow', '2026-11-22'],
    ['day after tomorrow', '2026-11-23'],
    ['sunday', '2026-11-22'],
    ['on monday', '2026-11-23'],
    ['by friday', '2026-11-27'],
    ['next fri', '2026-11-27'],
    ['saturday', '2026-11-28'],
    ['in 3 days', '2026-11-24'],
    ['in two weeks', '2026-12-05'],
    ['next week', '2026-11-28'],
    ['on 2026-12-01', '2026-12-01'],
    ['due 2027-01-15', '2027-01-15'],
    ['dec 1st', '2026-12-01'],
    ['1 december', '2026-12-01'],
    ['the 3rd of january', '2027-01-03'],
    ['nov 21', '2026-11-21'],
    ['nov 20', '2027-11-20'],
    ['feb 29', '2028-02-29'],
    ['march 5, 2030', '2030-03-05'],
  ])('%s → %s', (phrase, expected) => {
    expect(parseDate(phrase, TODAY)).toBe(expected);
  });

  it.each(['milk', 'feb 30', 'friday night', 'monday meeting', '', 'on'])(
    'rejects %j',
    (phrase) => {
      expect(parseDate(phrase, TODAY)).toBeUndefined();
    },
  );

  it('crosses month and year ends', () => {
    expect(parseDate('tomorrow', '2026-12-31')).toBe('2027-01-01');
    expect(parseDate('friday', '2027-02-26')).toBe('2027-03-05');
  });
});

describe('parseCommand', () => {
  const cases: [string, Intent][] = [
    // adding
    ['add buy milk tomorrow', { kind: 'add', title: 'buy milk', dueDate: '2026-11-22' }],
    ['add buy milk today', { kind: 'add', title: 'buy milk', dueDate: '2026-11-21' }],
    ['Add task Buy Milk', { kind: 'add', title: 'Buy Milk' }],
    ['add a new task: water plants', { kind: 'add', title: 'water plants' }],
    ['add pay rent on 2026-12-01', { kind: 'add', title: 'pay rent', dueDate: '2026-12-01' }],
    ['add report by friday', { kind: 'add', title: 'report', dueDate: '2026-11-27' }],
    ['add call dad on monday', { kind: 'add', title: 'call dad', dueDate: '2026-11-23' }],
    ['add pay rent on dec 1st', { kind: 'add', title: 'pay rent', dueDate: '2026-12-01' }],
    ['add buy milk high priority', { kind: 'add', title: 'buy milk', priority: 'high' }],
    ['add buy milk !high', { kind: 'add', title: 'buy milk', priority: 'high' }],
    ['add !low sort socks', { kind: 'add', title: 'sort socks', priority: 'low' }],
    ['add call the bank, urgent', { kind: 'add', title: 'call the bank', priority: 'high' }],
    ['add urgent: call the bank', { kind: 'add', title: 'call the bank', priority: 'high' }],
    ['add file taxes with low priority', { kind: 'add', title: 'file taxes', priority: 'low' }],
    [
      'add buy milk tomorrow high priority',
      { kind: 'add', title: 'buy milk', dueDate: '2026-11-22', priority: 'high' },
    ],
    [
      'add buy milk (high priority) by friday',
      { kind: 'add', title: 'buy milk', dueDate: '2026-11-27', priority: 'high' },
    ],
    [
      'remind me to call mom on friday, high priority',
      { kind: 'add', title: 'call mom', dueDate: '2026-11-27', priority: 'high' },
    ],
    ['remind me to water plants', { kind: 'add', title: 'water plants' }],
    ["don't forget to feed the cat", { kind: 'add', title: 'feed the cat' }],
    ['I need to call the bank asap', { kind: 'add', title: 'call the bank', priority: 'high' }],
    ['todo: clean desk', { kind: 'add', title: 'clean desk' }],
    ['please add buy milk to my list', { kind: 'add', title: 'buy milk' }],
    ['add "go to gym" tomorrow', { kind: 'add', title: 'go to gym', dueDate: '2026-11-22' }],
    ['add "meet on friday"', { kind: 'add', title: 'meet on friday' }],
    // a leading weekday is part of the title unless it is unmistakably a date
    ['add monday meeting', { kind: 'add', title: 'monday meeting' }],
    ['add tomorrow: dentist', { kind: 'add', title: 'dentist', dueDate: '2026-11-22' }],
    ['add important meeting', { kind: 'add', title: 'important meeting' }],
    // listing
    ["what's left?", { kind: 'list', status: 'active' }],
    ['what is left', { kind: 'list', status: 'active' }],
    ['Whats left to do', { kind: 'list', status: 'active' }],
    ['what do I have to do?', { kind: 'list', status: 'active' }],
    ['show my open tasks', { kind: 'list', status: 'active' }],
    ['show my tasks', { kind: 'list', status: 'all' }],
    ['list tasks', { kind: 'list', status: 'all' }],
    ['list', { kind: 'list', status: 'all' }],
    ['my todos', { kind: 'list', status: 'all' }],
    ['list all tasks', { kind: 'list', status: 'all' }],
    ['list done tasks', { kind: 'list', status: 'completed' }],
    ['show completed tasks', { kind: 'list', status: 'completed' }],
    ['what have I done?', { kind: 'list', status: 'completed' }],
    ['what did I finish today', { kind: 'list', status: 'completed' }],
    // completing, by id and by title
    ['complete 3', { kind: 'complete', task: { id: 3 } }],
    ['done 3', { kind: 'complete', task: { id: 3 } }],
    ['finish #3', { kind: 'complete', task: { id: 3 } }],
    ['mark 3 as done', { kind: 'complete', task: { id: 3 } }],
    ['mark task #3 complete', { kind: 'complete', task: { id: 3 } }],
    ['check off 12', { kind: 'complete', task: { id: 12 } }],
    ['complete buy milk', { kind: 'complete', task: { title: 'buy milk' } }],
    ['complete "2024"', { kind: 'complete', task: { title: '2024' } }],
    ['I finished the report', { kind: 'complete', task: { title: 'report' } }],
    ['buy milk is done', { kind: 'complete', task: { title: 'buy milk' } }],
    ['mark 3 as not done', { kind: 'reopen', task: { id: 3 } }],
    ['reopen buy milk', { kind: 'reopen', task: { title: 'buy milk' } }],
    // deleting
    ['delete buy milk', { kind: 'delete', task: { title: 'buy milk' } }],
    ['delete 3', { kind: 'delete', task: { id: 3 } }],
    ['remove 3', { kind: 'delete', task: { id: 3 } }],
    ['remove task #7 from my list', { kind: 'delete', task: { id: 7 } }],
    ['delete the task buy milk', { kind: 'delete', task: { title: 'buy milk' } }],
    // renaming
    ['rename 2 to call mom', { kind: 'rename', task: { id: 2 }, title: 'call mom' }],
    [
      'rename buy milk to buy oat milk',
      { kind: 'rename', task: { title: 'buy milk' }, title: 'buy oat milk' },
    ],
    [
      'rename "go to gym" to "go to the gym"',
      { kind: 'rename', task: { title: 'go to gym' }, title: 'go to the gym' },
    ],
    ['change the title of 4 to pay rent', { kind: 'rename', task: { id: 4 }, title: 'pay rent' }],
    // priority and due dates
    ['set priority of 2 to high', { kind: 'set_priority', task: { id: 2 }, priority: 'high' }],
    ['set 2 to low priority', { kind: 'set_priority', task: { id: 2 }, priority: 'low' }],
    [
      'make buy milk urgent',
      { kind: 'set_priority', task: { title: 'buy milk' }, priority: 'high' },
    ],
    ['change 5 to normal', { kind: 'set_priority', task: { id: 5 }, priority: 'medium' }],
    ['prioritize 9', { kind: 'set_priority', task: { id: 9 }, priority: 'high' }],
    ['move 3 to friday', { kind: 'set_due', task: { id: 3 }, dueDate: '2026-11-27' }],
    [
      'move go to gym to next week',
      { kind: 'set_due', task: { title: 'go to gym' }, dueDate: '2026-11-28' },
    ],
    ['set due date of 3 to tomorrow', { kind: 'set_due', task: { id: 3 }, dueDate: '2026-11-22' }],
    ['clear the due date of 3', { kind: 'set_due', task: { id: 3 }, dueDate: null }],
    // everything else
    ['help', { kind: 'help', unknown: false }],
    ['hi', { kind: 'help', unknown: false }],
    ['What can you do?', { kind: 'help', unknown: false }],
    ['   ', { kind: 'help', unknown: false }],
    ['thanks!', { kind: 'thanks' }],
    ['what is the meaning of life', { kind: 'help', unknown: true }],
    ['add', { kind: 'help', unknown: true }],
    ['add tomorrow', { kind: 'help', unknown: true }],
    ['move 3 to the top', { kind: 'help', unknown: true }],
    // asides, politeness and typos in the words the parser keys on
    [
      'hey, could you please add pick up the kids on wensday at 6:45pm',
      { kind: 'add', title: 'pick up the kids', dueDate: '2026-11-25', dueTime: '18:45' },
    ],
    [
      'please you add task buy shoes for tommorow',
      { kind: 'add', title: 'buy shoes', dueDate: '2026-11-22' },
    ],
    [
      'remind me at 6pm today to start the slow cooker',
      { kind: 'add', title: 'start the slow cooker', dueDate: '2026-11-21', dueTime: '18:00' },
    ],
    [
      'add fix the faucet with the description washer is under the sink',
      { kind: 'add', title: 'fix the faucet', description: 'washer is under the sink' },
    ],
    [
      'add pick up dry cleaning a week from today',
      { kind: 'add', title: 'pick up dry cleaning', dueDate: '2026-11-28' },
    ],
    // clauses that refer to each other
    [
      'I need to call the bank tomorrow, could you note that down?',
      { kind: 'add', title: 'call the bank', dueDate: '2026-11-22' },
    ],
    [
      'ugh, I need to get the car serviced, put it down for monday',
      { kind: 'add', title: 'get the car serviced', dueDate: '2026-11-23' },
    ],
    ['the rent is paid, tick it off', { kind: 'complete', task: { context: 'the rent is paid' } }],
    [
      'the report can wait, move it to monday',
      { kind: 'set_due', task: { context: 'the report can wait' }, dueDate: '2026-11-23' },
    ],
    [
      'paid the rent and called mom, can you tick both off?',
      {
        kind: 'each',
        intents: [
          { kind: 'complete', task: { context: 'paid the rent' } },
          { kind: 'complete', task: { context: 'called mom' } },
        ],
      },
    ],
    ['scrap #3, it is not needed anymore', { kind: 'delete', task: { id: 3 } }],
    ['mark it done', { kind: 'complete', task: { pronoun: 'one' } }],
    // what one did, and several at once
    [
      'paid rent and called mom',
      {
        kind: 'each',
        intents: [
          { kind: 'complete', task: { title: 'paid rent' } },
          { kind: 'complete', task: { title: 'called mom' } },
        ],
      },
    ],
    ["mom's been called", { kind: 'complete', task: { title: 'called mom' } }],
    [
      'complete 4 and 6',
      {
        kind: 'each',
        intents: [
          { kind: 'complete', task: { id: 4 } },
          { kind: 'complete', task: { id: 6 } },
        ],
      },
    ],
    ['delete 1 and 6', { kind: 'delete_many', ids: [1, 6] }],
    [
      'add a note to the call mom task: ask about christmas',
      { kind: 'describe', task: { title: 'call mom' }, description: 'ask about christmas' },
    ],
    // a phrase with a date and no command: quick add, or a new date for the task it names
    [
      'buy eggs tmrw',
      { kind: 'quick', add: { kind: 'add', title: 'buy eggs', dueDate: '2026-11-22' } },
    ],
    [
      'bump the milk to friday',
      { kind: 'set_due', task: { title: 'milk' }, dueDate: '2026-11-27' },
    ],
    [
      'the report is less important now',
      { kind: 'nudge_priority', task: { title: 'report' }, up: false },
    ],
    ['is anything overdue?', { kind: 'list', status: 'all', due: 'overdue' }],
    ['any milk stuff', { kind: 'list', status: 'all', search: 'milk' }],
  ];

  it.each(cases)('%j', (message, intent) => {
    expect(parseCommand(message, TODAY)).toEqual(intent);
  });

  it('reads curly quotes and apostrophes like straight ones', () => {
    expect(parseCommand('what\u2019s left?', TODAY)).toEqual({ kind: 'list', status: 'active' });
    expect(parseCommand('add \u201cread book\u201d tomorrow', TODAY)).toEqual({
      kind: 'add',
      title: 'read book',
      dueDate: '2026-11-22',
    });
  });
});

/** An in-memory stand-in for the tool runner, recording what the agent asked for. */
function fakeTools(tasks: { id: number; title: string; completed?: boolean }[]) {
  const calls: [string, unknown][] = [];
  const full = tasks.map((t) => ({
    description: null,
    priority: 'medium',
    dueDate: null,
    completed: false,
    ...t,
  }));
  const runTool: ToolRunner = async (tool, args) => {
    calls.push([tool, args]);
    const a = args as Record<string, unknown>;
    const action = (ok: boolean, result: unknown): ToolAction => ({
      tool,
      arguments: a,
      ok,
      result,
    });
    const found = full.find((t) => t.id === a.task_id);
    switch (tool) {
      case 'list_tasks': {
        const search = String(a.search ?? '').toLowerCase();
        const matches = full.filter((t) => t.title.toLowerCase().includes(search));
        return action(true, { tasks: matches, total: matches.length });
      }
      case 'complete_task':
        return found
          ? action(true, { ...found, completed: true })
          : action(false, { error: `Task ${a.task_id} not found` });
      case 'add_task':
        return action(false, { error: 'Invalid arguments: title: must be at most 200 characters' });
      default:
        return action(false, { error: `Unknown tool ${tool}` });
    }
  };
  return { calls, runTool };
}

describe('builtin agent', () => {
  const agent = createBuiltinAgent();
  const ask = (message: string, runTool: ToolRunner, signal = new AbortController().signal) =>
    agent.respond({ history: [], message, runTool, signal, today: TODAY });

  it('prefers an exact title match over partial ones', async () => {
    const tools = fakeTools([
      { id: 1, title: 'Buy milk powder' },
      { id: 2, title: 'buy milk' },
    ]);
    const { reply, actions } = await ask('complete Buy Milk', tools.runTool);
    expect(tools.calls).toEqual([
      ['list_tasks', { search: 'Buy Milk' }],
      ['complete_task', { task_id: 2 }],
    ]);
    expect(actions.map((a) => a.tool)).toEqual(['list_tasks', 'complete_task']);
    expect(reply).toBe('Nice! Marked "buy milk" (#2) as done.');
  });

  it('asks which task is meant when several match, listing their ids', async () => {
    const tools = fakeTools([
      { id: 1, title: 'buy milk' },
      { id: 2, title: 'buy bread' },
    ]);
    const { reply } = await ask('complete buy', tools.runTool);
    expect(tools.calls).toHaveLength(1);
    expect(reply).toContain('#1 buy milk');
    expect(reply).toContain('#2 buy bread');
    expect(reply).toContain('"complete 1"');
  });

  it('prefers the open task when an open and a completed one share a title', async () => {
    const tools = fakeTools([
      { id: 1, title: 'water plants', completed: true },
      { id: 2, title: 'water plants' },
    ]);
    await ask('complete water plants', tools.runTool);
    expect(tools.calls.at(-1)).toEqual(['complete_task', { task_id: 2 }]);
  });

  it('says so when nothing matches, or the task is already done', async () => {
    const tools = fakeTools([{ id: 1, title: 'water plants', completed: true }]);
    expect((await ask('complete buy milk', tools.runTool)).reply).toBe(
      'I couldn\'t find a task matching "buy milk".',
    );
    expect((await ask('complete water plants', tools.runTool)).reply).toBe(
      '"water plants" (#1) is already done.',
    );
    expect(tools.calls.every(([tool]) => tool === 'list_tasks')).toBe(true);
  });

  it('suggests the closest task when none matches, and acts only once told yes', async () => {
    const tools = fakeTools([
      { id: 1, title: 'Call mom' },
      { id: 2, title: 'Buy bread' },
    ]);
    const { reply } = await ask('complete call dad', tools.runTool);
    expect(reply).toBe(
      'I couldn\'t find a task matching "call dad". Did you mean "Call mom" (#1)? Say "complete 1" to confirm.',
    );
    expect(tools.calls.every(([tool]) => tool === 'list_tasks')).toBe(true);
    const yes = await agent.respond({
      history: [
        { role: 'user', content: 'complete call dad' },
        { role: 'assistant', content: reply },
      ],
      message: 'yes',
      runTool: tools.runTool,
      signal: new AbortController().signal,
      today: TODAY,
    });
    expect(yes.actions.map((action) => [action.tool, action.arguments])).toEqual([
      ['complete_task', { task_id: 1 }],
    ]);
  });

  it('turns failed actions into a sentence saying what went wrong', async () => {
    const tools = fakeTools([]);
    const missing = await ask('complete 99', tools.runTool);
    expect(missing.reply).toBe("I couldn't find task #99.");
    expect(missing.actions).toMatchObject([{ tool: 'complete_task', ok: false }]);
    expect((await ask('add something', tools.runTool)).reply).toBe(
      "Sorry, I couldn't add that task: title: must be at most 200 characters.",
    );
  });

  it('answers help and unknown messages without touching tools', async () => {
    const tools = fakeTools([]);
    expect((await ask('help', tools.runTool)).reply).toBe(HELP_TEXT);
    const unknown = await ask('sing me a song', tools.runTool);
    expect(unknown.reply).toMatch(/^I'm your task assistant: I can add, list/);
    expect(unknown.reply).not.toMatch(/sorry|didn't understand/i);
    const french = await ask('ajoute acheter du pain', tools.runTool);
    expect(french.reply).toMatch(/^I can only read English so far\./);
    expect(unknown.actions).toEqual([]);
    expect(tools.calls).toEqual([]);
  });

  it('runs no tool once the turn has been aborted', async () => {
    const tools = fakeTools([{ id: 1, title: 'buy milk' }]);
    const controller = new AbortController();
    controller.abort();
    await expect(ask('complete 1', tools.runTool, controller.signal)).rejects.toThrow();
    expect(tools.calls).toEqual([]);
  });
});
