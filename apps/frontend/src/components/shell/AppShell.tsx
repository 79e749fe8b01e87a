'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useSession } from '../../lib/session';
import { Brand } from '../Brand';
import styles from './AppShell.module.css';
import { BackendDown } from './BackendDown';

const LINKS = [
  { href: '/tasks', label: 'Tasks' },
  { href: '/assistant', label: 'Assistant' },
];

/** While the backend is away, ask again at this pace so the page recovers by itself. */
const RETRY_MS = 5000;

export function AppShell({ children }: { children: ReactNode }) {
  const { state, refresh, signOut } = useSession();
  const pathname = usePathname();
  const router = useRouter();
  const [signingOut, setSigningOut] = useState(false);
  // Logging out on purpose leads to a plain /login, not to one that offers to come back here.
  const leaving = useRef(false);

  useEffect(() => {
    if (state.status === 'signed-out' && !leaving.current) {
      router.replace(`/login?next=${encodeURIComponent(pathname)}`);
    }
  }, [state.status, pathname, router]);

  useEffect(() => {
    if (state.status !== 'unavailable') return;
    const timer = setInterval(() => void refresh(), RETRY_MS);
    return () => clearInterval(timer);
  }, [state.status, refresh]);

  async function logOut() {
    setSigningOut(true);
    leaving.current = true;
    try {
      await signOut();
      router.replace('/login');
    } catch {
      leaving.current = false;
      setSigningOut(false);
      await refresh();
    }
  }

  const user = state.status === 'signed-in' ? state.user : null;

  return (
    <div className={styles.shell}>
      <header className={`glass ${styles.header}`}>
        <Brand href="/tasks" />
        <nav aria-label="Main" className={styles.nav}>
          {LINKS.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className={styles.navLink}
              aria-current={pathname === link.href ? 'page' : undefined}
            >
              {link.label}
            </Link>
          ))}
        </nav>
        {user && (
          <div className={styles.account}>
            <span className={styles.user} title={user.email}>
              {user.name ?? user.email}
            </span>
            <button type="button" className="btn btn-small" onClick={logOut} disabled={signingOut}>
              {signingOut ? 'Logging out…' : 'Log out'}
            </button>
          </div>
        )}
      </header>
      <main className={styles.main}>
        {state.status === 'signed-in' ? (
          children
        ) : state.status === 'unavailable' ? (
          <BackendDown error={state.error} onRetry={refresh} />
        ) : (
          <div className={styles.loading} role="status">
            <span className="spinner" aria-hidden="true" />
            <span>{state.status === 'signed-out' ? 'Taking you to log in…' : 'Loading…'}</span>
          </div>
        )}
      </main>
    </div>
  );
}
