'use client';

import '@fontsource-variable/inter';
import './globals.css';
import { StatusPage } from '../components/StatusPage';
import styles from '../components/StatusPage.module.css';

/** Replaces the root layout when it fails itself, so it brings its own <html> and styles. */
export default function GlobalError({ reset }: { error: Error; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <StatusPage code="Oops" title="Something went wrong">
          <p>The app hit an unexpected error. Trying again usually helps.</p>
          <div className={styles.actions}>
            <button type="button" className="btn btn-primary" onClick={reset}>
              Try again
            </button>
          </div>
        </StatusPage>
      </body>
    </html>
  );
}
