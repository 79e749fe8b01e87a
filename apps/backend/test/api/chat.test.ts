import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../support/app.ts';

/** Same computation as the server, which resolves "tomorrow" in its own time zone. */
function localDate(offsetDays = 0) {
  const now = new Date(Date.now() + offsetDays * 86_400_000);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** The changes an assistant turn made, lookups aside. */
const changesOf = (actions: { tool: string }[]) =>
  actions.filter((action) => action.tool !== 'list_tasks');

describe('chat with the builtin assistant', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([t.signUp(), t.signUp()]);
  });
  afterAll(() => t?.close());

  const chat = (user: TestUser, message: string, conversationId?: number) =>
    t.request('POST', '/api/chat', { token: user.token, body: { message, conversationId } });
  const tasksOf = async (user: TestUser) =>
    (await t.request('GET', '/api/tasks?limit=100', { token: user.token })).body.items as {
      id: number;
      title: string;
      dueDate: string | null;
      completed: boolean;
    }[];

  it('manages tasks through a conversation and keeps its history', async () => {
    const added = await chat(alice, 'add buy milk tomorrow');
    expect(added.status).toBe(200);
    const tomorrow = localDate(1);
    expect(added.body.reply).toContain('buy milk');
    expect(added.body.actions).toHaveLength(1);
    expect(added.body.actions[0]).toMatchObject({
      tool: 'add_task',
      ok: true,
      arguments: { title: 'buy milk', due_date: tomorrow },
    });
    const conversationId: number = added.body.conversationId;
    const milkId: number = added.body.actions[0].result.id;
    expect(added.body.reply).toBe(`Added "buy milk" (#${milkId}), due ${tomorrow}.`);
    expect(added.body.message).toMatchObject({ role: 'assistant', content: added.body.reply });

    expect(await tasksOf(alice)).toMatchObject([
      { id: milkId, title: 'buy milk', dueDate: tomorrow, completed: false },
    ]);

    const left = await chat(alice, "what's left?", conversationId);
    expect(left.status).toBe(200);
    expect(left.body.conversationId).toBe(conversationId);
    expect(left.body.reply).toContain(`#${milkId} buy milk`);
    expect(left.body.actions).toMatchObject([{ tool: 'list_tasks', ok: true }]);

    const completed = await chat(alice, 'complete buy milk', conversationId);
    expect(completed.body.reply).toContain(`#${milkId}`);
    expect(completed.body.actions.map((a: { tool: string }) => a.tool)).toEqual([
      'list_tasks',
      'complete_task',
    ]);
    expect((await tasksOf(alice))[0]?.completed).toBe(true);
    expect((await chat(alice, "what's left?", conversationId)).body.reply).not.toContain(
      'buy milk',
    );
    expect((await chat(alice, 'list done tasks', conversationId)).body.reply).toContain('buy milk');

    const second = await chat(alice, 'add call mom !high', conversationId);
    const momId: number = second.body.actions[0].result.id;
    expect(second.body.actions[0].result).toMatchObject({ title: 'call mom', priority: 'high' });

    const byId = await chat(alice, `complete ${momId}`, conversationId);
    expect(byId.body.actions).toMatchObject([{ tool: 'complete_task', ok: true }]);
    expect(byId.body.reply).toContain(`#${momId}`);

    const renamed = await chat(alice, `rename ${momId} to call mom and dad`, conversationId);
    expect(renamed.body.actions).toMatchObject([
      { tool: 'update_task', ok: true, arguments: { task_id: momId, title: 'call mom and dad' } },
    ]);
    expect(renamed.body.reply).toBe(`Renamed #${momId} to "call mom and dad".`);

    const deleted = await chat(alice, 'delete buy milk', conversationId);
    expect(deleted.body.actions.map((a: { tool: string; ok: boolean }) => [a.tool, a.ok])).toEqual([
      ['list_tasks', true],
      ['delete_task', true],
    ]);
    expect(deleted.body.reply).toBe(`Deleted "buy milk" (#${milkId}).`);
    expect((await tasksOf(alice)).map((task) => task.title)).toEqual(['call mom and dad']);

    const list = await t.request('GET', '/api/conversations', { token: alice.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toMatchObject([{ id: conversationId, title: 'add buy milk tomorrow' }]);

    const conversation = await t.request('GET', `/api/conversations/${conversationId}`, {
      token: alice.token,
    });
    expect(conversation.status).toBe(200);
    const messages = conversation.body.messages;
    expect(messages).toHaveLength(18);
    expect(messages.map((m: { role: string }) => m.role)).toEqual(
      Array.from({ length: 18 }, (_, i) => (i % 2 === 0 ? 'user' : 'assistant')),
    );
    expect(messages[0]).toMatchObject({
      role: 'user',
      content: 'add buy milk tomorrow',
      actions: [],
    });
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      content: added.body.reply,
      actions: [{ tool: 'add_task', ok: true, arguments: { title: 'buy milk' } }],
    });
    expect(messages.at(-1)).toMatchObject({ content: deleted.body.reply });
  });

  it('undoes its last change in the conversation, and only its own', async () => {
    const user = await t.signUp();
    const first = await chat(user, 'add buy figs');
    const conversationId: number = first.body.conversationId;
    expect(first.body.actions[0]).not.toHaveProperty('undo');
    const completed = await chat(user, 'complete buy figs', conversationId);
    expect(completed.body.reply).toMatch(/Marked "buy figs" \(#1\) as done/);
    const undone = await chat(user, 'undo', conversationId);
    expect(undone.body.reply).toBe('Undone: restored "buy figs" (#1).');
    expect((await tasksOf(user)).map((task: { completed: boolean }) => task.completed)).toEqual([
      false,
    ]);
    const renamed = await chat(user, 'rename 1 to buy fresh figs', conversationId);
    expect(renamed.body.actions).toMatchObject([{ tool: 'update_task', ok: true }]);
    await chat(user, 'undo that', conversationId);
    expect((await tasksOf(user)).map((task: { title: string }) => task.title)).toEqual([
      'buy figs',
    ]);
    const fresh = await chat(user, 'undo');
    expect(fresh.body.reply).toBe("There's no change of mine to undo in this conversation.");
    expect(fresh.body.actions).toEqual([]);
  });

  it('asks before deleting several tasks, and deletes them when told yes', async () => {
    const user = await t.signUp();
    for (const title of ['figs for jam', 'more figs', 'bread'])
      await t.request('POST', '/api/tasks', { token: user.token, body: { title } });
    const asked = await chat(user, 'delete everything about figs');
    expect(changesOf(asked.body.actions)).toEqual([]);
    expect(asked.body.reply).toContain('Say "delete 1, 2" to confirm.');
    const conversationId: number = asked.body.conversationId;
    const no = await chat(user, 'no', conversationId);
    expect(no.body.reply).toBe('OK, I left them as they are.');
    expect(await tasksOf(user)).toHaveLength(3);
    await chat(user, 'delete everything about figs', conversationId);
    const yes = await chat(user, 'yes', conversationId);
    expect(yes.body.actions).toMatchObject([
      { tool: 'delete_task', ok: true },
      { tool: 'delete_task', ok: true },
    ]);
    expect((await tasksOf(user)).map((task: { title: string }) => task.title)).toEqual(['bread']);
  });

  it('asks before deleting several tasks by number; the same command or yes confirms', async () => {
    const user = await t.signUp();
    for (const title of ['figs', 'dates', 'bread'])
      await t.request('POST', '/api/tasks', { token: user.token, body: { title } });
    const asked = await chat(user, 'delete 1 and 2');
    expect(asked.body.actions).toEqual([]);
    expect(asked.body.reply).toContain('Say "delete 1, 2" to confirm.');
    const conversationId: number = asked.body.conversationId;
    const typed = await chat(user, 'delete 1, 2', conversationId);
    expect(typed.body.actions).toMatchObject([
      { tool: 'delete_task', ok: true },
      { tool: 'delete_task', ok: true },
    ]);
    expect((await tasksOf(user)).map((task: { title: string }) => task.title)).toEqual(['bread']);
  });

  it('reads "it" as the task the conversation last spoke of, and asks when that is unclear', async () => {
    const user = await t.signUp();
    const added = await chat(user, 'add call the plumber');
    const conversationId: number = added.body.conversationId;
    const urgent = await chat(user, 'make it urgent', conversationId);
    expect(urgent.body.actions).toMatchObject([
      { tool: 'update_task', ok: true, arguments: { task_id: 1, priority: 'high' } },
    ]);
    const unclear = await chat(user, 'delete it');
    expect(unclear.body.actions).toEqual([]);
    expect(unclear.body.reply).toMatch(/^Which task do you mean\?/);
  });

  it('gives a task named in one clause what another clause asks ("the rent is paid, tick it off")', async () => {
    const user = await t.signUp();
    for (const title of ['Pay rent', 'Call mom'])
      await t.request('POST', '/api/tasks', { token: user.token, body: { title } });
    const done = await chat(user, 'the rent is paid, tick it off');
    expect(changesOf(done.body.actions)).toMatchObject([
      { tool: 'complete_task', ok: true, arguments: { task_id: 1 } },
    ]);
    const plumber = await chat(user, 'I called the plumber, check it off');
    expect(changesOf(plumber.body.actions)).toEqual([]);
    expect(plumber.body.reply).toMatch(/\?/);
  });

  it('quick-adds a phrase with a date, or gives the date to the open task it names', async () => {
    const user = await t.signUp();
    await t.request('POST', '/api/tasks', { token: user.token, body: { title: 'Book dentist' } });
    const moved = await chat(user, 'dentist friday 3pm');
    expect(changesOf(moved.body.actions)).toMatchObject([
      { tool: 'update_task', ok: true, arguments: { task_id: 1, due_time: '15:00' } },
    ]);
    const added = await chat(user, 'buy eggs tomorrow');
    expect(changesOf(added.body.actions)).toMatchObject([
      { tool: 'add_task', ok: true, arguments: { title: 'buy eggs' } },
    ]);
  });

  it('does each request of a message in turn, "it" being the task just added', async () => {
    const user = await t.signUp();
    for (const title of ['Buy milk', 'Buy bread'])
      await t.request('POST', '/api/tasks', { token: user.token, body: { title } });
    const both = await chat(user, 'add call the plumber and mark it urgent');
    expect(changesOf(both.body.actions)).toMatchObject([
      { tool: 'add_task', ok: true, arguments: { title: 'call the plumber' } },
      { tool: 'update_task', ok: true, arguments: { task_id: 3, priority: 'high' } },
    ]);
    const bought = await chat(user, 'bought milk and bread');
    expect(changesOf(bought.body.actions)).toMatchObject([
      { tool: 'complete_task', arguments: { task_id: 1 } },
      { tool: 'complete_task', arguments: { task_id: 2 } },
    ]);
  });

  it('answers with help for messages it does not understand', async () => {
    const res = await chat(alice, 'sing me a song');
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/^I'm your task assistant/);
    expect(res.body.reply).toContain('add buy milk tomorrow');
    expect(res.body.actions).toEqual([]);
  });

  it('reports a task that does not exist as a failed action', async () => {
    const res = await chat(alice, 'complete 999999');
    expect(res.status).toBe(200);
    expect(res.body.reply).toBe("I couldn't find task #999999.");
    expect(res.body.actions).toMatchObject([{ tool: 'complete_task', ok: false }]);
  });

  it("never reaches another user's conversations or tasks", async () => {
    const bobsTask = await t.request('POST', '/api/tasks', {
      token: bob.token,
      body: { title: 'bob secret' },
    });
    const bobsChat = await chat(bob, 'add bob plan');
    expect(bobsChat.status).toBe(200);

    const intruding = await chat(alice, 'hello', bobsChat.body.conversationId);
    expect(intruding.status).toBe(404);
    expect(intruding.body).toMatchObject({ error: 'not_found' });
    const peek = await t.request('GET', `/api/conversations/${bobsChat.body.conversationId}`, {
      token: alice.token,
    });
    expect(peek.status).toBe(404);
    const aliceList = await t.request('GET', '/api/conversations', { token: alice.token });
    expect(aliceList.body.items.map((c: { id: number }) => c.id)).not.toContain(
      bobsChat.body.conversationId,
    );

    for (const message of [`complete ${bobsTask.body.id}`, `delete ${bobsTask.body.id}`]) {
      const res = await chat(alice, message);
      expect(res.status).toBe(200);
      expect(res.body.actions).toMatchObject([{ ok: false }]);
      expect(res.body.reply).toBe(`I couldn't find task #${bobsTask.body.id}.`);
    }
    const byTitle = await chat(alice, 'complete bob secret');
    expect(byTitle.body.reply).toBe('I couldn\'t find a task matching "bob secret".');

    expect(await tasksOf(bob)).toMatchObject(
      expect.arrayContaining([{ ...bobsTask.body, completed: false }]),
    );
  });

  it('validates the request body', async () => {
    const cases: unknown[] = [
      { message: '' },
      { message: '   ' },
      {},
      { message: 'hi', extra: true },
      { message: 'hi', conversationId: 'abc' },
      { message: 'hi', conversationId: -1 },
      { message: 'x'.repeat(4001) },
    ];
    for (const body of cases) {
      const res = await t.request('POST', '/api/chat', { token: alice.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: 'validation_error' });
      expect(typeof res.body.message).toBe('string');
      expect(Array.isArray(res.body.details)).toBe(true);
    }
    const badId = await t.request('GET', '/api/conversations/abc', { token: alice.token });
    expect(badId.status).toBe(400);
  });

  it('requires a signed-in user', async () => {
    for (const [method, path] of [
      ['POST', '/api/chat'],
      ['GET', '/api/conversations'],
      ['GET', '/api/conversations/1'],
    ] as const) {
      const res = await t.request(method, path, {
        ...(method === 'POST' && { body: { message: 'add buy milk' } }),
      });
      expect(res.status, path).toBe(401);
      expect(res.body).toMatchObject({ error: 'unauthorized' });
    }
    const forged = await t.request('POST', '/api/chat', {
      token: 'not-a-token',
      body: { message: 'add buy milk' },
    });
    expect(forged.status).toBe(401);
  });
});
