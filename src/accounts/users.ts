import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import type { Role, Scope } from './roles.js';
import { forgetSessions } from './session-memory.js';
import { sessionTokenHash } from './session-token.js';

export class AccountError extends Error {}

export type NewUser = { email: string; password: string; role: Role; scopes: Scope[]; demo?: boolean };
export type UserListing = { id: number; email: string; role: Role; scopes: Scope[]; demo: boolean; disabled: boolean; createdAt: Date };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Creates an account with its scopes in one transaction; territories must exist in the reference tables. */
export async function createUser(db: Kysely<Database>, user: NewUser): Promise<number> {
  const email = normalizeEmail(user.email);
  if (!EMAIL.test(email)) throw new AccountError(`« ${user.email} » n’est pas une adresse électronique.`);
  if (user.password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`);
  }
  await checkTerritories(db, user.scopes);
  const passwordHash = await hashPassword(user.password);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw new AccountError(`un compte existe déjà pour ${email}.`);
    const { id } = await trx
      .insertInto('users')
      .values({ email, password_hash: passwordHash, role: user.role, demo: user.demo ?? false })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (user.scopes.length > 0) {
      await trx
        .insertInto('user_scopes')
        .values(user.scopes.map((scope) => ({ user_id: id, kind: scope.kind, code: 'code' in scope ? scope.code : '' })))
        .execute();
    }
    return id;
  });
}

async function checkTerritories(db: Kysely<Database>, scopes: Scope[]): Promise<void> {
  for (const scope of scopes) {
    if (scope.kind !== 'departement' && scope.kind !== 'region') continue;
    const table = scope.kind === 'departement' ? 'departements' : 'regions';
    const found = await db.selectFrom(table).select('code').where('code', '=', scope.code).executeTakeFirst();
    if (!found) throw new AccountError(`${scope.kind === 'departement' ? 'département' : 'région'} inconnu(e) : ${scope.code}.`);
  }
}

export async function readScopes(db: Kysely<Database>, userId: number): Promise<Scope[]> {
  const rows = await db
    .selectFrom('user_scopes')
    .select(['kind', 'code'])
    .where('user_id', '=', userId)
    .orderBy('kind')
    .orderBy('code')
    .execute();
  return rows.map((row) => (row.kind === 'france' ? { kind: 'france' } : { kind: row.kind, code: row.code }));
}

export async function listUsers(db: Kysely<Database>): Promise<UserListing[]> {
  const users = await db.selectFrom('users').selectAll().orderBy('email').execute();
  return Promise.all(
    users.map(async (u) => ({
      id: u.id,
      email: u.email,
      role: u.role,
      scopes: await readScopes(db, u.id),
      demo: u.demo,
      disabled: u.disabled_at !== null,
      createdAt: u.created_at,
    })),
  );
}

/**
 * A new password ends the account's sessions, all but `keepSession` (the one that changed it): whoever signed in
 * with the old password, elsewhere, is signed out.
 */
export async function setPassword(
  db: Kysely<Database>,
  userId: number,
  password: string,
  { keepSession }: { keepSession?: string } = {},
): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new AccountError(`le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    let ending = trx.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepSession !== undefined) ending = ending.where('token_hash', '!=', sessionTokenHash(keepSession));
    await ending.execute();
  });
  forgetSessions(userId);
}

/** The user's own change: false, and nothing changed, when the current password is wrong. */
export async function changeOwnPassword(
  db: Kysely<Database>,
  userId: number,
  change: { current: string; next: string; keepSession: string | undefined },
): Promise<boolean> {
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, change.current))) return false;
  await setPassword(db, userId, change.next, { keepSession: change.keepSession });
  return true;
}

/** A disabled account keeps its history (audit log) but loses its sessions at once. */
export async function setDisabled(db: Kysely<Database>, userId: number, disabled: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ disabled_at: disabled ? new Date() : null })
      .where('id', '=', userId)
      .execute();
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  });
  forgetSessions(userId);
}
