/**
 * One person's day with the app, in a real Chromium against the production frontend and a real
 * backend: sign up, manage tasks, let the assistant add one, come back later, and see a second
 * account and a backend outage handled. Steps share the browser and run in order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Service, startBackend, startFrontend } from '../support/servers';
import { launchChromium, screenshotter } from './support/browser';

const PASSWORD = 'correct horse battery staple';
const alice = { email: `alice-${Date.now()}@example.com`, password: PASSWORD };
const bob = { email: `bob-${Date.now()}@example.com`, password: PASSWORD };

let dataDir: string;
let backend: Service;
let frontend: Service;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter();

const url = (path: string) => `${frontend.url}${path}`;
const taskList = (p: Page = page) => p.getByRole('list', { name: 'Tasks' });
const task = (title: string, p: Page = page): Locator =>
  taskList(p).getByRole('listitem').filter({ hasText: title });
const addForm = (p: Page = page) => p.getByRole('form', { name: 'Add a task' });

async function signUp(p: Page, user: { email: string; password: string }) {
  await p.goto(url('/signup'));
  await p.getByLabel('Email').fill(user.email);
  await p.getByLabel('Password').fill(user.password);
  await p.getByRole('button', { name: 'Create account' }).click();
  await p.waitForURL(url('/tasks'));
}

async function addTask(title: string, priority?: string, dueDate?: string) {
  const form = addForm();
  await form.getByLabel('New task').fill(title);
  if (priority) await form.getByLabel('Priority').selectOption(priority);
  if (dueDate) await form.getByLabel('Due date').fill(dueDate);
  await form.getByRole('button', { name: 'Add task' }).click();
  await expect.poll(() => task(title).count()).toBe(1);
}

function isoDate(daysFromToday: number) {
  const date = new Date();
  date.setDate(date.getDate() + daysFromToday);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

beforeAll(async () => {
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), 'frontend-e2e-'));
  backend = await startBackend(dataDir);
  frontend = await startFrontend(backend.url);
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await frontend?.stop();
  await backend?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the journey', () => {
  test('the landing page and the 404 page render', async () => {
    await page.goto(url('/'));
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('just by asking');
    await shot(page, 'landing');

    const missing = await page.goto(url('/no-such-page'));
    expect(missing?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('drifted off');
    await shot(page, 'not-found');
  });

  test('pages and API answers carry the security headers, and the CSP breaks nothing', async () => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    for (const path of ['/', '/login', '/api/readyz']) {
      const response = await fetch(url(path));
      expect(response.headers.get('content-security-policy'), path).toContain(
        "frame-ancestors 'none'",
      );
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
    await page.goto(url('/login'));
    await page.getByLabel('Email').waitFor();
    expect(violations).toEqual([]);
  });

  test('a visitor is sent to log in, and signs up', async () => {
    await page.goto(url('/tasks'));
    await page.waitForURL(/\/login\?next=%2Ftasks$/);
    await shot(page, 'login-redirect');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL(url('/signup'));
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The browser's own validation stops a too-short password before it is sent.
    expect(page.url()).toBe(url('/signup'));

    await signUp(page, alice);
    await page.getByText('No tasks yet').waitFor();
    expect(await page.getByText(alice.email).count()).toBe(1);
    await shot(page, 'signed-up-empty');
  });

  test('adds tasks with priority and due date', async () => {
    await addTask('Write the quarterly report', 'high', isoDate(1));
    await addTask('Call the dentist', 'low', isoDate(-2));
    await addTask('Water the plants');
    expect(await taskList().getByRole('listitem').count()).toBe(3);
    expect(await task('Write the quarterly report').textContent()).toContain('Tomorrow');
    expect(await task('Call the dentist').textContent()).toContain('Overdue');
    await shot(page, 'tasks-added');
  });

  test('completes one', async () => {
    const checkbox = task('Call the dentist').getByRole('checkbox');
    await checkbox.check();
    await expect.poll(() => checkbox.isChecked()).toBe(true);
    await expect.poll(() => task('Call the dentist').getAttribute('data-completed')).toBe('true');
    await shot(page, 'task-completed');
  });

  test('filters, searches and sorts', async () => {
    const filters = page.getByRole('group', { name: 'Show' });
    await filters.getByRole('button', { name: 'Active' }).click();
    await expect.poll(() => taskList().getByRole('listitem').count()).toBe(2);
    expect(await task('Call the dentist').count()).toBe(0);

    await filters.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => taskList().getByRole('listitem').count()).toBe(1);
    expect(await task('Call the dentist').count()).toBe(1);
    await shot(page, 'filter-done');

    await filters.getByRole('button', { name: 'All' }).click();
    await page.getByLabel('Search tasks').fill('report');
    await expect.poll(() => taskList().getByRole('listitem').count()).toBe(1);
    await page.getByLabel('Search tasks').fill('');
    await expect.poll(() => taskList().getByRole('listitem').count()).toBe(3);

    // A sort starts in its natural order (A to Z), and the URL keeps it through a reload.
    await page.getByLabel('Sort by').selectOption('title');
    await expect
      .poll(() => taskList().getByRole('listitem').first().textContent())
      .toContain('Call the dentist');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('title');
    await page.reload();
    await expect.poll(() => page.getByLabel('Sort by').inputValue()).toBe('title');
    await expect
      .poll(() => taskList().getByRole('listitem').first().textContent())
      .toContain('Call the dentist');
    await page.getByLabel('Sort by').selectOption('created');
    await expect.poll(() => new URL(page.url()).search).toBe('');
  });

  test('edits a task and deletes one after confirming', async () => {
    await task('Water the plants').getByRole('button', { name: /^Edit/ }).click();
    const editor = page.getByRole('form', { name: /^Edit/ });
    await editor.getByLabel('Title').fill('Water the plants twice');
    await editor.getByLabel('Notes').fill('The fern and the cactus');
    await editor.getByRole('button', { name: 'Save' }).click();
    await task('Water the plants twice').waitFor();
    expect(await task('Water the plants twice').textContent()).toContain('The fern');

    await task('Water the plants twice')
      .getByRole('button', { name: /^Delete/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Delete this task?' });
    await dialog.waitFor();
    await shot(page, 'delete-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await task('Water the plants twice').count()).toBe(1);

    await task('Water the plants twice')
      .getByRole('button', { name: /^Delete/ })
      .click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => task('Water the plants twice').count()).toBe(0);
  });

  test('asks the assistant to add a task, which appears in the list', async () => {
    const assistant = page.getByRole('region', { name: 'Assistant' });
    await assistant.getByLabel('Message the assistant').fill('add buy milk');
    await assistant.getByRole('button', { name: 'Send' }).click();
    const actions = assistant.getByRole('list', { name: 'Actions the assistant took' });
    await actions.waitFor();
    expect(await actions.textContent()).toMatch(/Added #\d+ “buy milk”/);
    await expect.poll(() => task('buy milk').count()).toBe(1);

    await assistant.getByLabel('Message the assistant').fill("what's left?");
    await assistant.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() =>
        assistant.getByRole('listitem').filter({ hasText: 'Write the quarterly' }).count(),
      )
      .toBeGreaterThan(0);
    await shot(page, 'assistant-added-task');
  });

  test('the assistant page lists the conversation with its history', async () => {
    await page.getByRole('link', { name: 'Assistant' }).click();
    await page.waitForURL(url('/assistant'));
    const history = page.getByRole('navigation', { name: 'Conversation history' });
    const conversation = history.getByRole('button').first();
    await conversation.waitFor();
    await conversation.click();
    const messages = page.getByRole('list', { name: 'Messages' });
    await messages.getByText('add buy milk').waitFor();
    expect(await messages.getByText(/Added #\d+ “buy milk”/).count()).toBe(1);
    await shot(page, 'assistant-history');
  });

  test('data survives a reload, and a log out and log in', async () => {
    await page.goto(url('/tasks'));
    await task('buy milk').waitFor();
    await page.reload();
    await task('buy milk').waitFor();
    expect(await taskList().getByRole('listitem').count()).toBe(3);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(url('/login'));
    await page.goto(url('/tasks'));
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await shot(page, 'login-wrong-password');

    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/tasks'));
    await task('buy milk').waitFor();
    expect(await taskList().getByRole('listitem').count()).toBe(3);
    expect(await task('Call the dentist').getByRole('checkbox').isChecked()).toBe(true);
    await shot(page, 'logged-back-in');
  });

  test('a second user sees none of it', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    try {
      const bobPage = await other.newPage();
      await signUp(bobPage, bob);
      await bobPage.getByText('No tasks yet').waitFor();
      const tasks = await bobPage.request.get(url('/api/tasks?status=all'));
      expect((await tasks.json()).total).toBe(0);
      const conversations = await bobPage.request.get(url('/api/conversations'));
      expect((await conversations.json()).items).toEqual([]);
      await bobPage.getByRole('button', { name: 'History' }).click();
      await bobPage.getByText('No conversations yet.').waitFor();
      await shot(bobPage, 'second-user-empty');
    } finally {
      await other.close();
    }
  });

  test('works at phone width', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      storageState: await context.storageState(),
    });
    try {
      const p = await phone.newPage();
      const overflow = () =>
        p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await p.goto(url('/'));
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(p, 'phone-landing');

      await p.goto(url('/tasks'));
      await task('buy milk', p).waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(p, 'phone-tasks');
      // Nothing floats over the tasks' buttons, and the header the list scrolls under is opaque.
      const opener = await p.getByRole('button', { name: 'Ask the assistant' }).boundingBox();
      for (const button of await taskList(p).getByRole('button').all()) {
        const box = await button.boundingBox();
        if (!opener || !box) continue;
        const apart =
          box.x >= opener.x + opener.width ||
          opener.x >= box.x + box.width ||
          box.y >= opener.y + opener.height ||
          opener.y >= box.y + box.height;
        expect(apart).toBe(true);
      }
      const header = await p
        .locator('header')
        .first()
        .evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(header).toMatch(/^rgb\(\d+, \d+, \d+\)$/);

      await p.getByRole('button', { name: 'Ask the assistant' }).click();
      const assistant = p.getByRole('region', { name: 'Assistant' });
      await assistant.getByLabel('Message the assistant').fill('add call mom');
      await assistant.getByRole('button', { name: 'Send' }).click();
      await assistant.getByText(/Added #\d+ “call mom”/).waitFor();
      await shot(p, 'phone-assistant');
      await assistant.getByRole('button', { name: 'Close the assistant' }).click();
      await task('call mom', p).waitFor();
    } finally {
      await phone.close();
    }
  });

  test('request bodies: the backend’s limit holds through the proxy, and a huge upload is refused unread', async () => {
    const limit = 1024 * 1024;
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(url('/api/auth/signup'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        duplex: 'half',
      } as RequestInit);
    // Exactly at the limit: it reaches the backend, whose validation answers (not a 413 or 502).
    const prefix = '{"email":"big@example.com","password":"correct horse battery","name":"';
    const atLimit = `${prefix}${'n'.repeat(limit - prefix.length - 2)}"}`;
    const accepted = await post(atLimit);
    expect(accepted.status).toBe(400);
    expect(await accepted.json()).toMatchObject({ error: 'validation_error' });

    const over = await post(`${atLimit} `);
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({
      error: 'payload_too_large',
      message: 'The request body is larger than 1 MB',
    });

    // 50 MB without a declared length: refused after the first megabyte.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 50 * limit) return controller.close();
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const huge = await post(stream);
    expect(huge.status).toBe(413);
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  test('when the backend stops, the page says so and the frontend stays healthy', async () => {
    await backend.stop();
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'backend is unreachable' }).waitFor();
    await shot(page, 'backend-down');

    const health = await fetch(url('/healthz'));
    expect(health.status).toBe(200);
    const proxied = await fetch(url('/api/tasks'));
    expect(proxied.status).toBe(502);
    expect(await proxied.json()).toMatchObject({
      error: 'backend_unreachable',
      message: expect.stringContaining('unreachable'),
    });
  });

  test('and recovers by itself when the backend is back', async () => {
    backend = await startBackend(dataDir, backend.port);
    await task('buy milk').waitFor({ timeout: 20_000 });
    await shot(page, 'backend-back');
  });
});
