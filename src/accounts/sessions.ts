import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { decoyHash, verifyPassword } from './passwords.js';
import type { SessionUser } from './roles.js';
import { remembered, SESSION_MEMORY_MS } from './session-memory.js';
import { randomToken, sessionTokenHash as tokenHash } from './session-token.js';
import { normalizeEmail, readScopes } from './users.js';

export const SESSION_HOURS = 12;

export { randomToken };

/** The user id when the email and password match an active account; null otherwise, after the same work. */
export async function checkCredentials(db: Kysely<Database>, email: string, password: string): Promise<number | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  const matches = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
  return user && matches && user.disabled_at === null ? user.id : null;
}

export async function openSession(db: Kysely<Database>, userId: number): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      csrf_token: randomToken(),
      expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
    })
    .execute();
  // Expired sessions are swept at each sign-in rather than by a timer.
  await db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
  return token;
}

export async function readSession(db: Kysely<Database>, token: string): Promise<SessionUser | null> {
  const now = Date.now();
  const memory = remembered.get(token);
  if (memory && memory.until > now) return memory.user;
  if (remembered.size > 10_000) remembered.clear();
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.role', 's.csrf_token', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash(token))
    .where('s.expires_at', '>', new Date(now))
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  const user = row
    ? { id: row.id, email: row.email, role: row.role, scopes: await readScopes(db, row.id), csrfToken: row.csrf_token }
    : null;
  remembered.set(token, { user, until: Math.min(now + SESSION_MEMORY_MS, row ? row.expires_at.getTime() : now + SESSION_MEMORY_MS) });
  return user;
}

export async function closeSession(db: Kysely<Database>, token: string): Promise<void> {
  remembered.delete(token);
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}
