import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role, Scope } from '../../src/accounts/roles.js';
import { openSession, readSession } from '../../src/accounts/sessions.js';
import { createUser } from '../../src/accounts/users.js';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { buildApp } from '../../src/web/app.js';
import { SESSION_COOKIE } from '../../src/web/plugins/session.js';

export const buildTestApp = (database: Pick<DatabaseHandle, 'db' | 'pool'>): Promise<FastifyInstance> =>
  buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });

export type SignedIn = { userId: number; email: string; cookies: { [SESSION_COOKIE]: string }; csrf: string };

/** A new account of that role and scope, with an open session (the sign-in form itself is tested apart). */
export async function signedIn(database: Pick<DatabaseHandle, 'db'>, role: Role, scopes: Scope[] = []): Promise<SignedIn> {
  const email = `${role}-${randomBytes(4).toString('hex')}@exemple.fr`;
  const userId = await createUser(database.db, { email, password: 'mot-de-passe-de-test', role, scopes });
  const token = await openSession(database.db, userId);
  const session = await readSession(database.db, token);
  return { userId, email, cookies: { [SESSION_COOKIE]: token }, csrf: session?.csrfToken ?? '' };
}

/** One signed-in user per role: the structure holds SIRET 12345678900012, the funder département 59. */
export async function signedInEveryRole(database: Pick<DatabaseHandle, 'db'>): Promise<Map<Role, SignedIn>> {
  return new Map<Role, SignedIn>([
    ['admin', await signedIn(database, 'admin')],
    ['conseiller', await signedIn(database, 'conseiller')],
    ['structure', await signedIn(database, 'structure', [{ kind: 'siret', code: '12345678900012' }])],
    ['financeur', await signedIn(database, 'financeur', [{ kind: 'departement', code: '59' }])],
  ]);
}

/** A page as a browser asks for it. */
export const getPage = (app: FastifyInstance, url: string, as?: SignedIn): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'GET', url, headers: { accept: 'text/html' }, cookies: as?.cookies });

/** A form post with its CSRF token. */
export const postForm = (
  app: FastifyInstance,
  url: string,
  as: SignedIn,
  fields: Record<string, string>,
): Promise<LightMyRequestResponse> =>
  app.inject({
    method: 'POST',
    url,
    cookies: as.cookies,
    payload: new URLSearchParams({ _csrf: as.csrf, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

/** Runs a refresh or an import, then waits until the server has dropped its kept indicator reads (NOTIFY). */
export async function andWaitForNotice<T>(app: FastifyInstance, work: () => Promise<T>): Promise<T> {
  const before = app.indicators.clears;
  const result = await work();
  for (let i = 0; i < 100 && app.indicators.clears === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (app.indicators.clears === before) throw new Error('aucune notification de rafraîchissement reçue');
  return result;
}

/** The app under an environment of its own (a proxy list, for instance), silent like buildTestApp. */
export const buildTestAppWith = (database: Pick<DatabaseHandle, 'db' | 'pool'>, env: Record<string, string>): Promise<FastifyInstance> =>
  buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), database });

type ClientOptions = { remoteAddress?: string; headers?: Record<string, string> };

/** The sign-in form as a browser gets it: its CSRF token in a hidden field and in a cookie. */
export async function openSignInForm(app: FastifyInstance, url = '/connexion', client: ClientOptions = {}) {
  const page = await app.inject({
    method: 'GET',
    url,
    headers: { accept: 'text/html', ...client.headers },
    remoteAddress: client.remoteAddress,
  });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookie = page.cookies.find((c) => c.name === 'sillage_csrf')?.value ?? '';
  return { page, token, cookie };
}

/** Opens the sign-in form then posts it, from one client address (and its headers, such as X-Forwarded-For). */
export async function submitSignIn(app: FastifyInstance, fields: Record<string, string>, client: ClientOptions = {}) {
  const form = await openSignInForm(app, '/connexion', client);
  return app.inject({
    method: 'POST',
    url: '/connexion',
    remoteAddress: client.remoteAddress,
    cookies: { sillage_csrf: form.cookie },
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...client.headers },
    payload: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
  });
}
