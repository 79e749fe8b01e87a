'use client';

import { useEffect, useState } from 'react';
import { DEFAULT_QUERY, queryFromParams, queryParams, type TaskQuery } from '../../lib/tasks';
import { ChatPanel } from '../chat/ChatPanel';
import { TaskBoard } from './TaskBoard';
import styles from './TasksView.module.css';
import { useTasks } from './useTasks';

/** The task list with the assistant docked beside it, or in a drawer on narrow screens. */
export function TasksView() {
  // The filter and sort live in the URL, so a reload or a shared link keeps them. The page is
  // static: the URL is read once mounted, and nothing loads before.
  const [query, setQuery] = useState<TaskQuery | null>(null);
  const list = useTasks(query);

  useEffect(() => {
    setQuery(queryFromParams(Object.fromEntries(new URLSearchParams(window.location.search))));
  }, []);

  // Next.js keeps its router in step with the History API: no navigation, no refetch.
  useEffect(() => {
    if (!query) return;
    const search = queryParams(query);
    if (search !== window.location.search)
      window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  }, [query]);
  const [assistantOpen, setAssistantOpen] = useState(false);

  useEffect(() => {
    if (!assistantOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setAssistantOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [assistantOpen]);

  return (
    <div className={styles.workspace}>
      {/* Before the list, not floating over it: on a phone a floating button covered the
          edit and delete buttons of whichever task was under it. */}
      <button
        type="button"
        className={`btn btn-primary ${styles.assistantButton}`}
        aria-expanded={assistantOpen}
        aria-controls="assistant-drawer"
        onClick={() => setAssistantOpen((open) => !open)}
      >
        <span className={styles.assistantDot} aria-hidden="true" />
        Ask the assistant
      </button>
      <TaskBoard query={query ?? DEFAULT_QUERY} onQueryChange={setQuery} list={list} />
      <aside id="assistant-drawer" className={styles.assistant} data-open={assistantOpen}>
        <ChatPanel
          variant="docked"
          onTasksChanged={list.reload}
          onClose={() => setAssistantOpen(false)}
        />
      </aside>
    </div>
  );
}
