/** Only same-origin paths, so that ?next= cannot send a user to another site after logging in. */
export function safeNextPath(next: string | null | undefined, fallback = '/tasks'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
