import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { ROLE_LABELS, type Role, type Scope } from './roles.js';
import { randomToken } from './sessions.js';
import { createUser, setPassword } from './users.js';

export type DemoCredential = { email: string; password: string; role: Role; scopes: Scope[] };

/** One account of each role over the demo data: the structure with most PASS IAE, the région with most exits. */
export async function createDemoAccounts(db: Kysely<Database>): Promise<void> {
  const structure = await sql<{ siret: string }>`
    select structure_siret as siret from iae_passes group by structure_siret order by count(*) desc, structure_siret limit 1`.execute(db);
  const region = await sql<{ code: string }>`
    select e.region_code as code from establishments e left join programme_outcomes o on o.structure_siret = e.siret
    where e.region_code is not null group by e.region_code order by count(o.exit_date) desc, count(*) desc, e.region_code limit 1`.execute(
    db,
  );
  const accounts: { role: Role; scopes: Scope[] }[] = [
    { role: 'admin', scopes: [] },
    { role: 'conseiller', scopes: [] },
    { role: 'structure', scopes: structure.rows.map((r) => ({ kind: 'siret', code: r.siret })) },
    { role: 'financeur', scopes: region.rows.map((r) => ({ kind: 'region', code: r.code })) },
  ];
  for (const { role, scopes } of accounts) {
    if (scopes.length === 0 && (role === 'structure' || role === 'financeur')) continue;
    await createUser(db, { email: `${role}@demo.sillage.fr`, password: randomToken(), role, scopes, demo: true });
  }
}

/** Demo accounts get a fresh password at each start, printed once: none is ever stored in clear. */
export async function renewDemoPasswords(db: Kysely<Database>): Promise<DemoCredential[]> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'role'])
    .where('demo', '=', true)
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
  const credentials: DemoCredential[] = [];
  for (const user of users) {
    const password = randomToken().slice(0, 16);
    await setPassword(db, user.id, password);
    const scopes = await db.selectFrom('user_scopes').select(['kind', 'code']).where('user_id', '=', user.id).execute();
    credentials.push({
      email: user.email,
      password,
      role: user.role,
      scopes: scopes.map((s) => (s.kind === 'france' ? { kind: 'france' } : { kind: s.kind, code: s.code })),
    });
  }
  return credentials;
}

export const describeCredentials = (credentials: DemoCredential[]) =>
  [
    'Comptes de démonstration (mots de passe renouvelés à chaque démarrage) :',
    ...credentials.map((c) => `  ${ROLE_LABELS[c.role].padEnd(18)} ${c.email.padEnd(30)} ${c.password}`),
  ].join('\n');
