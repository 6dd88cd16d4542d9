import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.js';
import { openSession, readSession } from '../../src/accounts/sessions.js';
import { setPassword } from '../../src/accounts/users.js';
import { loadConfig } from '../../src/config.js';
import { SESSION_COOKIE } from '../../src/web/plugins/session.js';
import { apiV1Routes } from '../../src/web/routes/api/v1.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, getPage, postForm, type SignedIn, signedIn, submitSignIn } from '../helpers/web.js';

// Sessions and tokens (issue 12): a new password ends the account's other sessions, tokens per account are
// limited, and all of an account's tokens share one API budget.

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database);
  // The API with a limit of 3 requests a minute, to reach it (under /api/: no session needed).
  await app.register(apiV1Routes, {
    db: database.db,
    pool: database.pool,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    rateLimitMax: 3,
    prefix: '/api/essai',
  });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const TEST_PASSWORD = 'mot-de-passe-de-test';
const NEW_PASSWORD = 'un-nouveau-mot-de-passe-long';

/** A second session of the same account, as another browser would have it. */
async function otherSession(user: SignedIn): Promise<SignedIn> {
  const token = await openSession(database.db, user.userId);
  const session = await readSession(database.db, token);
  return { ...user, cookies: { [SESSION_COOKIE]: token }, csrf: session?.csrfToken ?? '' };
}

const isSignedIn = async (user: SignedIn) => (await getPage(app, '/compte', user)).statusCode === 200;
const changePassword = (user: SignedIn, fields: Record<string, string>) => postForm(app, '/compte/mot-de-passe', user, fields);
const storedHash = async (userId: number) =>
  (await database.pool.query('select password_hash from users where id = $1', [userId])).rows[0].password_hash as string;

