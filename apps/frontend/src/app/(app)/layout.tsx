import type { ReactNode } from 'react';
import { AppShell } from '../../components/shell/AppShell';
import { SessionProvider } from '../../lib/session';

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <SessionProvider>
      <AppShell>{children}</AppShell>
    </SessionProvider>
  );
}
