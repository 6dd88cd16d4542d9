import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/accounts/roles.js';
import { JOURNEY_ROLES, type Journey } from '../../src/web/access.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, getPage, postForm, type SignedIn, signedIn, signedInEveryRole } from '../helpers/web.js';

// Every page and form of the dashboard, with the journey whose roles may open it: one table, tried for each
// role and for an anonymous visitor, so that a route added without its rule fails here.
const ROUTES: [method: 'GET' | 'POST', url: string, journey: Journey][] = [
  ['GET', '/employeurs?region=84&critere=under_26', 'employers'],
  ['GET', '/employeurs.csv?departement=69', 'employers'],
  ['GET', '/employeurs/12345678900012', 'employers'],
  ['GET', '/participants?alerte=toutes', 'participants'],
  ['GET', '/participants/999999999999', 'participants'],
  ['GET', '/resultats?programme=aci', 'outcomes'],
  ['GET', '/resultats.csv?vue=territoires', 'outcomes'],
  ['GET', '/admin', 'admin'],
  ['GET', '/admin/import', 'admin'],
  ['GET', '/admin/imports/1', 'admin'],
  ['GET', '/admin/utilisateurs', 'admin'],
  ['GET', '/admin/journal', 'admin'],
  ['POST', '/admin/utilisateurs', 'admin'],
  ['POST', '/admin/utilisateurs/1/desactiver', 'admin'],
  ['GET', '/methodologie', 'methodology'],
  ['GET', '/rapports', 'reports'],
  ['GET', '/exposition', 'exposures'],
  ['GET', '/exposition/fiche/12345678900012', 'exposures'],
];
const ROLES: Role[] = ['admin', 'conseiller', 'structure', 'financeur'];

let database: TestDatabase;
let app: FastifyInstance;
let users = new Map<Role, SignedIn>();

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database);
  users = await signedInEveryRole(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const request = (method: 'GET' | 'POST', url: string, as?: SignedIn) =>
  method === 'GET' ? getPage(app, url, as) : postForm(app, url, as as SignedIn, { email: 'x@y.fr', role: 'admin' });

describe('access rules, route by route', () => {
  it.each(ROUTES)('%s %s: anonymous visitors are sent to sign in', async (method, url) => {
    const response =
      method === 'GET'
        ? await getPage(app, url)
        : await app.inject({ method, url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    if (method === 'GET') {
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toMatch(/^\/connexion\?suite=/);
    } else expect(response.statusCode).toBe(401);
  });

  it.each(ROUTES)('%s %s: only the roles of its journey get past the door', async (method, url, journey) => {
    for (const role of ROLES) {
      const response = await request(method, url, users.get(role));
      const allowed = (JOURNEY_ROLES[journey] as readonly Role[]).includes(role);
      if (allowed) expect(response.statusCode, `${role} ${url}`).not.toBe(403);
      else {
        expect(response.statusCode, `${role} ${url}`).toBe(403);
        expect(response.body).toContain('Accès refusé');
      }
    }
  });

  it('refuses a form post with another session’s CSRF token', async () => {
    const admin = users.get('admin') as SignedIn;
    const other = users.get('conseiller') as SignedIn;
    const forged = await postForm(app, '/admin/utilisateurs', { ...admin, csrf: other.csrf }, { email: 'x@y.fr', role: 'admin' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Jeton de sécurité');
  });

  it('keeps a funder of the Nord inside the Nord, whatever the URL says', async () => {
    const funder = users.get('financeur') as SignedIn;
    for (const url of ['/resultats?departement=62', '/resultats?region=11', '/resultats.csv?vue=programmes&departement=75']) {
      expect((await getPage(app, url, funder)).statusCode, url).toBe(403);
    }
  });
});

describe('pages kept until the next refresh', () => {
  it('carry each user’s own email and CSRF token, never those of the user they were first rendered for', async () => {
    const first = await signedIn(database, 'structure', [{ kind: 'siret', code: '12345678900012' }]);
    const second = await signedIn(database, 'structure', [{ kind: 'siret', code: '12345678900012' }]);
    const pageOfFirst = (await getPage(app, '/participants', first)).body;
    const pageOfSecond = (await getPage(app, '/participants', second)).body;
    expect(pageOfFirst).toContain(first.email);
    expect(pageOfFirst).toContain(`value="${first.csrf}"`);
    expect(pageOfSecond).toContain(second.email);
    expect(pageOfSecond).toContain(`value="${second.csrf}"`);
    expect(pageOfSecond).not.toContain(first.email);
    expect(pageOfSecond).not.toContain(first.csrf);
    expect(pageOfSecond).not.toContain('__sillage_');
  });
});
