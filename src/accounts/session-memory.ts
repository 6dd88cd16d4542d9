import type { SessionUser } from './roles.js';

// Every page reads its session: each is kept a few seconds in memory. Signing out or disabling an account in
// this process forgets them at once; from another process (the CLI), within SESSION_MEMORY_MS.
export const SESSION_MEMORY_MS = 5_000;
export const remembered = new Map<string, { user: SessionUser | null; until: number }>();

export function forgetSessions(userId?: number): void {
  for (const [token, entry] of remembered) if (userId === undefined || entry.user?.id === userId) remembered.delete(token);
}
