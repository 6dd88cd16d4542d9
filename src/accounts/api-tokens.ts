import { createHash, randomBytes } from 'node:crypto';
import type { Generated, Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Role, Scope } from './roles.js';
import { readScopes } from './users.js';

// Personal API tokens (issue 5): shown once at creation, stored as a SHA-256 only, revoked by their owner.

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: Buffer;
  prefix: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** Tokens start with this, so that a secret scanner (and a person) recognises one. */
export const TOKEN_PREFIX = 'sil_';
export const TOKEN_NAME_MAX = 100;
/** Active tokens an account may hold at once: each is a standing key to its data, and they share one API budget. */
export const MAX_ACTIVE_TOKENS = 10;
/** last_used_at is written at most this often: not one write per API request. */
const LAST_USED_PRECISION_MS = 60_000;

export type ApiTokenUser = { id: number; email: string; role: Role; scopes: Scope[]; tokenId: number };
export type ApiTokenListing = {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export class ApiTokenError extends Error {}

export const apiTokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();
const tokens = (db: Kysely<Database>) => db.withTables<{ api_tokens: ApiTokenTable }>();

/** A new token for the user: the token itself is returned once and never stored. */
export async function createApiToken(db: Kysely<Database>, userId: number, name: string): Promise<{ id: number; token: string }> {
  const label = name.trim();
  if (label === '' || label.length > TOKEN_NAME_MAX) {
    throw new ApiTokenError(`le nom du jeton doit compter de 1 à ${TOKEN_NAME_MAX} caractères.`);
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return db.transaction().execute(async (trx) => {
    // The account's row is locked so that two creations at once cannot both take the last place.
    await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
    const { active } = await tokens(trx)
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('active'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(active) >= MAX_ACTIVE_TOKENS) {
      throw new ApiTokenError(
        `Vous avez déjà ${MAX_ACTIVE_TOKENS} jetons actifs, le maximum : révoquez-en un dans la liste avant d’en créer un autre.`,
      );
    }
    const { id } = await tokens(trx)
      .insertInto('api_tokens')
      .values({
        user_id: userId,
        name: label,
        token_hash: apiTokenHash(token),
        prefix: token.slice(0, 8),
        last_used_at: null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, token };
  });
}

/** The user's tokens, newest first, revoked ones included (their history stays readable). */
export async function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenListing[]> {
  return tokens(db)
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at as createdAt', 'last_used_at as lastUsedAt', 'revoked_at as revokedAt'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

/** Revokes one of the user's own tokens; false when it is not theirs, unknown or already revoked. */
export async function revokeApiToken(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const result = await tokens(db)
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The token's owner, or null when the token is unknown, revoked, or its owner disabled. */
export async function readApiToken(db: Kysely<Database>, token: string): Promise<ApiTokenUser | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await tokens(db)
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as tokenId', 't.last_used_at as lastUsedAt', 'u.id', 'u.email', 'u.role'])
    .where('t.token_hash', '=', apiTokenHash(token))
    .where('t.revoked_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.lastUsedAt === null || Date.now() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await tokens(db).updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.tokenId).execute();
  }
  return { id: row.id, email: row.email, role: row.role, scopes: await readScopes(db, row.id), tokenId: row.tokenId };
}
