'use client';

import Link from 'next/link';
import { StatusPage } from '../components/StatusPage';
import styles from '../components/StatusPage.module.css';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <StatusPage code="Oops" title="Something went wrong">
      <p>This page hit an unexpected error. Trying again usually helps.</p>
      <div className={styles.actions}>
        <button type="button" className="btn btn-primary" onClick={reset}>
          Try again
        </button>
        <Link href="/" className="btn">
          Home
        </Link>
      </div>
    </StatusPage>
  );
}
