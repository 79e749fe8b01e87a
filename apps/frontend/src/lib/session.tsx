'use client';

import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { type ApiError, api, asApiError } from './api';
import type { User } from './types';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-in'; user: User }
  | { status: 'signed-out' }
  | { status: 'unavailable'; error: ApiError };

interface Session {
  state: SessionState;
  /** Asks the backend again who is signed in. */
  refresh: () => Promise<void>;
  /** For a 401 in the middle of a session: the cookie expired or the account is gone. */
  expire: () => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      setState({ status: 'signed-in', user: await api<User>('/auth/me') });
    } catch (caught) {
      const error = asApiError(caught);
      setState(error.status === 401 ? { status: 'signed-out' } : { status: 'unavailable', error });
    }
  }, []);

  const expire = useCallback(() => setState({ status: 'signed-out' }), []);

  const signOut = useCallback(async () => {
    await api('/auth/logout', 'POST');
    setState({ status: 'signed-out' });
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <SessionContext.Provider value={{ state, refresh, expire, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
