import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, setDisabled } from '../../src/accounts/users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, getPage, postForm, signedIn } from '../helpers/web.js';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  await createUser(database.db, { email: 'Conseil@Exemple.fr', password: 'un-mot-de-passe-solide', role: 'conseiller', scopes: [] });
  app = await buildTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

/** The sign-in form as a browser gets it: its CSRF token in a hidden field and in a cookie. */
async function openSignInForm(ip = '10.0.0.1') {
  const page = await app.inject({ method: 'GET', url: '/connexion', headers: { accept: 'text/html' }, remoteAddress: ip });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookie = page.cookies.find((c) => c.name === 'sillage_csrf')?.value ?? '';
  return { token, cookie };
}

async function submitSignIn(fields: Record<string, string>, ip = '10.0.0.1') {
  const form = await openSignInForm(ip);
  return app.inject({
    method: 'POST',
    url: '/connexion',
    remoteAddress: ip,
    cookies: { sillage_csrf: form.cookie },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
  });
}

describe('web server: sign-in, sessions and security headers', () => {
  it('answers /healthz without a session', async () => {
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ statut: 'ok' });
  });

  it('sends an anonymous page request to the sign-in form and back, and answers anything else 401', async () => {
    const page = await getPage(app, '/employeurs?region=84');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/connexion?suite=%2Femployeurs%3Fregion%3D84');
    const api = await app.inject('/employeurs');
    expect(api.statusCode).toBe(401);
    expect(api.json()).toEqual({ statut: 401, erreur: 'Connexion requise.' });
    expect((await getPage(app, '/')).headers.location).toBe('/connexion');
  });

  it('serves the sign-in page in French under a strict CSP, with DSFR assets', async () => {
    const page = await getPage(app, '/connexion');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="fr"');
    expect(page.body).toContain('Connexion à Sillage');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const css = await app.inject('/dsfr/dsfr.min.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect((await app.inject('/vendor/chartjs/chart.umd.min.js')).statusCode).toBe(200);
  });

  it('refuses a sign-in without its CSRF token', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=conseil%40exemple.fr&password=un-mot-de-passe-solide',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().erreur).toContain('Jeton de sécurité');
  });

  it('refuses a wrong password in French, then signs in (email in any case) and lands on the role page', async () => {
    const wrong = await submitSignIn({ email: 'conseil@exemple.fr', password: 'pas-le-bon' }, '10.0.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Adresse électronique ou mot de passe incorrect.');
    const unknown = await submitSignIn({ email: 'personne@exemple.fr', password: 'pas-le-bon' }, '10.0.0.2');
    expect(unknown.body).toContain('Adresse électronique ou mot de passe incorrect.');
    const right = await submitSignIn({ email: 'CONSEIL@exemple.fr', password: 'un-mot-de-passe-solide' }, '10.0.0.2');
    expect(right.statusCode).toBe(303);
    const session = right.cookies.find((c) => c.name === 'sillage_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    const home = await app.inject({ url: '/', headers: { accept: 'text/html' }, cookies: { sillage_session: session?.value ?? '' } });
    expect(home.headers.location).toBe('/employeurs');
  });

  it('goes back to the page asked for, but never to another site', async () => {
    const back = await submitSignIn(
      { email: 'conseil@exemple.fr', password: 'un-mot-de-passe-solide', suite: '/methodologie' },
      '10.0.0.3',
    );
    expect(back.headers.location).toBe('/methodologie');
    const away = await submitSignIn(
      { email: 'conseil@exemple.fr', password: 'un-mot-de-passe-solide', suite: '//ailleurs.example' },
      '10.0.0.3',
    );
    expect(away.headers.location).toBe('/');
  });

  it('limits sign-in attempts per address: the eleventh within 15 minutes gets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await submitSignIn({ email: `inconnu-${i}@exemple.fr`, password: 'faux' }, '10.0.0.9')).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const other = await submitSignIn({ email: 'conseil@exemple.fr', password: 'faux' }, '10.0.0.10');
    expect(other.statusCode).toBe(401);
  });

  it('signs out only with the session’s CSRF token, and the session is gone afterwards', async () => {
    const user = await signedIn(database, 'conseiller');
    const forged = await postForm(app, '/deconnexion', { ...user, csrf: 'faux-jeton' }, {});
    expect(forged.statusCode).toBe(403);
    expect((await getPage(app, '/', user)).headers.location).toBe('/employeurs');
    const out = await postForm(app, '/deconnexion', user, {});
    expect(out.statusCode).toBe(303);
    expect((await getPage(app, '/', user)).headers.location).toBe('/connexion');
  });

  it('closes the sessions of a disabled account at once', async () => {
    const user = await signedIn(database, 'conseiller');
    await setDisabled(database.db, user.userId, true);
    expect((await getPage(app, '/', user)).headers.location).toBe('/connexion');
  });

  it('answers an unknown page with a French 404, as a page for browsers and as JSON otherwise', async () => {
    const user = await signedIn(database, 'conseiller');
    const json = await app.inject({ url: '/nulle-part', cookies: user.cookies });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toEqual({ statut: 404, erreur: 'Page introuvable : /nulle-part' });
    const page = await getPage(app, '/nulle-part', user);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('<h1>Page introuvable</h1>');
  });
});
