import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { checkCredentials, closeSession, openSession, randomToken } from '../../accounts/sessions.js';
import { accountKey, addressKey, FailedAttempts, tooManyFailures } from '../../accounts/sign-in-limit.js';
import { normalizeEmail } from '../../accounts/users.js';
import type { Database } from '../../db/schema.js';
import { HOME_BY_ROLE } from '../access.js';
import { SIGN_IN_CSRF_COOKIE } from '../plugins/csrf.js';
import { SESSION_COOKIE } from '../plugins/session.js';

const signInForm = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  suite: z.unknown().optional(),
});

// A made-up origin to resolve `suite` against: whatever would leave it would leave Sillage too.
const BASE = 'http://sillage.invalid';
const SUITE_MAX_LENGTH = 2048;
const onBase = (target: string) => URL.canParse(target, BASE) && new URL(target, BASE).origin === BASE;

/** A path of this site, as the URL parser (and so the browser) reads it, normalised and percent-encoded; else undefined. */
export function localPath(target: unknown): string | undefined {
  if (typeof target !== 'string' || !target.startsWith('/') || target.length > SUITE_MAX_LENGTH || !onBase(target)) return undefined;
  const url = new URL(target, BASE);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil` normalises to `//evil`: the normalised form must itself stay on the site.
  return path.startsWith('/') && !path.startsWith('//') && onBase(path) ? path : undefined;
}

// Secure over HTTPS as the session cookie is (request.protocol believes X-Forwarded-Proto from listed proxies only).
const csrfCookieOptions = (request: FastifyRequest) => ({
  path: '/connexion',
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: request.protocol === 'https',
});

export async function signInRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const showForm = (
    reply: import('fastify').FastifyReply,
    data: { errors?: string[]; email?: string; suite?: string; notice?: string },
  ) => {
    const csrfToken = randomToken();
    reply.setCookie(SIGN_IN_CSRF_COOKIE, csrfToken, csrfCookieOptions(reply.request));
    return reply.page('pages/sign-in', { title: 'Connexion', csrfToken, ...data });
  };

  app.get('/connexion', async (request, reply) => {
    const suite = localPath((request.query as { suite?: unknown }).suite);
    if (request.user) return reply.redirect(suite ?? HOME_BY_ROLE[request.user.role]);
    // A session cookie that opens nothing: its session expired or was closed; dropped so that this is said once.
    if (request.cookies[SESSION_COOKIE] !== undefined) {
      reply.endSession();
      return showForm(reply, { suite, notice: 'Votre session a expiré : reconnectez-vous.' });
    }
    return showForm(reply, { suite });
  });

  // Per address (request.ip: only listed proxies are believed) and per account, whether the account exists or not.
  const failures = new FailedAttempts();

  app.post('/connexion', async (request, reply) => {
    const form = signInForm.safeParse(request.body);
    if (!form.success) return showForm(reply.status(400), { errors: ['Saisissez votre adresse électronique et votre mot de passe.'] });
    const keys = [addressKey(request.ip), accountKey(normalizeEmail(form.data.email))];
    const wait = failures.blockedFor(keys);
    if (wait > 0) {
      reply.status(429).header('retry-after', Math.ceil(wait / 1000));
      return showForm(reply, { errors: [tooManyFailures(wait)], email: form.data.email, suite: localPath(form.data.suite) });
    }
    failures.begin(keys);
    const userId = await checkCredentials(db, form.data.email, form.data.password);
    if (userId !== null) failures.succeeded(keys);
    if (userId === null) {
      return showForm(reply.status(401), {
        errors: ['Adresse électronique ou mot de passe incorrect.'],
        email: form.data.email,
        suite: localPath(form.data.suite),
      });
    }
    reply.clearCookie(SIGN_IN_CSRF_COOKIE, csrfCookieOptions(request));
    reply.startSession(await openSession(db, userId));
    return reply.redirect(localPath(form.data.suite) ?? '/', 303);
  });

  app.post('/deconnexion', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await closeSession(db, token);
    return reply.endSession().redirect('/connexion', 303);
  });

  app.get('/', async (request, reply) => reply.redirect(request.user ? HOME_BY_ROLE[request.user.role] : '/connexion'));
}
