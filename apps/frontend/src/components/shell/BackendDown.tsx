'use client';

import { useState } from 'react';
import type { ApiError } from '../../lib/api';
import { Icon } from '../Icon';
import styles from './BackendDown.module.css';

export function BackendDown({ error, onRetry }: { error: ApiError; onRetry: () => Promise<void> }) {
  const [retrying, setRetrying] = useState(false);

  async function retry() {
    setRetrying(true);
    await onRetry();
    setRetrying(false);
  }

  return (
    <section className={`glass ${styles.card}`} role="alert" aria-labelledby="backend-down-title">
      <div className={styles.icon} aria-hidden="true">
        <Icon
          d="M3 3l18 18M8.5 16.5a5 5 0 0 1 7 0M5 13a10 10 0 0 1 5.5-2.8M19 13a10 10 0 0 0-2.2-1.6M2 9.5a15 15 0 0 1 4.6-2.9M22 9.5A15 15 0 0 0 11 5.1M12 20h.01"
          size={28}
        />
      </div>
      <h1 id="backend-down-title" className={styles.title}>
        Can’t reach the server
      </h1>
      <p className={styles.text}>
        {error.unreachable
          ? 'The backend is unreachable right now. Your tasks are safe; this page reconnects by itself as soon as it is back.'
          : error.message}
      </p>
      <button type="button" className="btn btn-primary" onClick={retry} disabled={retrying}>
        {retrying && <span className="spinner" aria-hidden="true" />}
        {retrying ? 'Retrying…' : 'Try again'}
      </button>
    </section>
  );
}
