import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetSessions } from '../../src/accounts/session-memory.js';
import { SESSION_HOURS } from '../../src/accounts/sessions.js';
import { createUser } from '../../src/accounts/users.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, buildTestAppWith, getPage, openSignInForm, type SignedIn, signedIn, submitSignIn } from '../helpers/web.js';

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

describe('SILLAGE_TRUST_PROXY: the list of proxies whose X-Forwarded-* are believed', () => {
  it('reads addresses and CIDR ranges; empty or false trusts nobody', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ SILLAGE_TRUST_PROXY: 'false' }).trustProxy).toEqual([]);
    expect(loadConfig({ SILLAGE_TRUST_PROXY: '' }).trustProxy).toEqual([]);
    expect(loadConfig({ SILLAGE_TRUST_PROXY: ' 10.0.0.5, 192.168.0.0/16,::1, fd00::/8 ' }).trustProxy).toEqual([
      '10.0.0.5',
      '192.168.0.0/16',
      '::1',
      'fd00::/8',
    ]);
  });

  it('refuses true, which would let any client choose its address, and names what to write instead', () => {
    expect(() => loadConfig({ SILLAGE_TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ SILLAGE_TRUST_PROXY: 'true' })).toThrow(/SILLAGE_TRUST_PROXY : .*adresses.*proxy/);
  });

  it.each(['proxy.example', '10.0.0.0/33', '10.0.0.256', '2', '10.0.0.1,,oui'])('refuses %j in French', (value) => {
    expect(() => loadConfig({ SILLAGE_TRUST_PROXY: value })).toThrow(/SILLAGE_TRUST_PROXY : .*n’est ni une adresse IP ni une plage/);
  });
});

describe('sign-in limits: failed attempts only, per client address and per account', () => {
  const PROXY = '10.200.0.1';
  let proxied: FastifyInstance;
  beforeAll(async () => {
    proxied = await buildTestAppWith(database, { SILLAGE_TRUST_PROXY: `${PROXY}, 10.201.0.0/24` });
  });
  afterAll(async () => {
    await proxied?.close();
  });

  const fail = (target: FastifyInstance, email: string, remoteAddress: string, forwardedFor?: string) =>
    submitSignIn(
      target,
      { email, password: 'pas-le-bon-mot-de-passe' },
      { remoteAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} },
    );

  it('ignores X-Forwarded-For from a peer that is not a listed proxy: forged addresses share its budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await fail(proxied, `inconnu-${i}@exemple.fr`, '10.3.0.1', `172.16.0.${i}`)).statusCode);
    expect(statuses).toEqual(Array(10).fill(401));
    const eleventh = await fail(proxied, 'inconnu-x@exemple.fr', '10.3.0.1', '172.16.1.1');
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.headers['content-type']).toContain('text/html');
    expect(eleventh.body).toContain('Trop de tentatives de connexion');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
    // Not even the right password opens the door from that address now.
    const right = await submitSignIn(
      proxied,
      { email: 'agent@exemple.fr', password: 'un-mot-de-passe-solide' },
      { remoteAddress: '10.3.0.1' },
    );
    expect(right.statusCode).toBe(429);
  });

  it('behind a listed proxy, counts the client it names, never what the client forged before it', async () => {
    for (let i = 0; i < 10; i++)
      expect((await fail(proxied, `client-${i}@exemple.fr`, PROXY, `6.6.6.${i}, 10.4.0.1`)).statusCode).toBe(401);
    expect((await fail(proxied, 'client-x@exemple.fr', PROXY, '6.6.7.1, 10.4.0.1')).statusCode).toBe(429);
    // Another client behind the same proxy (and a chain of listed proxies) keeps its own budget.
    expect((await fail(proxied, 'client-y@exemple.fr', PROXY, '10.4.0.2')).statusCode).toBe(401);
    expect((await fail(proxied, 'client-z@exemple.fr', PROXY, '10.4.0.3, 10.201.0.7')).statusCode).toBe(401);
  });

  it('blocks an account after 10 failures, from whatever address, but not its address for other accounts', async () => {
    await createUser(database.db, { email: 'cible@exemple.fr', password: 'un-mot-de-passe-solide', role: 'conseiller', scopes: [] });
    for (let i = 0; i < 10; i++) expect((await fail(app, 'Cible@Exemple.fr', `10.5.0.${i + 1}`)).statusCode).toBe(401);
    const right = await submitSignIn(app, { email: 'cible@exemple.fr', password: 'un-mot-de-passe-solide' }, { remoteAddress: '10.5.1.1' });
    expect(right.statusCode).toBe(429);
    expect(right.body).toContain('Trop de tentatives de connexion');
    expect(right.cookies.find((c) => c.name === 'sillage_session')).toBeUndefined();
    const other = await submitSignIn(app, { email: 'agent@exemple.fr', password: 'un-mot-de-passe-solide' }, { remoteAddress: '10.5.0.1' });
    expect(other.statusCode).toBe(303);
  });

  it('does not count successful sign-ins: a whole agency behind one address keeps signing in', async () => {
    for (let i = 0; i < 15; i++) {
      const ok = await submitSignIn(app, { email: 'agent@exemple.fr', password: 'un-mot-de-passe-solide' }, { remoteAddress: '10.6.0.1' });
      expect(ok.statusCode).toBe(303);
    }
    // Its budget of failures is whole: ten wrong passwords (other accounts) still answer 401.
    for (let i = 0; i < 10; i++) expect((await fail(app, `collegue-${i}@exemple.fr`, '10.6.0.1')).statusCode).toBe(401);
    expect((await fail(app, 'collegue-x@exemple.fr', '10.6.0.1')).statusCode).toBe(429);
  });
});

