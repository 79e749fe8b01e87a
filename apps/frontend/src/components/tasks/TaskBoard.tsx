'use client';

import { useState } from 'react';
import { type ApiError, api, asApiError } from '../../lib/api';
import { DEFAULT_QUERY, localToday, STATUS_LABELS, type TaskQuery } from '../../lib/tasks';
import type { Task } from '../../lib/types';
import { ConfirmDialog } from '../ConfirmDialog';
import { NewTaskForm } from './NewTaskForm';
import { TaskItem } from './TaskItem';
import { TaskToolbar } from './TaskToolbar';
import styles from './tasks.module.css';
import type { TaskList } from './useTasks';

interface TaskBoardProps {
  query: TaskQuery;
  onQueryChange: (query: TaskQuery) => void;
  list: TaskList;
}

export function TaskBoard({ query, onQueryChange, list }: TaskBoardProps) {
  const [deleting, setDeleting] = useState<Task | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const today = localToday();
  const filtered = query.status !== 'all' || query.search.trim() !== '';

  async function toggle(task: Task) {
    setActionError(null);
    try {
      list.replace(await api<Task>(`/tasks/${task.id}/toggle`, 'POST'));
      void list.reload();
    } catch (caught) {
      setActionError(asApiError(caught));
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setActionError(null);
    try {
      await api(`/tasks/${deleting.id}`, 'DELETE');
      list.remove(deleting.id);
      void list.reload();
    } catch (caught) {
      setActionError(asApiError(caught));
    } finally {
      setDeleteBusy(false);
      setDeleting(null);
    }
  }

  const error = actionError ?? list.error;

  return (
    <section className={styles.board} aria-labelledby="tasks-title">
      <div className={styles.boardHeader}>
        <h1 id="tasks-title" className={styles.heading}>
          Your tasks
        </h1>
        <p className={styles.count} aria-live="polite">
          {list.loading ? '' : countLine(list.items.length, list.total, query)}
        </p>
      </div>

      <NewTaskForm onCreated={() => void list.reload()} />
      <TaskToolbar query={query} onChange={onQueryChange} />

      {error && !list.loading && (
        <div role="alert" className={error.unreachable ? 'alert alert-warning' : 'alert'}>
          <span className={styles.alertText}>
            {error.unreachable
              ? 'The backend is unreachable right now; the list may be out of date.'
              : error.message}
          </span>
          <button type="button" className="btn btn-small" onClick={() => void list.reload()}>
            Retry
          </button>
        </div>
      )}

      {list.loading ? (
        <ul className={styles.list} aria-busy="true" aria-label="Loading tasks">
          {[0, 1, 2, 3].map((n) => (
            <li key={n} className={`skeleton ${styles.skeletonRow}`} />
          ))}
        </ul>
      ) : list.items.length === 0 ? (
        <EmptyState
          filtered={filtered}
          query={query}
          onClear={() => onQueryChange(DEFAULT_QUERY)}
        />
      ) : (
        <ul className={styles.list} aria-label="Tasks">
          {list.items.map((task) => (
            <TaskItem
              key={task.id}
              task={task}
              today={today}
              onToggle={toggle}
              onSaved={(saved) => {
                list.replace(saved);
                void list.reload();
              }}
              onDelete={setDeleting}
            />
          ))}
        </ul>
      )}

      {list.items.length < list.total && (
        <button
          type="button"
          className={`btn ${styles.more}`}
          onClick={() => void list.loadMore()}
          disabled={list.loadingMore}
        >
          {list.loadingMore && <span className="spinner" aria-hidden="true" />}
          Show more
        </button>
      )}

      <ConfirmDialog
        open={deleting !== null}
        title="Delete this task?"
        confirmLabel="Delete"
        busy={deleteBusy}
        onConfirm={confirmDelete}
        onCancel={() => setDeleting(null)}
      >
        “{deleting?.title}” will be deleted for good.
      </ConfirmDialog>
    </section>
  );
}

function countLine(shown: number, total: number, query: TaskQuery): string {
  const noun = total === 1 ? 'task' : 'tasks';
  const which = query.status === 'all' ? '' : ` ${STATUS_LABELS[query.status].toLowerCase()}`;
  const prefix = shown < total ? `${shown} of ` : '';
  return `${prefix}${total}${which} ${noun}`;
}

function EmptyState({
  filtered,
  query,
  onClear,
}: {
  filtered: boolean;
  query: TaskQuery;
  onClear: () => void;
}) {
  const search = query.search.trim();
  return (
    <div className={`glass ${styles.empty}`}>
      <div className={styles.emptyIcon} aria-hidden="true">
        {filtered ? '∅' : '✦'}
      </div>
      {filtered ? (
        <>
          <h2>Nothing here</h2>
          <p>
            {search
              ? `No ${query.status === 'all' ? '' : `${STATUS_LABELS[query.status].toLowerCase()} `}tasks match “${search}”.`
              : query.status === 'completed'
                ? 'No finished tasks yet. You’ve got this.'
                : 'Nothing left to do. Enjoy the calm.'}
          </p>
          <button type="button" className="btn" onClick={onClear}>
            Show all tasks
          </button>
        </>
      ) : (
        <>
          <h2>No tasks yet</h2>
          <p>Add your first task above, or ask the assistant: “add buy milk tomorrow”.</p>
        </>
      )}
    </div>
  );
}
