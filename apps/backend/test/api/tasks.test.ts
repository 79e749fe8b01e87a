import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../support/app.ts';

describe('tasks', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([t.signUp(), t.signUp()]);
  });
  afterAll(() => t?.close());

  const as = (user: TestUser) => ({
    get: (path: string) => t.request('GET', path, { token: user.token }),
    post: (path: string, body?: unknown) => t.request('POST', path, { token: user.token, body }),
    patch: (path: string, body: unknown) => t.request('PATCH', path, { token: user.token, body }),
    del: (path: string) => t.request('DELETE', path, { token: user.token }),
  });

  it('creates, reads, updates, toggles and deletes a task', async () => {
    const a = as(alice);
    const created = await a.post('/api/tasks', {
      title: '  Write report  ',
      description: 'Q3 numbers',
      priority: 'high',
      dueDate: '2026-12-01',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Write report',
      description: 'Q3 numbers',
      priority: 'high',
      dueDate: '2026-12-01',
      completed: false,
      completedAt: null,
    });
    const id = created.body.id;
    expect(Date.parse(created.body.createdAt)).not.toBeNaN();

    expect((await a.get(`/api/tasks/${id}`)).body.title).toBe('Write report');

    const updated = await a.patch(`/api/tasks/${id}`, { title: 'Write the report', dueDate: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      title: 'Write the report',
      dueDate: null,
      priority: 'high',
    });
    expect(Date.parse(updated.body.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(created.body.updatedAt),
    );

    const toggled = await a.post(`/api/tasks/${id}/toggle`);
    expect(toggled.body).toMatchObject({ completed: true });
    expect(toggled.body.completedAt).toBeTruthy();
    const back = await a.post(`/api/tasks/${id}/toggle`);
    expect(back.body).toMatchObject({ completed: false, completedAt: null });

    expect((await a.del(`/api/tasks/${id}`)).status).toBe(204);
    const gone = await a.get(`/api/tasks/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: 'not_found', message: 'Task not found', details: null });
  });

  it("answers 404 for another user's task on every route and leaves it unchanged", async () => {
    const task = (await as(alice).post('/api/tasks', { title: 'private' })).body;
    const b = as(bob);
    expect((await b.get(`/api/tasks/${task.id}`)).status).toBe(404);
    expect((await b.patch(`/api/tasks/${task.id}`, { title: 'mine now' })).status).toBe(404);
    expect((await b.post(`/api/tasks/${task.id}/toggle`)).status).toBe(404);
    expect((await b.del(`/api/tasks/${task.id}`)).status).toBe(404);
    expect((await b.get('/api/tasks?limit=100')).body.items).toEqual([]);
    const still = await as(alice).get(`/api/tasks/${task.id}`);
    expect(still.body).toMatchObject({ title: 'private', completed: false });
  });

  it("numbers each user's tasks from 1, apart from every other user, never reusing a number", async () => {
    const [dana, erin] = await Promise.all([t.signUp(), t.signUp()]);
    const d = as(dana);
    const e = as(erin);
    const first = await d.post('/api/tasks', { title: 'one' });
    const second = await d.post('/api/tasks', { title: 'two' });
    const theirs = await e.post('/api/tasks', { title: 'erin one' });
    expect([first.body.id, second.body.id, theirs.body.id]).toEqual([1, 2, 1]);
    expect((await e.get('/api/tasks/1')).body).toMatchObject({ id: 1, title: 'erin one' });
    expect((await d.get('/api/tasks/1')).body).toMatchObject({ id: 1, title: 'one' });
    expect((await d.del('/api/tasks/2')).status).toBe(204);
    expect((await d.post('/api/tasks', { title: 'three' })).body.id).toBe(3);
    expect((await d.get('/api/tasks/2')).status).toBe(404);
  });

  it('keeps a time of day on the due date, and clears it with the date', async () => {
    const g = as(await t.signUp());
    const created = await g.post('/api/tasks', {
      title: 'dentist',
      dueDate: '2026-12-04',
      dueTime: '17:00',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ dueDate: '2026-12-04', dueTime: '17:00' });
    const untimed = await g.post('/api/tasks', { title: 'no time' });
    expect(untimed.body.dueTime).toBeNull();
    const alone = await g.post('/api/tasks', { title: 'time alone', dueTime: '09:00' });
    expect(alone.status).toBe(400);
    expect(JSON.stringify(alone.body)).toContain('dueTime');
    const bad = await g.post('/api/tasks', {
      title: 'bad',
      dueDate: '2026-12-04',
      dueTime: '25:00',
    });
    expect(bad.status).toBe(400);
    const moved = await g.patch(`/api/tasks/${created.body.id}`, { dueTime: '08:30' });
    expect(moved.body).toMatchObject({ dueDate: '2026-12-04', dueTime: '08:30' });
    const cleared = await g.patch(`/api/tasks/${created.body.id}`, { dueDate: null });
    expect(cleared.body).toMatchObject({ dueDate: null, dueTime: null });
  });

  it('gives tasks created at once distinct numbers', async () => {
    const fay = await t.signUp();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => as(fay).post('/api/tasks', { title: `task ${i}` })),
    );
    expect(created.map((res) => res.status)).toEqual(created.map(() => 201));
    expect(created.map((res) => res.body.id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('requires authentication', async () => {
    const res = await t.request('GET', '/api/tasks');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthorized' });
  });

  describe('listing', () => {
    let carol: TestUser;
    beforeAll(async () => {
      carol = await t.signUp();
      const c = as(carol);
      const specs = [
        { title: 'Buy milk', priority: 'low', dueDate: '2026-12-03' },
        { title: 'Call mom', priority: 'high', dueDate: '2026-12-01' },
        { title: 'Pay rent', priority: 'medium', description: 'transfer 100% before noon' },
        { title: 'Buy bread', priority: 'high', dueDate: '2026-12-02' },
        { title: 'Walk dog', priority: 'low' },
      ];
      for (const spec of specs) expect((await c.post('/api/tasks', spec)).status).toBe(201);
      const list = await c.get('/api/tasks?limit=100');
      const byTitle = Object.fromEntries(
        list.body.items.map((x: { title: string; id: number }) => [x.title, x.id]),
      );
      await c.post(`/api/tasks/${byTitle['Call mom']}/toggle`);
      await c.post(`/api/tasks/${byTitle['Walk dog']}/toggle`);
    });

    const titles = async (query: string) => {
      const res = await as(carol).get(`/api/tasks${query}`);
      expect(res.status).toBe(200);
      return res.body.items.map((x: { title: string }) => x.title);
    };

    it('lists newest first by default with the total', async () => {
      const res = await as(carol).get('/api/tasks');
      expect(res.body.total).toBe(5);
      expect(res.body.items.map((x: { title: string }) => x.title)).toEqual([
        'Walk dog',
        'Buy bread',
        'Pay rent',
        'Call mom',
        'Buy milk',
      ]);
    });

    it('filters by status', async () => {
      expect(await titles('?status=active&sort=title')).toEqual([
        'Buy bread',
        'Buy milk',
        'Pay rent',
      ]);
      expect(await titles('?status=completed&sort=title')).toEqual(['Call mom', 'Walk dog']);
    });

    it('searches title and description case-insensitively, treating % and _ literally', async () => {
      expect(await titles('?q=BUY&sort=title')).toEqual(['Buy bread', 'Buy milk']);
      expect(await titles('?q=100%25')).toEqual(['Pay rent']);
      expect(await titles('?q=_')).toEqual([]);
    });

    it('sorts by title, due date (empty last), priority', async () => {
      expect(await titles('?sort=title&order=desc')).toEqual([
        'Walk dog',
        'Pay rent',
        'Call mom',
        'Buy milk',
        'Buy bread',
      ]);
      expect(await titles('?sort=due')).toEqual([
        'Call mom',
        'Buy bread',
        'Buy milk',
        'Pay rent',
        'Walk dog',
      ]);
      const byPriority = await titles('?sort=priority');
      expect(byPriority.slice(0, 2).sort()).toEqual(['Buy bread', 'Call mom']);
      expect(byPriority[2]).toBe('Pay rent');
    });

    it('paginates with limit and offset without overlap', async () => {
      const first = await as(carol).get('/api/tasks?sort=title&limit=2');
      const second = await as(carol).get('/api/tasks?sort=title&limit=2&offset=2');
      const third = await as(carol).get('/api/tasks?sort=title&limit=2&offset=4');
      expect(first.body).toMatchObject({ total: 5, limit: 2, offset: 0 });
      const all = [...first.body.items, ...second.body.items, ...third.body.items].map(
        (x: { title: string }) => x.title,
      );
      expect(all).toEqual(['Buy bread', 'Buy milk', 'Call mom', 'Pay rent', 'Walk dog']);
      expect((await as(carol).get('/api/tasks?offset=50')).body.items).toEqual([]);
    });

    it('rejects bad query parameters with the parameter named', async () => {
      for (const query of [
        '?limit=0',
        '?limit=101',
        '?offset=-1',
        '?status=later',
        '?sort=color',
        '?page=2',
      ]) {
        const res = await as(carol).get(`/api/tasks${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error).toBe('validation_error');
        expect(res.body.details[0].in).toBe('querystring');
      }
    });
  });

  describe('validation', () => {
    const cases: [string, unknown, string][] = [
      ['empty title', { title: '   ' }, 'title'],
      ['long title', { title: 'x'.repeat(201) }, 'title'],
      ['wrong type', { title: 42 }, 'title'],
      ['bad priority', { title: 'a', priority: 'urgent' }, 'priority'],
      ['bad date', { title: 'a', dueDate: '2026-13-45' }, 'dueDate'],
      ['unknown field', { title: 'a', owner: 1 }, 'owner'],
      ['not an object', ['title'], '(body)'],
    ];
    for (const [name, body, field] of cases) {
      it(`answers 400 naming the field for ${name}`, async () => {
        const res = await as(alice).post('/api/tasks', body);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('validation_error');
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
        expect(res.body.message).toContain(field);
      });
    }

    it('accepts a title of exactly 200 characters', async () => {
      expect((await as(alice).post('/api/tasks', { title: 'x'.repeat(200) })).status).toBe(201);
    });

    it('refuses an empty patch', async () => {
      const task = (await as(alice).post('/api/tasks', { title: 'a' })).body;
      const res = await as(alice).patch(`/api/tasks/${task.id}`, {});
      expect(res.status).toBe(400);
    });

    for (const id of ['abc', '0', '-1', '1.5', '99999999999']) {
      it(`answers 400 for the bad id ${id}`, async () => {
        const res = await as(alice).get(`/api/tasks/${id}`);
        expect(res.status).toBe(400);
        expect(res.body.details[0]).toMatchObject({ field: 'id', in: 'params' });
      });
    }

    it('answers 404 for an id that does not exist', async () => {
      expect((await as(alice).get('/api/tasks/2147483647')).status).toBe(404);
    });
  });
});
