'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, api } from '../../lib/api';
import { type TaskQuery, taskListPath } from '../../lib/tasks';
import type { Task, TaskPage } from '../../lib/types';
import { useApiError } from '../../lib/useApiError';

export interface TaskList {
  items: Task[];
  total: number;
  /** First load still in flight: nothing to show yet. */
  loading: boolean;
  /** The last load failed; earlier items, if any, are still shown. */
  error: ApiError | null;
  loadingMore: boolean;
  reload: () => Promise<void>;
  loadMore: () => Promise<void>;
  /** Shows a change the server confirmed before the reload that follows it lands. */
  replace: (task: Task) => void;
  remove: (id: number) => void;
}

/** `query` null: not known yet (read from the URL once mounted), so nothing is loaded. */
export function useTasks(query: TaskQuery | null): TaskList {
  const [items, setItems] = useState<Task[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const { error, setError, fail } = useApiError();
  // Typing in the search box fires overlapping requests; only the newest may write.
  const latest = useRef(0);

  const reload = useCallback(async () => {
    if (!query) return;
    const ticket = ++latest.current;
    try {
      const page = await api<TaskPage>(taskListPath(query));
      if (ticket !== latest.current) return;
      setItems(page.items);
      setTotal(page.total);
      setError(null);
    } catch (caught) {
      if (ticket === latest.current) fail(caught);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [query, fail, setError]);

  const loadMore = useCallback(async () => {
    if (!query) return;
    const ticket = latest.current;
    setLoadingMore(true);
    try {
      const page = await api<TaskPage>(`${taskListPath(query)}&offset=${items.length}`);
      if (ticket !== latest.current) return;
      const known = new Set(items.map((task) => task.id));
      setItems([...items, ...page.items.filter((task) => !known.has(task.id))]);
      setTotal(page.total);
    } catch (caught) {
      fail(caught);
    } finally {
      setLoadingMore(false);
    }
  }, [query, items, fail]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const replace = useCallback(
    (task: Task) => setItems((current) => current.map((t) => (t.id === task.id ? task : t))),
    [],
  );

  const remove = useCallback((id: number) => {
    setItems((current) => current.filter((t) => t.id !== id));
    setTotal((current) => Math.max(0, current - 1));
  }, []);

  return { items, total, loading, error, loadingMore, reload, loadMore, replace, remove };
}
