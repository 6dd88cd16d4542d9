import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiTokenError, createApiToken, listApiTokens, revokeApiToken, TOKEN_NAME_MAX } from '../../accounts/api-tokens.js';
import type { SessionUser } from '../../accounts/roles.js';
import { describeScopes } from '../../accounts/scope-spec.js';
import { AccessDenied } from '../access.js';
import type { RouteDependencies } from '../app.js';

// The signed-in user's own page (issue 5): their personal API tokens, created (shown once) and revoked here.

const newTokenForm = z.object({
  nom: z
    .string({ error: 'Donnez un nom au jeton (par exemple « tableur du service »).' })
    .trim()
    .min(1, 'Donnez un nom au jeton (par exemple « tableur du service »).')
    .max(TOKEN_NAME_MAX, `Le nom du jeton compte ${TOKEN_NAME_MAX} caractères au plus.`),
});

const tokenParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

// Every signed-in role may open its own page: the session guard has already turned away anonymous visitors.
function signedInUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AccessDenied();
  return request.user;
}

export async function accountRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  // A token appears on these pages once: none may stay in a cache.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const showAccount = async (reply: FastifyReply, data: { errors?: string[]; name?: string; success?: string } = {}) => {
    const user = signedInUser(reply.request);
    const tokens = await listApiTokens(db, user.id);
    return reply.page('pages/account/index', {
      title: 'Mon compte',
      scopeText: describeScopes(user.scopes),
      tokens,
      name: '',
      ...data,
    });
  };

  app.get('/compte', async (request, reply) => {
    const revoked = tokenParams.shape.id.safeParse((request.query as Record<string, unknown>).revoque);
    return showAccount(reply, { success: revoked.success ? 'Le jeton a été révoqué : il n’ouvre plus l’API.' : undefined });
  });

  app.post('/compte/jetons', async (request, reply) => {
    const user = signedInUser(request);
    const submitted = (request.body ?? {}) as Record<string, unknown>;
    const form = newTokenForm.safeParse(submitted);
    if (!form.success) {
      return showAccount(reply.status(400), {
        errors: form.error.issues.map((issue) => issue.message),
        name: typeof submitted.nom === 'string' ? submitted.nom : '',
      });
    }
    try {
      const { token } = await createApiToken(db, user.id, form.data.nom);
      return reply.page('pages/account/token-created', { title: 'Jeton créé', name: form.data.nom, token });
    } catch (error) {
      if (!(error instanceof ApiTokenError)) throw error;
      return showAccount(reply.status(400), { errors: [error.message], name: form.data.nom });
    }
  });

  app.post('/compte/jetons/:id/revoquer', async (request, reply) => {
    const user = signedInUser(request);
    const params = tokenParams.safeParse(request.params);
    const id = params.success ? params.data.id : null;
    // Another user's token gets the same answer as an unknown one.
    if (id === null || !(await revokeApiToken(db, user.id, id))) {
      return showAccount(reply.status(404), { errors: ['Jeton introuvable ou déjà révoqué : vérifiez la liste ci-dessous.'] });
    }
    return reply.redirect(`/compte?revoque=${id}`, 303);
  });
}
