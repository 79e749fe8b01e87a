import type { Metadata } from 'next';
import Link from 'next/link';
import { StatusPage } from '../components/StatusPage';
import styles from '../components/StatusPage.module.css';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <StatusPage code="404" title="This page drifted off">
      <p>There is nothing at this address. It may have moved, or never existed.</p>
      <div className={styles.actions}>
        <Link href="/tasks" className="btn btn-primary">
          Go to my tasks
        </Link>
        <Link href="/" className="btn">
          Home
        </Link>
      </div>
    </StatusPage>
  );
}
