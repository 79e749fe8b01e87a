'use client';

import { type FormEvent, useId, useState } from 'react';
import { type ApiError, api, asApiError } from '../../lib/api';
import type { Priority, Task, TaskInput } from '../../lib/types';
import { DueDateField, PriorityField } from './TaskFields';
import styles from './tasks.module.css';

interface TaskEditorProps {
  task: Task;
  onSaved: (task: Task) => void;
  onCancel: () => void;
}

export function TaskEditor({ task, onSaved, onCancel }: TaskEditorProps) {
  const id = useId();
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description ?? '');
  const [priority, setPriority] = useState<Priority>(task.priority);
  const [dueDate, setDueDate] = useState(task.dueDate ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const patch: TaskInput = {
        title: title.trim(),
        description: description.trim() || null,
        priority,
        dueDate: dueDate || null,
      };
      onSaved(await api<Task>(`/tasks/${task.id}`, 'PATCH', patch));
    } catch (caught) {
      setError(asApiError(caught));
      setSaving(false);
    }
  }

  return (
    <form
      className={styles.editor}
      onSubmit={submit}
      aria-label={`Edit “${task.title}”`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <div className="field">
        <label className="label" htmlFor={`${id}-title`}>
          Title
        </label>
        <input
          id={`${id}-title`}
          className="input"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={200}
          required
        />
      </div>
      <div className="field">
        <label className="label" htmlFor={`${id}-description`}>
          Notes
        </label>
        <textarea
          id={`${id}-description`}
          className="input"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={5000}
          rows={3}
        />
      </div>
      <div className={styles.editorRow}>
        <PriorityField id={id} value={priority} onChange={setPriority} />
        <DueDateField id={id} value={dueDate} onChange={setDueDate} />
      </div>
      {error && (
        <p role="alert" className="alert">
          {error.message}
        </p>
      )}
      <div className={styles.editorActions}>
        <button type="button" className="btn" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving || !title.trim()}>
          {saving && <span className="spinner" aria-hidden="true" />}
          Save
        </button>
      </div>
    </form>
  );
}
