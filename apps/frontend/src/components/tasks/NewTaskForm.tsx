'use client';

import { type FormEvent, useId, useRef, useState } from 'react';
import { type ApiError, api, asApiError } from '../../lib/api';
import type { Priority, Task, TaskInput } from '../../lib/types';
import { DueDateField, PriorityField } from './TaskFields';
import styles from './tasks.module.css';

export function NewTaskForm({ onCreated }: { onCreated: (task: Task) => void }) {
  const id = useId();
  const titleRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const [dueDate, setDueDate] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return;
    setSaving(true);
    setError(null);
    try {
      const body: TaskInput = { title: title.trim(), priority, dueDate: dueDate || null };
      const task = await api<Task>('/tasks', 'POST', body);
      setTitle('');
      setDueDate('');
      setPriority('medium');
      onCreated(task);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setSaving(false);
      titleRef.current?.focus();
    }
  }

  return (
    <form className={`glass ${styles.newTask}`} onSubmit={submit} aria-label="Add a task">
      <div className={`field ${styles.newTitle}`}>
        <label className="label" htmlFor={`${id}-title`}>
          New task
        </label>
        <input
          ref={titleRef}
          id={`${id}-title`}
          className="input"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          placeholder="What needs doing?"
          maxLength={200}
          required
          aria-describedby={error ? `${id}-error` : undefined}
        />
      </div>
      <PriorityField id={id} value={priority} onChange={setPriority} />
      <DueDateField id={id} value={dueDate} onChange={setDueDate} />
      <button type="submit" className={`btn btn-primary ${styles.addButton}`} disabled={saving}>
        {saving ? (
          <span className="spinner" aria-hidden="true" />
        ) : (
          <span aria-hidden="true">+</span>
        )}
        Add task
      </button>
      {error && (
        <p id={`${id}-error`} role="alert" className={`alert ${styles.formError}`}>
          {error.message}
        </p>
      )}
    </form>
  );
}
