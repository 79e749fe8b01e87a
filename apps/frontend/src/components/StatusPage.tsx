import type { ReactNode } from 'react';
import { Brand } from './Brand';
import styles from './StatusPage.module.css';

/** The frame of the 404 and error pages. */
export function StatusPage({
  code,
  title,
  children,
}: {
  code: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <div className={styles.page}>
      <header>
        <Brand />
      </header>
      <main className={styles.main}>
        <section className={`glass ${styles.card}`} aria-labelledby="status-title">
          <p className={`gradient-text ${styles.code}`} aria-hidden="true">
            {code}
          </p>
          <h1 id="status-title" className={styles.title}>
            {title}
          </h1>
          {children}
        </section>
      </main>
    </div>
  );
}
