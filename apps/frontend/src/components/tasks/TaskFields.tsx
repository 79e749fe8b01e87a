import { PRIORITY_LABELS } from '../../lib/tasks';
import type { Priority } from '../../lib/types';

interface FieldProps<T> {
  /** Prefix for the control's id, so that its label points at it. */
  id: string;
  value: T;
  onChange: (value: T) => void;
}

export function PriorityField({ id, value, onChange }: FieldProps<Priority>) {
  return (
    <div className="field">
      <label className="label" htmlFor={`${id}-priority`}>
        Priority
      </label>
      <select
        id={`${id}-priority`}
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value as Priority)}
      >
        {Object.entries(PRIORITY_LABELS).map(([option, label]) => (
          <option key={option} value={option}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The value is YYYY-MM-DD, or '' for no due date. */
export function DueDateField({ id, value, onChange }: FieldProps<string>) {
  return (
    <div className="field">
      <label className="label" htmlFor={`${id}-due`}>
        Due date
      </label>
      <input
        id={`${id}-due`}
        type="date"
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
