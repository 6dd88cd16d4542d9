import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../../accounts/roles.js';
import { readSession, SESSION_HOURS } from '../../accounts/sessions.js';
import type { Database } from '../../db/schema.js';
import { isPublicPath, sendToSignIn } from '../access.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
  interface FastifyReply {
    startSession(token: string): FastifyReply;
    endSession(): FastifyReply;
  }
}

export const SESSION_COOKIE = 'sillage_session';
// The cookie outlives its session by a week: a browser that still sends it tells an expired session from a first visit.
const SESSION_COOKIE_SECONDS = SESSION_HOURS * 3600 + 7 * 24 * 3600;

const cookieOptions = (request: FastifyRequest) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: request.protocol === 'https',
});

/** Reads the session cookie on every request; anonymous visitors only reach public paths. */
export const sessionPlugin = fp(
  async (app: FastifyInstance, { db }: { db: Kysely<Database> }) => {
    await app.register(fastifyCookie);
    app.decorateRequest('user', null);
    app.decorateReply('startSession', function (this: FastifyReply, token: string) {
      return this.setCookie(SESSION_COOKIE, token, { ...cookieOptions(this.request), maxAge: SESSION_COOKIE_SECONDS });
    });
    app.decorateReply('endSession', function (this: FastifyReply) {
      return this.clearCookie(SESSION_COOKIE, cookieOptions(this.request));
    });
    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token && !request.url.startsWith('/dsfr/') && !request.url.startsWith('/static/')) {
        request.user = await readSession(db, token);
      }
      if (!request.user && !isPublicPath(request.url)) return sendToSignIn(request, reply);
    });
  },
  { name: 'session' },
);
