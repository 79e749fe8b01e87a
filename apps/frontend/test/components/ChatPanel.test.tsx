import { fireEvent, render, screen, within } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { ChatPanel } from '../../src/components/chat/ChatPanel';
import { SessionProvider } from '../../src/lib/session';
import { stubApi } from './fetch';

const milk = { id: 7, title: 'buy milk', completed: false };

function reply(text: string, actions: unknown[]) {
  return {
    conversationId: 4,
    reply: text,
    actions,
    message: { id: 12, role: 'assistant', content: text, actions, createdAt: '' },
  };
}

function renderPanel(onTasksChanged = vi.fn()) {
  render(
    <SessionProvider>
      <ChatPanel variant="docked" onTasksChanged={onTasksChanged} />
    </SessionProvider>,
  );
  return onTasksChanged;
}

test('sends a message, shows the reply with the actions taken and refreshes the task list', async () => {
  const calls = stubApi({
    'GET /api/auth/me': () => ({ body: { id: 1, email: 'me@example.com' } }),
    'GET /api/conversations': () => ({ body: { items: [] } }),
    'POST /api/chat': () => ({
      body: reply('Added "buy milk" (#7).', [
        { tool: 'add_task', arguments: { title: 'buy milk' }, ok: true, result: milk },
      ]),
    }),
  });
  const onTasksChanged = renderPanel();
  expect(await screen.findByText('No conversations yet.')).toBeTruthy();

  fireEvent.change(screen.getByLabelText('Message the assistant'), {
    target: { value: 'add buy milk' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));

  const actions = await screen.findByRole('list', { name: 'Actions the assistant took' });
  expect(within(actions).getByText('Added #7 “buy milk”')).toBeTruthy();
  expect(screen.getByText('add buy milk')).toBeTruthy();
  expect(onTasksChanged).toHaveBeenCalledTimes(1);
  expect(calls.find((c) => c.path === '/api/chat')?.body).toEqual({ message: 'add buy milk' });
});

test('a question that changes nothing leaves the task list alone, and the next message continues the conversation', async () => {
  const calls = stubApi({
    'GET /api/auth/me': () => ({ body: { id: 1, email: 'me@example.com' } }),
    'GET /api/conversations': () => ({ body: { items: [] } }),
    'POST /api/chat': () => ({
      body: reply('You have 1 open task', [
        { tool: 'list_tasks', arguments: {}, ok: true, result: { tasks: [milk], total: 1 } },
      ]),
    }),
  });
  const onTasksChanged = renderPanel();
  const input = screen.getByLabelText('Message the assistant');
  fireEvent.change(input, { target: { value: "what's left?" } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await screen.findByText('Looked up 1 task');
  fireEvent.change(input, { target: { value: 'thanks' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await vi.waitFor(() => expect(calls.filter((c) => c.path === '/api/chat')).toHaveLength(2));
  expect(calls.filter((c) => c.path === '/api/chat')[1]?.body).toEqual({
    message: 'thanks',
    conversationId: 4,
  });
  expect(onTasksChanged).not.toHaveBeenCalled();
});

test('when the backend is unreachable the message is kept and the panel says why', async () => {
  stubApi({
    'GET /api/auth/me': () => ({ body: { id: 1, email: 'me@example.com' } }),
    'GET /api/conversations': () => ({ body: { items: [] } }),
    'POST /api/chat': () => ({
      status: 502,
      body: { error: 'backend_unreachable', message: 'down', details: null },
    }),
  });
  renderPanel();
  const input = screen.getByLabelText('Message the assistant');
  fireEvent.change(input, { target: { value: 'add buy milk' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  expect((await screen.findByRole('alert')).textContent).toContain('backend is unreachable');
  await vi.waitFor(() => expect(input).toHaveProperty('value', 'add buy milk'));
});
