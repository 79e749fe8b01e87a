import { describe, expect, test } from 'vitest';
import { scriptSources } from '../../scripts/first-load-js';
import { changesTasks, describeAction } from '../../src/lib/chat';
import { safeNextPath } from '../../src/lib/navigation';
import {
  DEFAULT_QUERY,
  describeDue,
  localToday,
  naturalOrder,
  queryFromParams,
  queryParams,
  taskListPath,
} from '../../src/lib/tasks';
import type { ToolAction } from '../../src/lib/types';

describe('tasks', () => {
  test('taskListPath sends filter, sort and page size, and the search only when there is one', () => {
    expect(taskListPath(DEFAULT_QUERY)).toBe('/tasks?status=all&sort=created&order=desc&limit=50');
    expect(taskListPath({ ...DEFAULT_QUERY, status: 'active', search: '  milk & eggs ' })).toBe(
      '/tasks?status=active&sort=created&order=desc&limit=50&q=milk+%26+eggs',
    );
  });

  test('localToday is the calendar date where the user is', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });

  test.each([
    ['2026-03-10', false, { text: 'Today', tone: 'soon' }],
    ['2026-03-11', false, { text: 'Tomorrow', tone: 'soon' }],
    ['2026-03-20', false, { text: 'Mar 20', tone: 'later' }],
    ['2026-03-09', false, { text: 'Overdue · Yesterday', tone: 'overdue' }],
    ['2026-02-01', false, { text: 'Overdue · Feb 1', tone: 'overdue' }],
    ['2026-02-01', true, { text: 'Feb 1', tone: 'done' }],
    ['2027-01-02', false, { text: 'Jan 2, 2027', tone: 'later' }],
  ])('a task due %s (completed: %s) reads %o', (due, completed, expected) => {
    expect(describeDue(due, '2026-03-10', completed)).toEqual(expected);
  });

  test('adds the time of day when the task has one', () => {
    expect(describeDue('2026-03-10', '2026-03-10', false, '17:00')).toEqual({
      text: 'Today, 17:00',
      tone: 'soon',
    });
  });
});

describe('assistant actions', () => {
  const task = { id: 7, title: 'buy milk' };
  const action = (tool: string, ok: boolean, result: unknown): ToolAction => ({
    tool,
    arguments: {},
    ok,
    result,
  });

  test.each([
    [action('add_task', true, task), 'Added #7 “buy milk”'],
    [action('complete_task', true, task), 'Completed #7 “buy milk”'],
    [action('update_task', true, task), 'Updated #7 “buy milk”'],
    [action('delete_task', true, { deleted: task }), 'Deleted #7 “buy milk”'],
    [action('list_tasks', true, { tasks: [task], total: 1 }), 'Looked up 1 task'],
    [action('list_tasks', true, { tasks: [], total: 0 }), 'Looked up 0 tasks'],
    [
      action('complete_task', false, { error: 'Task 9 not found' }),
      'Could not complete a task: Task 9 not found',
    ],
    [action('summon_task', true, null), 'Ran summon_task'],
  ])('%o reads "%s"', (given, text) => {
    expect(describeAction(given)).toBe(text);
  });

  test('only successful changes make the task list stale', () => {
    expect(changesTasks([action('list_tasks', true, {})])).toBe(false);
    expect(changesTasks([action('add_task', false, {})])).toBe(false);
    expect(changesTasks([action('list_tasks', true, {}), action('delete_task', true, {})])).toBe(
      true,
    );
  });
});

test.each([
  ['/assistant', '/assistant'],
  ['/tasks?x=1', '/tasks?x=1'],
  [null, '/tasks'],
  ['https://evil.example/', '/tasks'],
  ['//evil.example/', '/tasks'],
  ['/\\evil.example', '/tasks'],
])('safeNextPath(%o) is %s', (next, expected) => {
  expect(safeNextPath(next)).toBe(expected);
});

test('first-load JavaScript counts each module script once and skips nomodule polyfills', () => {
  const html = `
    <link rel="preload" as="script" href="/_next/static/chunks/a.js"/>
    <script src="/_next/static/chunks/a.js" async=""></script>
    <script src="/_next/static/chunks/b.js" async=""></script>
    <script src="/_next/static/chunks/polyfills.js" noModule=""></script>
    <script>self.__next_f.push([1])</script>
    <script src="/_next/static/chunks/a.js" async=""></script>`;
  expect(scriptSources(html)).toEqual(['/_next/static/chunks/a.js', '/_next/static/chunks/b.js']);
});

describe('the list query in the URL', () => {
  test('starts each sort in its natural order: soonest due and A to Z first, newest otherwise', () => {
    expect(naturalOrder('due')).toBe('asc');
    expect(naturalOrder('title')).toBe('asc');
    expect(naturalOrder('created')).toBe('desc');
    expect(naturalOrder('priority')).toBe('desc');
  });

  test('round-trips a query, naming only what differs from the default', () => {
    const query = {
      ...DEFAULT_QUERY,
      status: 'active' as const,
      sort: 'due' as const,
      order: 'asc' as const,
      search: 'milk',
    };
    expect(queryParams(query)).toBe('?status=active&sort=due&q=milk');
    expect(queryFromParams(Object.fromEntries(new URLSearchParams(queryParams(query))))).toEqual(
      query,
    );
    expect(queryParams(DEFAULT_QUERY)).toBe('');
    expect(queryParams({ ...DEFAULT_QUERY, order: 'asc' })).toBe('?order=asc');
  });

  test('takes the default for what is not valid', () => {
    expect(queryFromParams({ status: 'nope', sort: ['title', 'due'], order: 'sideways' })).toEqual({
      ...DEFAULT_QUERY,
      sort: 'title',
      order: 'asc',
    });
  });
});
