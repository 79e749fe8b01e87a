import '@fontsource-variable/inter';
import './globals.css';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: { default: 'Todo Chatbot', template: '%s · Todo Chatbot' },
  description: 'Your tasks, with an assistant that can manage them for you.',
};

export const viewport: Viewport = {
  themeColor: '#0b0724',
  colorScheme: 'dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
