import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCredentials } from '../../src/accounts/sessions.js';
import { listUsers } from '../../src/accounts/users.js';
import { cliEnv, runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  env = cliEnv(database.url);
});
afterAll(async () => {
  await database.drop();
});

describe('sillage user', () => {
  it('creates a structure account with its SIRETs and prints a password that signs in', async () => {
    const added = await runCli(
      ['user', 'add', '--email', 'Gestion@SIAE.fr', '--role', 'structure', '--scope', '12345678900012,98765432100017'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Compte créé : gestion@siae.fr (Structure (SIAE), périmètre 12345678900012,98765432100017).');
    const password = /affiché une seule fois\) : (\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(password).toHaveLength(20);
    expect(await checkCredentials(database.db, 'gestion@siae.fr', password)).toBeTypeOf('number');
    const [user] = await listUsers(database.db);
    expect(user?.scopes).toEqual([
      { kind: 'siret', code: '12345678900012' },
      { kind: 'siret', code: '98765432100017' },
    ]);
    // Stored as an argon2id hash, never in clear.
    const { rows } = await database.pool.query('select password_hash from users');
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const again = await runCli(['user', 'add', '--email', 'gestion@siae.fr', '--role', 'admin'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Erreur : un compte existe déjà pour gestion@siae.fr.\n');
  });

  it('creates funder accounts for a région or départements, and lists every account', async () => {
    expect((await runCli(['user', 'add', '--email', 'region@ara.fr', '--role', 'financeur', '--scope', 'region:84'], env)).code).toBe(0);
    expect(
      (await runCli(['user', 'add', '--email', 'deps@idf.fr', '--role', 'financeur', '--scope', 'dep:75,departement:2A'], env)).code,
    ).toBe(0);
    const listed = await runCli(['user', 'list'], env);
    expect(listed.stdout).toMatch(/deps@idf\.fr\s+Financeur\s+departement:2A,departement:75/);
    expect(listed.stdout).toMatch(/region@ara\.fr\s+Financeur\s+region:84/);
  });

  it('refuses bad roles and scopes with a French message and creates nothing', async () => {
    const cases: [string[], string][] = [
      [['--role', 'chef'], 'Erreur : rôle inconnu : chef (attendu : admin, conseiller, structure, financeur).\n'],
      [['--role', 'structure'], 'Erreur : un compte structure a besoin de --scope avec un ou plusieurs SIRET séparés par des virgules.\n'],
      [['--role', 'structure', '--scope', '1234'], 'Erreur : « 1234 » n’est pas un SIRET (14 chiffres).\n'],
      [
        ['--role', 'financeur', '--scope', 'region:84,departement:69'],
        'Erreur : un financeur couvre soit la France entière, soit une région, soit une liste de départements.\n',
      ],
      [['--role', 'financeur', '--scope', 'departement:00'], 'Erreur : département inconnu(e) : 00.\n'],
      [['--role', 'conseiller', '--scope', 'france'], 'Erreur : le rôle conseiller voit tout le territoire : retirez --scope.\n'],
    ];
    for (const [options, message] of cases) {
      const result = await runCli(['user', 'add', '--email', 'x@y.fr', ...options], env);
      expect([result.code, result.stderr]).toEqual([1, message]);
    }
    expect((await listUsers(database.db)).map((u) => u.email)).not.toContain('x@y.fr');
  });
});

describe('sillage start', () => {
  it('loads the demo set into an empty database, creates one account per role and prints credentials that sign in', async () => {
    const demo = await createTestDatabase();
    const child = startCli(['start'], cliEnv(demo.url, { PORT: '0', SILLAGE_DEMO_PERSONS: '60', SILLAGE_DEMO_MONTHS: '6' }));
    let stdout = '';
    const address = await new Promise<string>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /écoute sur (http:\/\/[^/\s]+)\//.exec(stdout);
        if (match) resolve(match[1] as string);
      });
    });
    try {
      const credentials = [...stdout.matchAll(/^ {2}(\S.*?)\s{2,}(\S+@demo\.sillage\.fr)\s+(\S+)$/gm)].map((m) => [m[1], m[2], m[3]]);
      expect(credentials.map(([role, email]) => [role, email])).toEqual([
        ['Administrateur', 'admin@demo.sillage.fr'],
        ['Conseiller', 'conseiller@demo.sillage.fr'],
        ['Structure (SIAE)', 'structure@demo.sillage.fr'],
        ['Financeur', 'financeur@demo.sillage.fr'],
      ]);
      for (const [, email, password] of credentials) {
        expect(await checkCredentials(demo.db, email as string, password as string)).toBeTypeOf('number');
      }
      expect((await fetch(`${address}/healthz`)).status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.on('close', resolve));
      child.kill('SIGTERM');
      await exited;
      await demo.drop();
    }
  });
});
