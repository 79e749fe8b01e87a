import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { TaskItem } from '../../src/components/tasks/TaskItem';
import type { Task } from '../../src/lib/types';

const task: Task = {
  id: 3,
  title: 'Call the dentist',
  description: 'Ask about Tuesday',
  priority: 'high',
  dueDate: '2026-03-09',
  dueTime: null,
  completed: false,
  completedAt: null,
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:00:00Z',
};

function renderItem(overrides: Partial<Parameters<typeof TaskItem>[0]> = {}) {
  const props = {
    task,
    today: '2026-03-10',
    onToggle: vi.fn(async () => {}),
    onSaved: vi.fn(),
    onDelete: vi.fn(),
    ...overrides,
  };
  render(
    <ul>
      <TaskItem {...props} />
    </ul>,
  );
  return props;
}

test('shows the title, notes, priority and an overdue date', () => {
  renderItem();
  expect(screen.getByText('Call the dentist')).toBeTruthy();
  expect(screen.getByText('Ask about Tuesday')).toBeTruthy();
  expect(screen.getByText('High')).toBeTruthy();
  expect(screen.getByText('Overdue · Yesterday')).toBeTruthy();
});

test('the checkbox flips at once and asks to toggle the task', async () => {
  let finish = () => {};
  const onToggle = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
  renderItem({ onToggle });
  const box = screen.getByRole('checkbox', { name: 'Mark “Call the dentist” as done' });
  fireEvent.click(box);
  expect(onToggle).toHaveBeenCalledWith(task);
  const flipped = screen.getByRole('checkbox', { name: 'Mark “Call the dentist” as not done' });
  expect((flipped as HTMLInputElement).checked).toBe(true);
  finish();
  // Without a new task from the server the box goes back to what the server last said.
  await waitFor(() =>
    expect(screen.getByRole('checkbox', { name: /as done$/ })).toHaveProperty('checked', false),
  );
});

test('edit opens a labelled form; delete asks the board to confirm', () => {
  const { onDelete } = renderItem();
  fireEvent.click(screen.getByRole('button', { name: 'Delete “Call the dentist”' }));
  expect(onDelete).toHaveBeenCalledWith(task);

  fireEvent.click(screen.getByRole('button', { name: 'Edit “Call the dentist”' }));
  expect(screen.getByLabelText('Title')).toHaveProperty('value', 'Call the dentist');
  expect(screen.getByLabelText('Notes')).toHaveProperty('value', 'Ask about Tuesday');
  expect(screen.getByLabelText('Priority')).toHaveProperty('value', 'high');
  expect(screen.getByLabelText('Due date')).toHaveProperty('value', '2026-03-09');
  fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByLabelText('Title')).toBeNull();
});