describe('changing one’s password on /compte', () => {
  it('offers the form, CSRF-protected, with the current password asked', async () => {
    const user = await signedIn(database, 'conseiller');
    const before = await storedHash(user.userId);
    const page = await getPage(app, '/compte', user);
    expect(page.body).toContain('action="/compte/mot-de-passe"');
    expect(page.body).toContain('name="actuel"');
    expect(page.body).toContain('autocomplete="current-password"');
    expect(page.body).toContain('name="nouveau"');
    expect(page.body).toContain('name="confirmation"');
    const forged = await changePassword(
      { ...user, csrf: 'faux-jeton' },
      { actuel: TEST_PASSWORD, nouveau: NEW_PASSWORD, confirmation: NEW_PASSWORD },
    );
    expect(forged.statusCode).toBe(403);
    expect(await storedHash(user.userId)).toBe(before);
    expect((await submitSignIn(app, { email: user.email, password: TEST_PASSWORD }, { remoteAddress: '10.8.0.1' })).statusCode).toBe(303);
  });

  it('refuses a wrong current password, a short one, a mismatched confirmation, in French, and changes nothing', async () => {
    const user = await signedIn(database, 'conseiller');
    const before = await storedHash(user.userId);
    const cases: [Record<string, string>, string][] = [
      [{ actuel: 'pas-le-bon-mot-de-passe', nouveau: NEW_PASSWORD, confirmation: NEW_PASSWORD }, 'Mot de passe actuel incorrect'],
      [{ actuel: TEST_PASSWORD, nouveau: 'court', confirmation: 'court' }, 'au moins 12 caractères'],
      [{ actuel: TEST_PASSWORD, nouveau: NEW_PASSWORD, confirmation: `${NEW_PASSWORD}x` }, 'La confirmation ne reprend pas'],
      [{ actuel: TEST_PASSWORD, nouveau: TEST_PASSWORD, confirmation: TEST_PASSWORD }, 'doit différer de l’actuel'],
      [{ nouveau: NEW_PASSWORD, confirmation: NEW_PASSWORD }, 'Saisissez votre mot de passe actuel'],
    ];
    for (const [fields, message] of cases) {
      const response = await changePassword(user, fields);
      expect(response.statusCode, message).toBe(400);
      expect(response.body).toContain(message);
    }
    expect(await storedHash(user.userId)).toBe(before);
    expect(await isSignedIn(user)).toBe(true);
  });

  it('hashes the new password with argon2id, keeps this session and ends every other', async () => {
    const user = await signedIn(database, 'financeur', [{ kind: 'france' }]);
    const elsewhere = await otherSession(user);
    const bystander = await signedIn(database, 'financeur', [{ kind: 'france' }]);
    expect(await isSignedIn(elsewhere)).toBe(true);

    const changed = await changePassword(user, { actuel: TEST_PASSWORD, nouveau: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/compte?mot-de-passe=change');
    expect(await storedHash(user.userId)).toMatch(/^\$argon2id\$/);
    const page = await getPage(app, changed.headers.location as string, user);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Votre mot de passe a été changé');

    expect(await isSignedIn(elsewhere)).toBe(false);
    expect(await isSignedIn(bystander)).toBe(true);
    const sessions = await database.pool.query('select count(*)::int as n from sessions where user_id = $1', [user.userId]);
    expect(sessions.rows[0].n).toBe(1);
    expect((await submitSignIn(app, { email: user.email, password: TEST_PASSWORD }, { remoteAddress: '10.8.0.2' })).statusCode).toBe(401);
    expect((await submitSignIn(app, { email: user.email, password: NEW_PASSWORD }, { remoteAddress: '10.8.0.2' })).statusCode).toBe(303);
  });

  it('limits guesses of the current password: the eleventh wrong one within 15 minutes is refused unchecked', async () => {
    const user = await signedIn(database, 'conseiller');
    for (let i = 0; i < 10; i++) {
      expect((await changePassword(user, { actuel: `faux-${i}`, nouveau: NEW_PASSWORD, confirmation: NEW_PASSWORD })).statusCode).toBe(400);
    }
    const blocked = await changePassword(user, { actuel: TEST_PASSWORD, nouveau: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Trop d’essais du mot de passe actuel');
    expect((await submitSignIn(app, { email: user.email, password: TEST_PASSWORD }, { remoteAddress: '10.8.0.3' })).statusCode).toBe(303);
  });
});

describe('a password renewed for an account (by an administrator, or the demo accounts at start)', () => {
  it('ends all of that account’s sessions, and only theirs', async () => {
    const user = await signedIn(database, 'structure', [{ kind: 'siret', code: '12345678900012' }]);
    const elsewhere = await otherSession(user);
    const bystander = await signedIn(database, 'conseiller');
    expect(await isSignedIn(user)).toBe(true);
    await setPassword(database.db, user.userId, 'renouvele-par-l-administrateur');
    expect(await isSignedIn(user)).toBe(false);
    expect(await isSignedIn(elsewhere)).toBe(false);
    expect(await isSignedIn(bystander)).toBe(true);
  });
});

const tokenOf = (html: string) => /<code id="jeton">(sil_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1];

describe('personal API tokens', () => {
  it('are limited to 10 active per account: the eleventh is refused in French until one is revoked', async () => {
    const user = await signedIn(database, 'conseiller');
    for (let i = 1; i <= 10; i++) expect((await postForm(app, '/compte/jetons', user, { nom: `jeton ${i}` })).statusCode).toBe(200);
    const eleventh = await postForm(app, '/compte/jetons', user, { nom: 'jeton 11' });
    expect(eleventh.statusCode).toBe(400);
    expect(eleventh.body).toContain('Vous avez déjà 10 jetons actifs');
    expect(tokenOf(eleventh.body)).toBeUndefined();
    const active = await database.pool.query('select id from api_tokens where user_id = $1 and revoked_at is null order by id', [
      user.userId,
    ]);
    expect(active.rows).toHaveLength(10);
    // Another account is not concerned; a revocation frees a place.
    const other = await signedIn(database, 'conseiller');
    expect((await postForm(app, '/compte/jetons', other, { nom: 'le sien' })).statusCode).toBe(200);
    expect((await postForm(app, `/compte/jetons/${active.rows[0].id}/revoquer`, user, {})).statusCode).toBe(303);
    expect((await postForm(app, '/compte/jetons', user, { nom: 'jeton 11' })).statusCode).toBe(200);
  });

  it('share one rate-limit budget per account: a second token does not double it', async () => {
    const user = await signedIn(database, 'conseiller');
    const first = (await createApiToken(database.db, user.userId, 'premier')).token;
    const second = (await createApiToken(database.db, user.userId, 'second')).token;
    const other = await signedIn(database, 'conseiller');
    const theirs = (await createApiToken(database.db, other.userId, 'autre')).token;
    const get = (token: string): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'GET', url: '/api/essai/employeurs', headers: { authorization: `Bearer ${token}` } });
    expect((await get(first)).statusCode).toBe(200);
    expect((await get(second)).statusCode).toBe(200);
    expect((await get(first)).statusCode).toBe(200);
    expect((await get(second)).statusCode).toBe(429);
    expect((await get(first)).statusCode).toBe(429);
    expect((await get(theirs)).statusCode).toBe(200);
  });
});
