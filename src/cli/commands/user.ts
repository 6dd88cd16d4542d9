import { parseArgs } from 'node:util';
import { ROLE_LABELS, ROLES, type Role } from '../../accounts/roles.js';
import { describeScopes, parseScopes, ScopeError } from '../../accounts/scope-spec.js';
import { randomToken } from '../../accounts/sessions.js';
import { AccountError, createUser, listUsers } from '../../accounts/users.js';
import { EXIT_OK, withDatabase } from '../context.js';
import { UsageError } from '../usage-error.js';

const USAGE = `usage : sillage user add --email <adresse> --role <${ROLES.join('|')}> [--scope <périmètre>] [--password-stdin]
        sillage user list`;

/** `sillage user add|list`: accounts from the command line; a password is generated unless given on stdin. */
export async function userCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  if (positionals[0] === 'list' && positionals.length === 1) return listAccounts();
  if (positionals[0] !== 'add' || positionals.length !== 1 || !values.email || !values.role) throw new UsageError(USAGE);
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new UsageError(`rôle inconnu : ${values.role} (attendu : ${ROLES.join(', ')}).`);
  let scopes: ReturnType<typeof parseScopes>;
  try {
    scopes = parseScopes(role, values.scope);
  } catch (error) {
    if (error instanceof ScopeError) throw new UsageError(error.message);
    throw error;
  }
  const password = values['password-stdin'] ? (await readStdin()).replace(/\r?\n$/, '') : randomToken().slice(0, 20);
  return withDatabase(async ({ database }) => {
    try {
      await createUser(database.db, { email: values.email as string, password, role, scopes });
    } catch (error) {
      if (error instanceof AccountError) throw new UsageError(error.message);
      throw error;
    }
    const scopeText = scopes.length > 0 ? `, périmètre ${describeScopes(scopes)}` : '';
    process.stdout.write(`Compte créé : ${values.email?.toLowerCase()} (${ROLE_LABELS[role]}${scopeText}).\n`);
    if (!values['password-stdin']) process.stdout.write(`Mot de passe (affiché une seule fois) : ${password}\n`);
    return EXIT_OK;
  });
}

async function listAccounts(): Promise<number> {
  return withDatabase(async ({ database }) => {
    for (const user of await listUsers(database.db)) {
      const state = user.disabled ? ' [désactivé]' : '';
      process.stdout.write(`${user.email.padEnd(36)} ${ROLE_LABELS[user.role].padEnd(18)} ${describeScopes(user.scopes)}${state}\n`);
    }
    return EXIT_OK;
  });
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
