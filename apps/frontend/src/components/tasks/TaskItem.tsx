'use client';

import { useState } from 'react';
import { describeDue, PRIORITY_LABELS } from '../../lib/tasks';
import type { Task } from '../../lib/types';
import { Icon } from '../Icon';
import { TaskEditor } from './TaskEditor';
import styles from './tasks.module.css';

interface TaskItemProps {
  task: Task;
  today: string;
  onToggle: (task: Task) => Promise<void>;
  onSaved: (task: Task) => void;
  onDelete: (task: Task) => void;
}

export function TaskItem({ task, today, onToggle, onSaved, onDelete }: TaskItemProps) {
  const [editing, setEditing] = useState(false);
  // The box flips at once; the server's answer then confirms it, or a failure flips it back.
  const [pending, setPending] = useState<boolean | null>(null);
  const completed = pending ?? task.completed;
  const due = task.dueDate ? describeDue(task.dueDate, today, completed, task.dueTime) : null;

  async function toggle() {
    setPending(!task.completed);
    try {
      await onToggle(task);
    } finally {
      setPending(null);
    }
  }

  if (editing) {
    return (
      <li className={`${styles.item} ${styles.itemEditing}`}>
        <TaskEditor
          task={task}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            onSaved(saved);
          }}
        />
      </li>
    );
  }

  return (
    <li className={styles.item} data-completed={completed} data-priority={task.priority}>
      <input
        type="checkbox"
        className={styles.check}
        checked={completed}
        disabled={pending !== null}
        onChange={toggle}
        aria-label={`Mark “${task.title}” as ${completed ? 'not done' : 'done'}`}
      />
      <div className={styles.itemBody}>
        <p className={styles.itemTitle}>{task.title}</p>
        {task.description && <p className={styles.itemDescription}>{task.description}</p>}
        <p className={styles.meta}>
          <span className={styles.badge} data-priority={task.priority}>
            <span className="visually-hidden">Priority: </span>
            {PRIORITY_LABELS[task.priority]}
          </span>
          {due && (
            <span className={styles.badge} data-due={due.tone}>
              <span className="visually-hidden">Due: </span>
              {due.text}
            </span>
          )}
          <span className={styles.taskId}>#{task.id}</span>
        </p>
      </div>
      <div className={styles.itemActions}>
        <button
          type="button"
          className="btn btn-quiet btn-icon"
          aria-label={`Edit “${task.title}”`}
          title="Edit"
          onClick={() => setEditing(true)}
        >
          <Icon d="M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4" strokeWidth={1.8} />
        </button>
        <button
          type="button"
          className="btn btn-quiet btn-icon"
          aria-label={`Delete “${task.title}”`}
          title="Delete"
          onClick={() => onDelete(task)}
        >
          <Icon d="M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13M10 11v6M14 11v6" strokeWidth={1.8} />
        </button>
      </div>
    </li>
  );
}
