'use client';

import { useEffect, useState } from 'react';
import { DEFAULT_QUERY } from '../../lib/tasks';
import { ChatPanel } from '../chat/ChatPanel';
import { TaskBoard } from './TaskBoard';
import styles from './TasksView.module.css';
import { useTasks } from './useTasks';

/** The task list with the assistant docked beside it, or in a drawer on narrow screens. */
export function TasksView() {
  const [query, setQuery] = useState(DEFAULT_QUERY);
  const list = useTasks(query);
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
      <TaskBoard query={query} onQueryChange={setQuery} list={list} />
      <aside id="assistant-drawer" className={styles.assistant} data-open={assistantOpen}>
        <ChatPanel
          variant="docked"
          onTasksChanged={list.reload}
          onClose={() => setAssistantOpen(false)}
        />
      </aside>
      <button
        type="button"
        className={`btn btn-primary ${styles.fab}`}
        aria-expanded={assistantOpen}
        aria-controls="assistant-drawer"
        onClick={() => setAssistantOpen((open) => !open)}
      >
        <span className={styles.fabDot} aria-hidden="true" />
        Ask the assistant
      </button>
    </div>
  );
}
