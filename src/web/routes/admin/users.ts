import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ROLE_LABELS, ROLES, type Role, type Scope } from '../../../accounts/roles.js';
import { describeScopes, parseScopes, ScopeError } from '../../../accounts/scope-spec.js';
import { randomToken } from '../../../accounts/sessions.js';
import { AccountError, createUser, listUsers, normalizeEmail, setDisabled } from '../../../accounts/users.js';
import type { RouteDependencies } from '../../app.js';

// Accounts: the list, a creation form whose generated password is shown once, disabling and re-enabling.

const PASSWORD_LENGTH = 20;

const newUserForm = z.object({
  email: z.string().trim().min(1, 'Saisissez l’adresse électronique du nouveau compte.').max(254, 'Adresse électronique trop longue.'),
  role: z.enum(ROLES, { error: 'Choisissez le rôle du compte.' }),
  scope: z.string().trim().max(10_000, 'Périmètre trop long.').default(''),
});
type NewUserForm = { email?: string; role?: string; scope?: string };

const userParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

const doneQuery = z.object({ desactiver: userParams.shape.id.optional(), reactiver: userParams.shape.id.optional() });

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The scopes of the form, or why they do not fit the role, in the form's words (not the command line's). */
function scopesOf(role: Role, scope: string) {
  if ((role === 'admin' || role === 'conseiller') && scope !== '') {
    throw new ScopeError(`un compte ${ROLE_LABELS[role]} voit tout le territoire : laissez le périmètre vide.`);
  }
  if (role === 'structure' && scope === '') {
    throw new ScopeError('un compte structure a besoin d’un périmètre : un ou plusieurs SIRET séparés par des virgules.');
  }
  if (role === 'financeur' && scope === '') {
    throw new ScopeError('un compte financeur a besoin d’un périmètre : france, region:<code> ou departement:<code>,<code>…');
  }
  return parseScopes(role, scope);
}

export async function userRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  type PageData = { errors?: string[]; form?: NewUserForm; errorTitle?: string; done?: { action: string; id: number } };
  const showUsers = async (reply: FastifyReply, { done, ...data }: PageData = {}) => {
    const users = (await listUsers(db)).map((user) => ({
      ...user,
      roleLabel: ROLE_LABELS[user.role],
      scopeText: describeScopes(user.scopes),
      self: user.id === reply.request.user?.id,
    }));
    const changed = done && users.find((user) => user.id === done.id);
    const success =
      changed && `Le compte ${changed.email} a été ${done.action === 'desactiver' ? 'désactivé : ses sessions sont fermées' : 'réactivé'}.`;
    return reply.page('pages/admin/users', {
      title: 'Comptes utilisateurs',
      users,
      roles: ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] })),
      form: {},
      success,
      ...data,
    });
  };

  app.get('/admin/utilisateurs', async (request, reply) => {
    const query = doneQuery.safeParse(request.query);
    const done = query.success ? (query.data.desactiver ?? query.data.reactiver) : undefined;
    const action = query.success && query.data.desactiver !== undefined ? 'desactiver' : 'reactiver';
    return showUsers(reply, { done: done === undefined ? undefined : { action, id: done } });
  });

  app.post('/admin/utilisateurs', async (request, reply) => {
    const submitted = (request.body ?? {}) as NewUserForm;
    const form = newUserForm.safeParse(submitted);
    if (!form.success) {
      return showUsers(reply.status(400), { errors: form.error.issues.map((issue) => issue.message), form: submitted });
    }
    const { email, role, scope } = form.data;
    const password = randomToken().slice(0, PASSWORD_LENGTH);
    let scopes: Scope[];
    try {
      scopes = scopesOf(role, scope);
      await createUser(db, { email, password, role, scopes });
    } catch (error) {
      if (!(error instanceof ScopeError || error instanceof AccountError)) throw error;
      return showUsers(reply.status(400), {
        errors: [capitalize(error.message)],
        form: submitted,
        errorTitle: 'Le compte n’a pas été créé',
      });
    }
    // The password exists nowhere else: this page must not stay in a cache.
    reply.header('cache-control', 'no-store');
    return reply.page('pages/admin/user-created', {
      title: 'Compte créé',
      account: { email: normalizeEmail(email), roleLabel: ROLE_LABELS[role], scopeText: describeScopes(scopes) },
      password,
    });
  });

  for (const [action, disabled] of [
    ['desactiver', true],
    ['reactiver', false],
  ] as const) {
    app.post(`/admin/utilisateurs/:id/${action}`, async (request, reply) => {
      const params = userParams.safeParse(request.params);
      const users = params.success ? await listUsers(db) : [];
      const target = users.find((user) => user.id === params.data?.id);
      if (!target) return showUsers(reply.status(404), { errors: ['Compte introuvable : vérifiez la liste ci-dessous.'] });
      if (disabled && target.id === request.user?.id) {
        return showUsers(reply.status(400), {
          errors: ['Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.'],
        });
      }
      await setDisabled(db, target.id, disabled);
      return reply.redirect(`/admin/utilisateurs?${action}=${target.id}`, 303);
    });
  }
}
