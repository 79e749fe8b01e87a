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

const STATUSES: TaskStatus[] = ['all', 'active', 'completed'];
const SORTS: TaskSort[] = ['created', 'updated', 'due', 'priority', 'title'];

/** The order a sort starts in: soonest due date and A to Z first, newest first otherwise. */
export function naturalOrder(sort: TaskSort): SortOrder {
  return sort === 'due' || sort === 'title' ? 'asc' : 'desc';
}

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Pure: the list's query from the page's URL (`?sort=due&status=active`); what is not valid is the default. */
export function queryFromParams(params: Params): TaskQuery {
  const pick = <T extends string>(value: string | undefined, allowed: T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  const sort = pick(one(params.sort), SORTS, DEFAULT_QUERY.sort);
  return {
    ...DEFAULT_QUERY,
    status: pick(one(params.status), STATUSES, DEFAULT_QUERY.status),
    sort,
    order: pick(one(params.order), ['asc', 'desc'], naturalOrder(sort)),
    search: (one(params.q) ?? '').slice(0, 200),
  };
}

/** Pure: the page's URL search for a query, naming only what differs from the default. */
export function queryParams(query: TaskQuery): string {
  const params = new URLSearchParams();
  if (query.status !== DEFAULT_QUERY.status) params.set('status', query.status);
  if (query.sort !== DEFAULT_QUERY.sort) params.set('sort', query.sort);
  if (query.order !== naturalOrder(query.sort)) params.set('order', query.order);
  if (query.search.trim()) params.set('q', query.search.trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

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