describe('an expired session', () => {
  it('is named on the sign-in page, once, instead of a silent redirect', async () => {
    const expiring = await signedIn(database, 'conseiller');
    await database.pool.query(`update sessions set expires_at = now() - interval '1 minute' where user_id = $1`, [expiring.userId]);
    forgetSessions(expiring.userId);
    const sent = await getPage(app, '/employeurs?region=84', expiring);
    expect(sent.statusCode).toBe(302);
    expect(sent.headers.location).toBe('/connexion?suite=%2Femployeurs%3Fregion%3D84');
    const page = await getPage(app, sent.headers.location as string, expiring);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Votre session a expiré : reconnectez-vous.');
    expect(page.body).toContain('name="suite" value="/employeurs?region=84"');
    // The dead cookie is dropped, so the message is not shown again.
    const cleared = page.cookies.find((c) => c.name === 'sillage_session');
    expect(cleared?.value).toBe('');
    expect((await getPage(app, '/connexion')).body).not.toContain('Votre session a expiré');
  });

  it('keeps its cookie past the session’s end, so that the browser still shows it was one', async () => {
    const response = await submitSignIn(
      app,
      { email: 'agent@exemple.fr', password: 'un-mot-de-passe-solide' },
      { remoteAddress: '10.7.0.1' },
    );
    const cookie = response.cookies.find((c) => c.name === 'sillage_session');
    expect(cookie?.maxAge).toBeGreaterThan(SESSION_HOURS * 3600);
  });

  it('says nothing to a visitor who never signed in or who signed out', async () => {
    expect((await getPage(app, '/connexion')).body).not.toContain('Votre session a expiré');
    const leaving = await signedIn(database, 'conseiller');
    const out = await app.inject({
      method: 'POST',
      url: '/deconnexion',
      cookies: leaving.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${leaving.csrf}`,
    });
    expect(out.statusCode).toBe(303);
    expect(out.cookies.find((c) => c.name === 'sillage_session')?.value).toBe('');
  });
});

describe('the sign-in CSRF cookie', () => {
  let proxied: FastifyInstance;
  beforeAll(async () => {
    proxied = await buildTestAppWith(database, { SILLAGE_TRUST_PROXY: '10.210.0.1' });
  });
  afterAll(async () => {
    await proxied?.close();
  });

  const csrfCookie = async (remoteAddress: string, headers: Record<string, string> = {}) =>
    (await openSignInForm(proxied, '/connexion', { remoteAddress, headers })).page.cookies.find((c) => c.name === 'sillage_csrf');

  it('is Secure over HTTPS, as the session cookie, and only then', async () => {
    const https = await csrfCookie('10.210.0.1', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.0.1' });
    expect(https?.secure).toBe(true);
    expect(https?.httpOnly).toBe(true);
    expect(https?.sameSite).toBe('Strict');
    expect((await csrfCookie('10.210.0.1', { 'x-forwarded-proto': 'http', 'x-forwarded-for': '10.9.0.1' }))?.secure).toBeFalsy();
    // A client that is not the listed proxy cannot claim HTTPS.
    expect((await csrfCookie('10.9.0.2', { 'x-forwarded-proto': 'https' }))?.secure).toBeFalsy();
    const signedInOverHttps = await submitSignIn(
      proxied,
      { email: 'agent@exemple.fr', password: 'un-mot-de-passe-solide' },
      { remoteAddress: '10.210.0.1', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.0.3' } },
    );
    expect(signedInOverHttps.statusCode).toBe(303);
    expect(signedInOverHttps.cookies.find((c) => c.name === 'sillage_session')?.secure).toBe(true);
    expect(signedInOverHttps.cookies.find((c) => c.name === 'sillage_csrf')?.secure).toBe(true);
  });
});
