import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import type { Role, Scope } from './roles.js';
import { forgetSessions } from './session-memory.js';

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

export async function setPassword(db: Kysely<Database>, userId: number, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new AccountError(`le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`);
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password) })
    .where('id', '=', userId)
    .execute();
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
