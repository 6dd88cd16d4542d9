import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, getPage, openSignInForm, type SignedIn, signedIn, submitSignIn } from '../helpers/web.js';

// Sign-in hardening (issue 12): where `suite` may send the browser, the attempt limits, the expired session, the CSRF cookie.

let database: TestDatabase;
let app: FastifyInstance;
let user: SignedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  await createUser(database.db, { email: 'agent@exemple.fr', password: 'un-mot-de-passe-solide', role: 'conseiller', scopes: [] });
  app = await buildTestApp(database);
  user = await signedIn(database, 'conseiller');
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const SITE = 'https://sillage.example';
/** Where a browser on this site would go with that Location: only this site's origin is acceptable. */
const staysOnSite = (location: string) =>
  location.startsWith('/') && !/[\\\s]/.test(location) && new URL(location, `${SITE}/connexion`).origin === SITE;

// Query strings as an attacker writes them (already percent-encoded), and where each may lead.
const tricky: [string, string | null][] = [
  ['/%09/evil.example', null],
  ['/%0A/evil.example', null],
  ['/%0D%0A/evil.example', null],
  ['%09//evil.example', null],
  ['%20//evil.example', null],
  ['/%5Cevil.example', null],
  ['%5C%5Cevil.example', null],
  ['/%5C/evil.example', null],
  ['//evil.example', null],
  ['///evil.example', null],
  ['/%2F%2Fevil.example', null],
  ['/%252F%252Fevil.example', '/%2F%2Fevil.example'],
  ['/.//evil.example', null],
  ['/a/..//evil.example', null],
  ['https:evil.example', null],
  ['https:%2F%2Fevil.example', null],
  ['https://evil.example/methodologie', null],
  ['javascript:alert(1)', null],
  ['%00/evil', null],
  ['/%C3%A9', '/%C3%A9'],
  ['/%C5%82', '/%C5%82'],
  ['/%FF', null],
  ['/%E9', null],
  [`/${'a'.repeat(5000)}`, '/'],
  ['/methodologie&suite=//evil.example', null],
  ['/methodologie', '/methodologie'],
  ['/employeurs%3Fregion%3D84%23carte', '/employeurs?region=84#carte'],
];

describe('suite: only a path of this site', () => {
  it.each(tricky.map(([suite, expected]) => [suite.slice(0, 60), suite, expected]))(
    'a signed-in visitor sent with suite=%s stays on the site',
    async (_label, suite, expected) => {
      const response = await getPage(app, `/connexion?suite=${suite}`, user);
      expect(response.statusCode).toBe(302);
      const location = response.headers.location as string;
      expect(staysOnSite(location), location).toBe(true);
      if (expected !== null) expect(location).toBe(expected === '/' ? '/employeurs' : expected);
    },
  );

  it.each(tricky.map(([suite, expected]) => [suite.slice(0, 60), suite, expected]))(
    'the form keeps suite=%s only as a path of this site',
    async (_label, suite, expected) => {
      const { page } = await openSignInForm(app, `/connexion?suite=${suite}`);
      expect(page.statusCode).toBe(200);
      const kept = /name="suite" value="([^"]*)"/.exec(page.body)?.[1];
      if (kept !== undefined) expect(staysOnSite(kept.replaceAll('&amp;', '&').replaceAll('&#39;', "'")), kept).toBe(true);
      if (expected !== null) expect(kept?.replaceAll('&amp;', '&')).toBe(expected === '/' ? undefined : expected);
    },
  );

  it.each(
    [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '//evil.example',
      '/.//evil.example',
      'https:evil.example',
      ' //evil.example',
      '/é',
      '/\uD800',
      `/${'a'.repeat(5000)}`,
    ].map((suite, i) => [suite.slice(0, 60), suite, `10.1.0.${i + 1}`]),
  )('a sign-in posted with suite=%j lands on the site', async (_label, suite, remoteAddress) => {
    const response = await submitSignIn(app, { email: 'agent@exemple.fr', password: 'un-mot-de-passe-solide', suite }, { remoteAddress });
    expect(response.statusCode).toBe(303);
    const location = response.headers.location as string;
    expect(staysOnSite(location), location).toBe(true);
    expect(['/', '/%C3%A9', '/%EF%BF%BD']).toContain(location);
  });
});
