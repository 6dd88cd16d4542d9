import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ApiTokenError,
  createApiToken,
  listApiTokens,
  MAX_ACTIVE_TOKENS,
  revokeApiToken,
  TOKEN_NAME_MAX,
} from '../../accounts/api-tokens.js';
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords.js';
import type { SessionUser } from '../../accounts/roles.js';
import { describeScopes } from '../../accounts/scope-spec.js';
import { accountKey, FailedAttempts } from '../../accounts/sign-in-limit.js';
import { changeOwnPassword } from '../../accounts/users.js';
import { AccessDenied } from '../access.js';
import type { RouteDependencies } from '../app.js';
import { SESSION_COOKIE } from '../plugins/session.js';

// The signed-in user's own page (issue 5): their personal API tokens, created (shown once) and revoked here;
// their password, changed with the current one (issue 12).

const newTokenForm = z.object({
  nom: z
    .string({ error: 'Donnez un nom au jeton (par exemple « tableur du service »).' })
    .trim()
    .min(1, 'Donnez un nom au jeton (par exemple « tableur du service »).')
    .max(TOKEN_NAME_MAX, `Le nom du jeton compte ${TOKEN_NAME_MAX} caractères au plus.`),
});

const passwordForm = z
  .object({
    actuel: z.string({ error: 'Saisissez votre mot de passe actuel.' }).min(1, 'Saisissez votre mot de passe actuel.').max(1024),
    nouveau: z
      .string({ error: `Le nouveau mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.` })
      .min(MIN_PASSWORD_LENGTH, `Le nouveau mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`)
      .max(1024, 'Le nouveau mot de passe compte 1 024 caractères au plus.'),
    confirmation: z.string().default(''),
  })
  .refine((form) => form.confirmation === form.nouveau, {
    message: 'La confirmation ne reprend pas le nouveau mot de passe : saisissez-le deux fois à l’identique.',
  })
  .refine((form) => form.nouveau !== form.actuel, { message: 'Le nouveau mot de passe doit différer de l’actuel.' });

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
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxActiveTokens: MAX_ACTIVE_TOKENS,
      ...data,
    });
  };

  app.get('/compte', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const revoked = tokenParams.shape.id.safeParse(query.revoque);
    if (query['mot-de-passe'] === 'change') {
      return showAccount(reply, { success: 'Votre mot de passe a été changé ; vos autres sessions sont fermées.' });
    }
    return showAccount(reply, { success: revoked.success ? 'Le jeton a été révoqué : il n’ouvre plus l’API.' : undefined });
  });

  // A stolen session must not become a way to guess the password: wrong current passwords are counted per account.
  const wrongPasswords = new FailedAttempts();

  app.post('/compte/mot-de-passe', async (request, reply) => {
    const user = signedInUser(request);
    const form = passwordForm.safeParse(request.body ?? {});
    if (!form.success) {
      return showAccount(reply.status(400), { errors: [...new Set(form.error.issues.map((issue) => issue.message))] });
    }
    const keys = [accountKey(user.id)];
    const wait = wrongPasswords.blockedFor(keys);
    if (wait > 0) {
      reply.status(429).header('retry-after', Math.ceil(wait / 1000));
      const minutes = Math.max(1, Math.ceil(wait / 60_000));
      return showAccount(reply, { errors: [`Trop d’essais du mot de passe actuel : réessayez dans ${minutes} minute(s).`] });
    }
    wrongPasswords.begin(keys);
    const changed = await changeOwnPassword(db, user.id, {
      current: form.data.actuel,
      next: form.data.nouveau,
      keepSession: request.cookies[SESSION_COOKIE],
    });
    if (!changed) return showAccount(reply.status(400), { errors: ['Mot de passe actuel incorrect : votre mot de passe n’a pas changé.'] });
    wrongPasswords.succeeded(keys);
    return reply.redirect('/compte?mot-de-passe=change', 303);
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
