import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenHash } from '../../src/accounts/api-tokens.js';
import type { Role } from '../../src/accounts/roles.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, getPage, postForm, type SignedIn, signedIn } from '../helpers/web.js';

// The user's own page, /compte: personal API tokens created (shown once), listed and revoked, forms with CSRF.

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const api = (token: string) => app.inject({ method: 'GET', url: '/api/v1/employeurs', headers: { authorization: `Bearer ${token}` } });
const tokenOf = (html: string) => /<code id="jeton">(sil_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1];

describe('/compte', () => {
  it.each(['admin', 'conseiller', 'structure', 'financeur'] as Role[])('opens for a %s', async (role) => {
    const scopes =
      role === 'structure'
        ? [{ kind: 'siret' as const, code: '12345678900012' }]
        : role === 'financeur'
          ? [{ kind: 'france' as const }]
          : [];
    const user = await signedIn(database, role, scopes);
    const response = await getPage(app, '/compte', user);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Mon compte</h1>');
    expect(response.body).toContain(user.email);
    expect(response.body).toContain('Vous n’avez encore aucun jeton.');
    expect(response.body).toContain(`<input type="hidden" name="_csrf" value="${user.csrf}">`);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    const response = await getPage(app, '/compte');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/connexion?suite=%2Fcompte');
  });

  it('creates a token shown once, lists it by its prefix, and revokes it', async () => {
    const user = await signedIn(database, 'conseiller');
    const created = await postForm(app, '/compte/jetons', user, { nom: 'Tableur du service' });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const token = tokenOf(created.body) as string;
    expect(token).toMatch(/^sil_/);
    expect(created.body).toContain('Il n’est affiché qu’une fois');
    expect((await api(token)).statusCode).toBe(200);
    const stored = await database.pool.query('select id, token_hash, prefix from api_tokens where user_id = $1', [user.userId]);
    expect(stored.rows).toEqual([{ id: expect.any(Number), token_hash: apiTokenHash(token), prefix: token.slice(0, 8) }]);

    // The list shows its name and first characters, never the token again.
    const page = await getPage(app, '/compte', user);
    expect(page.body).toContain('Tableur du service');
    expect(page.body).toContain(`<code>${token.slice(0, 8)}…</code>`);
    expect(page.body).not.toContain(token);
    const id = stored.rows[0].id as number;
    expect(page.body).toContain(`action="/compte/jetons/${id}/revoquer"`);

    // Another user can neither see nor revoke it.
    const other = await signedIn(database, 'conseiller');
    expect((await getPage(app, '/compte', other)).body).not.toContain('Tableur du service');
    expect((await postForm(app, `/compte/jetons/${id}/revoquer`, other, {})).statusCode).toBe(404);
    expect((await api(token)).statusCode).toBe(200);

    const revoked = await postForm(app, `/compte/jetons/${id}/revoquer`, user, {});
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe(`/compte?revoque=${id}`);
    expect((await api(token)).statusCode).toBe(401);
    const after = await getPage(app, '/compte?revoque=1', user);
    expect(after.body).toContain('Le jeton a été révoqué');
    expect(after.body).toContain('Révoqué le');
    expect(after.body).not.toContain(`action="/compte/jetons/${id}/revoquer"`);
    expect((await postForm(app, `/compte/jetons/${id}/revoquer`, user, {})).statusCode).toBe(404);
  });

  it('refuses a token without a name, and forms without the session’s CSRF token', async () => {
    const user = await signedIn(database, 'financeur', [{ kind: 'france' }]);
    const unnamed = await postForm(app, '/compte/jetons', user, { nom: '  ' });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.body).toContain('Donnez un nom au jeton');
    const other: SignedIn = await signedIn(database, 'financeur', [{ kind: 'france' }]);
    const forged = await postForm(app, '/compte/jetons', { ...user, csrf: other.csrf }, { nom: 'pirate' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Jeton de sécurité');
    const missing = await app.inject({
      method: 'POST',
      url: '/compte/jetons',
      cookies: user.cookies,
      payload: 'nom=pirate',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(missing.statusCode).toBe(403);
    const count = await database.pool.query('select count(*)::int as n from api_tokens where user_id = $1', [user.userId]);
    expect(count.rows[0].n).toBe(0);
  });
});
