import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export const SIGN_IN_CSRF_COOKIE = 'sillage_csrf';

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const submittedToken = (request: FastifyRequest) =>
  (request.headers['x-csrf-token'] as string | undefined) ?? (request.body as Record<string, unknown> | undefined)?._csrf?.toString();

class StaleCsrfToken extends Error {
  statusCode = 403;
  constructor() {
    super('Jeton de sécurité absent ou périmé : rechargez la page et renvoyez le formulaire.');
  }
}

/**
 * Every form and every upload carries a token: the session's (synchronizer token), or before sign-in the one
 * set in a cookie with the form (double submit). Uploads send it as the `x-csrf-token` header.
 */
export const csrfPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
      const expected = request.user?.csrfToken ?? request.cookies[SIGN_IN_CSRF_COOKIE];
      // Thrown, not sent: the error handler shows a browser the page inside its signed-in layout.
      if (!same(submittedToken(request), expected)) throw new StaleCsrfToken();
    });
  },
  { name: 'csrf', dependencies: ['session'] },
);
