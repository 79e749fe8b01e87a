'use client';

import { useEffect, useId, useState } from 'react';
import { naturalOrder, SORT_LABELS, STATUS_LABELS, type TaskQuery } from '../../lib/tasks';
import type { TaskSort, TaskStatus } from '../../lib/types';
import { Icon } from '../Icon';
import styles from './tasks.module.css';

/** Long enough to skip the keystrokes of a word, short enough to feel live. */
const SEARCH_DELAY_MS = 250;

interface TaskToolbarProps {
  query: TaskQuery;
  onChange: (query: TaskQuery) => void;
}

export function TaskToolbar({ query, onChange }: TaskToolbarProps) {
  const id = useId();
  const [search, setSearch] = useState(query.search);

  useEffect(() => {
    if (search === query.search) return;
    const timer = setTimeout(() => onChange({ ...query, search }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, query, onChange]);

  // A reset from outside (the "clear filters" button) must show in the box too.
  useEffect(() => {
    setSearch(query.search);
  }, [query.search]);

  return (
    <div className={styles.toolbar}>
      <div className={styles.search}>
        <label className="visually-hidden" htmlFor={`${id}-search`}>
          Search tasks
        </label>
        <svg className={styles.searchIcon} viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="11" cy="11" r="7" />
          <path d="M20 20l-3.5-3.5" />
        </svg>
        <input
          id={`${id}-search`}
          type="search"
          className="input"
          placeholder="Search tasks"
          value={search}
          maxLength={200}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <fieldset className={styles.segmented}>
        <legend className="visually-hidden">Show</legend>
        {(Object.keys(STATUS_LABELS) as TaskStatus[]).map((status) => (
          <button
            key={status}
            type="button"
            aria-pressed={query.status === status}
            onClick={() => onChange({ ...query, status })}
          >
            {STATUS_LABELS[status]}
          </button>
        ))}
      </fieldset>
      <div className={styles.sort}>
        <label className="visually-hidden" htmlFor={`${id}-sort`}>
          Sort by
        </label>
        <select
          id={`${id}-sort`}
          className="input"
          value={query.sort}
          onChange={(event) => {
            const sort = event.target.value as TaskSort;
            onChange({ ...query, sort, order: naturalOrder(sort) });
          }}
        >
          {(Object.keys(SORT_LABELS) as TaskSort[]).map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-icon"
          aria-label={
            query.order === 'asc'
              ? 'Ascending order; switch to descending'
              : 'Descending order; switch to ascending'
          }
          title={query.order === 'asc' ? 'Ascending' : 'Descending'}
          onClick={() => onChange({ ...query, order: query.order === 'asc' ? 'desc' : 'asc' })}
        >
          <Icon d={query.order === 'asc' ? 'M12 19V5M6 11l6-6 6 6' : 'M12 5v14M6 13l6 6 6-6'} />
        </button>
      </div>
    </div>
  );
}
