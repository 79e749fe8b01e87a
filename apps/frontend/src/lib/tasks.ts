import type { Priority, SortOrder, TaskSort, TaskStatus } from './types';

export interface TaskQuery {
  status: TaskStatus;
  search: string;
  sort: TaskSort;
  order: SortOrder;
  limit: number;
}

export const PAGE_SIZE = 50;

export const DEFAULT_QUERY: TaskQuery = {
  status: 'all',
  search: '',
  sort: 'created',
  order: 'desc',
  limit: PAGE_SIZE,
};

export function taskListPath(query: TaskQuery): string {
  const params = new URLSearchParams({
    status: query.status,
    sort: query.sort,
    order: query.order,
    limit: String(query.limit),
  });
  const search = query.search.trim();
  if (search) params.set('q', search);
  return `/tasks?${params}`;
}

export const PRIORITY_LABELS: Record<Priority, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const SORT_LABELS: Record<TaskSort, string> = {
  created: 'Date created',
  updated: 'Last updated',
  due: 'Due date',
  priority: 'Priority',
  title: 'Title',
};

export const STATUS_LABELS: Record<TaskStatus, string> = {
  all: 'All',
  active: 'Active',
  completed: 'Done',
};

/** Today in the browser's time zone, which is the one the user means by "due today". */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type DueTone = 'overdue' | 'soon' | 'later' | 'done';

export interface DueLabel {
  text: string;
  tone: DueTone;
}

/** "Today", "Tomorrow", "Dec 4", with the time when the task has one ("Today, 17:00"). */
export function describeDue(
  dueDate: string,
  today: string,
  completed: boolean,
  dueTime: string | null = null,
): DueLabel {
  const days = daysBetween(today, dueDate);
  const date = new Date(`${dueDate}T00:00:00Z`);
  const sameYear = dueDate.slice(0, 4) === today.slice(0, 4);
  const formatted = date.toLocaleDateString('en', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
  const day =
    days === 0 ? 'Today' : days === 1 ? 'Tomorrow' : days === -1 ? 'Yesterday' : formatted;
  const text = dueTime ? `${day}, ${dueTime}` : day;
  if (completed) return { text, tone: 'done' };
  if (days < 0) return { text: `Overdue · ${text}`, tone: 'overdue' };
  return { text, tone: days <= 2 ? 'soon' : 'later' };
}
