import { readdir } from 'node:fs/promises';
import os from 'node:os';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, Scope } from '../../src/accounts/roles.js';
import { checkCredentials } from '../../src/accounts/sessions.js';
import { createUser } from '../../src/accounts/users.js';
import { loadConfig } from '../../src/config.js';
import { recordParticipantView } from '../../src/participants/repository.js';
import { buildApp } from '../../src/web/app.js';
import { receiveUpload, UploadError } from '../../src/web/routes/admin/upload-files.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, individual, pay } from '../helpers/dsn-builder.js';
import { getPage, postForm, type SignedIn, signedIn } from '../helpers/web.js';

let database: TestDatabase;
let app: FastifyInstance;
let admin: SignedIn;

const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
  (await database.pool.query(text, values)).rows as T[];
const count = async (table: string) => (await query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n ?? -1;

type UploadFile = { name: string; content: string | Buffer };

/** A multipart body as a browser's FormData makes it, serialized by the platform's own Response. */
async function multipart(fields: Record<string, string>, files: UploadFile[]) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append('fichiers', new Blob([typeof file.content === 'string' ? Buffer.from(file.content, 'latin1') : file.content]), file.name);
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') ?? '' };
}

/** The upload as upload.js sends it: CSRF header, JSON answer wanted. */
async function upload(as: SignedIn, fields: Record<string, string>, files: UploadFile[], headers: Record<string, string> = {}) {
  const body = await multipart(fields, files);
  return app.inject({
    method: 'POST',
    url: '/admin/import',
    cookies: as.cookies,
    payload: body.payload,
    headers: { 'content-type': body.contentType, 'x-csrf-token': as.csrf, accept: 'application/json', ...headers },
  });
}

const uploadFolders = async () => (await readdir(os.tmpdir())).filter((name) => name.startsWith('sillage-depot-'));

const SIAE = { siren: '123456789', nic: '00012', naf: '8899B', postalCode: '59000', town: 'LILLE' };
const goodDsn = envoi(
  declaration(
    { ...SIAE, month: '2024-01' },
    individual({ nir: '2850759123456', lastName: "D'ALMEIDA", firstNames: 'HÉLÈNE', birth: '15071985' }),
    contract({ start: '2024-01-08', number: 'C1', nature: '02', scheme: '71', complement: '02', plannedEnd: '2024-07-07' }),
    pay('C1', '2024-01-01', '2024-01-31', '104.00'),
  ),
);
// The same month of another establishment, whose contract starts on a day that does not exist.
const badDsn = envoi(
  declaration(
    { ...SIAE, nic: '00020', month: '2024-01' },
    individual({ nir: '1850759123457', lastName: 'MARTIN', birth: '01011985' }),
    contract({ start: '2024-02-31', number: 'X1' }),
  ),
);
const badLine = badDsn.split('\n').findIndex((line) => line.startsWith("S21.G00.40.001,'31022024'")) + 1;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', SILLAGE_NIR_KEY: TEST_NIR_KEY }), database });
  admin = await signedIn(database, 'admin');
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('administration: access', () => {
  const pages = ['/admin', '/admin/imports/1', '/admin/import', '/admin/utilisateurs', '/admin/journal'];
  const forms = ['/admin/utilisateurs', '/admin/utilisateurs/1/desactiver', '/admin/utilisateurs/1/reactiver'];
  const others: [Role, Scope[]][] = [
    ['conseiller', []],
    ['structure', [{ kind: 'siret', code: '12345678900012' }]],
    ['financeur', [{ kind: 'france' }]],
  ];

  it.each(others)('refuses every page and every form to a %s (403), and loads nothing', async (role, scopes) => {
    const user = await signedIn(database, role, scopes);
    for (const url of pages) {
      const page = await getPage(app, url, user);
      expect(page.statusCode, url).toBe(403);
      expect(page.body).toContain('Accès refusé');
    }
    for (const url of forms) expect((await postForm(app, url, user, { email: 'x@exemple.fr', role: 'admin' })).statusCode, url).toBe(403);
    const runs = await count('ingest_runs');
    expect((await upload(user, { kind: 'dsn' }, [{ name: 'bon.dsn', content: goodDsn }])).statusCode).toBe(403);
    expect(await count('ingest_runs')).toBe(runs);
    expect(await count('users')).toBeGreaterThan(0);
    expect((await query('select 1 from users where email = $1', ['x@exemple.fr'])).length).toBe(0);
  });

  it('sends an anonymous visitor to the sign-in page, and answers an anonymous post 401', async () => {
    for (const url of pages) {
      const page = await getPage(app, url);
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe(`/connexion?suite=${encodeURIComponent(url)}`);
    }
    const post = await app.inject({ method: 'POST', url: '/admin/utilisateurs', payload: { email: 'x@exemple.fr' } });
    expect(post.statusCode).toBe(401);
  });
});

describe('administration: uploads', () => {
  it('loads two DSN files, one with a bad line, then refreshes the indicators and reports the rejection', async () => {
    const foldersBefore = await uploadFolders();
    expect(await count('person_months')).toBe(0);
    const response = await upload(admin, { kind: 'dsn' }, [
      { name: 'bon.dsn', content: goodDsn },
      { name: 'mauvais.dsn', content: badDsn },
    ]);
    expect(response.statusCode).toBe(200);
    const { runId, rapport } = response.json();
    expect(rapport).toBe(`/admin/imports/${runId}`);

    const [run] = await query('select kind, status, files, declarations, rejected from ingest_runs where id = $1', [runId]);
    expect(run).toEqual({ kind: 'dsn', status: 'done', files: 2, declarations: 1, rejected: 1 });
    // Files are named as they were sent, not by their temporary path.
    expect(await query('select siret, file_name from declarations where run_id = $1', [runId])).toEqual([
      { siret: '12345678900012', file_name: 'bon.dsn' },
    ]);
    expect(await query('select file, line, rubric from ingest_rejections where run_id = $1', [runId])).toEqual([
      { file: 'mauvais.dsn', line: badLine, rubric: 'S21.G00.40.001' },
    ]);
    expect(await count('person_months')).toBeGreaterThan(0);
    expect(await uploadFolders()).toEqual(foldersBefore);

    const report = await getPage(app, rapport, admin);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain(`Rapport du chargement n° ${runId}`);
    expect(report.body).toContain('1 rejet(s)');
    const row =
      /<tr>\s*<td>mauvais\.dsn<\/td>\s*<td[^>]*>(\d+)<\/td>\s*<td><code>(S21\.G00\.40\.001)<\/code><\/td>\s*<td[^>]*>([^<]+)<\/td>/.exec(
        report.body,
      );
    expect(row?.[1]).toBe(String(badLine));
    expect(row?.[3]).toContain('31022024');
    expect(report.body).not.toContain(os.tmpdir());

    for (const missing of ['/admin/imports/999999', '/admin/imports/abc']) {
      const absent = await getPage(app, missing, admin);
      expect(absent.statusCode).toBe(404);
      expect(absent.body).toContain('Chargement introuvable');
    }

    const home = await getPage(app, '/admin', admin);
    expect(home.body).toContain('Fichiers DSN');
    expect(home.body).toContain(`href="/admin/imports/${runId}"`);
    expect(home.body).toMatch(/Déclarations en vigueur<\/th><td[^>]*>1<\/td>/);
  });

  it('reports a UTF-8 file as a warning beside what it loaded, and the establishments placed by fallback', async () => {
    const utf8 = envoi(
      declaration(
        { ...SIAE, nic: '00038', month: '2024-01', postalCode: '69361', town: 'LYON CEDEX 07' },
        individual({ nir: '2850759123458', lastName: 'LEFÈVRE', firstNames: 'HÉLÈNE', birth: '15071985' }),
        contract({ start: '2024-01-08', number: 'C3' }),
      ),
    );
    const response = await upload(admin, { kind: 'dsn' }, [{ name: 'utf8.dsn', content: Buffer.from(utf8, 'utf8') }]);
    const { runId, rapport } = response.json();
    expect(
      await query('select rejected, warnings, establishments_by_fallback, establishments_unplaced from ingest_runs where id = $1', [runId]),
    ).toEqual([{ rejected: 0, warnings: 1, establishments_by_fallback: 1, establishments_unplaced: 0 }]);
    expect(await query(`select last_name from persons where last_name like 'LEF%'`)).toEqual([{ last_name: 'LEFÈVRE' }]);
    const report = await getPage(app, rapport, admin);
    expect(report.body).toContain('Aucun rejet');
    expect(report.body).toMatch(/Établissements placés par repli[^<]*<\/th><td>1<\/td>/);
    expect(report.body).toContain('<h2 id="avertissements">Avertissements</h2>');
    expect(report.body).toContain('<td>utf8.dsn</td>');
    expect(report.body).toContain('fichier en UTF-8 alors que la norme demande ISO-8859-1 : lu en UTF-8');
  });

  it('says an interrupted load was interrupted, not that everything loaded', async () => {
    const [run] = await query<{ id: number }>(
      `insert into ingest_runs (kind, status, finished_at) values ('dsn', 'interrupted', now()) returning id`,
    );
    const report = await getPage(app, `/admin/imports/${run?.id}`, admin);
    expect(report.body).toContain('Chargement interrompu');
    expect(report.body).not.toContain('Aucun rejet');
  });

  it('refuses a multipart post without its CSRF header (403) and loads nothing', async () => {
    const [runs, declarations] = [await count('ingest_runs'), await count('declarations')];
    const body = await multipart({ kind: 'dsn' }, [{ name: 'autre.dsn', content: goodDsn.replace("'00012'", "'00039'") }]);
    const response = await app.inject({
      method: 'POST',
      url: '/admin/import',
      cookies: admin.cookies,
      payload: body.payload,
      headers: { 'content-type': body.contentType, accept: 'application/json' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().erreur).toContain('Jeton de sécurité');
    const forged = await upload({ ...admin, csrf: 'faux-jeton' }, { kind: 'dsn' }, [{ name: 'autre.dsn', content: goodDsn }]);
    expect(forged.statusCode).toBe(403);
    expect([await count('ingest_runs'), await count('declarations')]).toEqual([runs, declarations]);
  });

  it('loads a participants register with a bad row, and sends a form post without script to the report', async () => {
    const csv = [
      'nir,nom,prenom,programme,siret_structure,date_entree,date_sortie',
      '2850759123456,DURAND,Anne,geiq,12345678900012,2024-01-01,2024-03-31',
      '1729999123045,BERNARD,Paul,xyz,12345678900012,2024-02-01,',
    ].join('\n');
    const response = await upload(admin, { kind: 'participants' }, [{ name: 'registre participants.csv', content: Buffer.from(csv) }], {
      accept: 'text/html',
    });
    expect(response.statusCode).toBe(303);
    const runId = Number(/\/admin\/imports\/(\d+)$/.exec(response.headers.location as string)?.[1]);
    expect(await query('select kind, status, rows, rejected from ingest_runs where id = $1', [runId])).toEqual([
      { kind: 'participants', status: 'done', rows: 1, rejected: 1 },
    ]);
    const report = await getPage(app, `/admin/imports/${runId}`, admin);
    expect(report.body).toContain('Registre des participants');
    expect(report.body).toMatch(
      /<td>registre participants\.csv<\/td>\s*<td[^>]*>3<\/td>\s*<td><code>programme<\/code><\/td>\s*<td[^>]*>programme « xyz » inconnu/,
    );
  });

  it('refuses a bad upload as a whole, in French, and records nothing', async () => {
    const runs = await count('ingest_runs');
    const cases: [Record<string, string>, UploadFile[], number, string][] = [
      [{ kind: 'dsn' }, [], 400, 'Aucun fichier reçu'],
      [{ kind: 'paie' }, [{ name: 'a.dsn', content: goodDsn }], 400, 'Choisissez ce que vous déposez'],
      [
        { kind: 'passes' },
        [{ name: 'passes.xlsx', content: 'x' }],
        400,
        'doit être un fichier CSV (.csv) : « passes.xlsx » n’en est pas un',
      ],
      [{ kind: 'passes' }, [{ name: 'passes.csv', content: Buffer.from('PK\x03\x04 classeur', 'latin1') }], 400, 'classeur de tableur'],
      [
        { kind: 'participants' },
        [
          { name: 'a.csv', content: 'nir' },
          { name: 'b.csv', content: 'nir' },
        ],
        400,
        'se dépose seul',
      ],
    ];
    for (const [fields, files, status, message] of cases) {
      const response = await upload(admin, fields, files);
      expect(response.statusCode, message).toBe(status);
      expect(response.json().erreur).toContain(message);
    }
    const page = await upload(admin, { kind: 'dsn' }, [], { accept: 'text/html' });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Rien n’a été chargé');
    expect(page.body).toContain('Aucun fichier reçu');
    expect(await count('ingest_runs')).toBe(runs);
  });

  it('stops a file over the size limit with a 413 naming it', async () => {
    const bare = Fastify();
    await bare.register(fastifyMultipart, { limits: { fileSize: 10 } });
    const folder = await (await import('node:fs/promises')).mkdtemp(`${os.tmpdir()}/sillage-test-`);
    bare.post('/', async (request, reply) => {
      try {
        return await receiveUpload(request, folder);
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        return reply.status(error.statusCode).send({ erreur: error.message });
      }
    });
    const body = await multipart({ kind: 'dsn' }, [{ name: '../../trop gros?.dsn', content: 'x'.repeat(100) }]);
    const response = await bare.inject({ method: 'POST', url: '/', payload: body.payload, headers: { 'content-type': body.contentType } });
    expect(response.statusCode).toBe(413);
    expect(response.json().erreur).toContain('« trop gros_.dsn » dépasse 1 Gio');
    await bare.close();
    await (await import('node:fs/promises')).rm(folder, { recursive: true, force: true });
  });

  it('shows the upload form with its page script and the CSRF token for it', async () => {
    const page = await getPage(app, '/admin/import', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`data-csrf="${admin.csrf}"`);
    expect(page.body).toContain('<script src="/static/upload.js"></script>');
    expect(page.body).toContain('<progress');
    expect(page.body).toContain('aria-live="polite"');
    expect((await app.inject('/static/upload.js')).statusCode).toBe(200);
  });
});

describe('administration: accounts and audit log', () => {
  it('creates an account whose password is shown once and signs in', async () => {
    const response = await postForm(app, '/admin/utilisateurs', admin, {
      email: 'Nouvelle.Structure@Exemple.fr',
      role: 'structure',
      scope: '12345678900012, 98765432100017',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const password = /id="mot-de-passe">([^<]+)</.exec(response.body)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(response.body).toContain('nouvelle.structure@exemple.fr');
    expect(response.body).toContain('12345678900012,98765432100017');
    expect(await checkCredentials(database.db, 'nouvelle.structure@exemple.fr', password)).not.toBeNull();
    const list = await getPage(app, '/admin/utilisateurs', admin);
    expect(list.body).toContain('nouvelle.structure@exemple.fr');
    expect(list.body).toContain('Structure (SIAE)');
    expect(list.body).not.toContain(password);
  });

  it('refuses a bad scope or a taken address in French, keeps the form, and creates nothing', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ email: 'financeur@exemple.fr', role: 'financeur', scope: 'region:XX' }, '« region:XX » : attendu france'],
      [{ email: 'financeur@exemple.fr', role: 'financeur', scope: '' }, 'Un compte financeur a besoin d’un périmètre'],
      [{ email: 'financeur@exemple.fr', role: 'financeur', scope: 'region:99' }, 'Région inconnu(e) : 99'],
      [{ email: 'conseil@exemple.fr', role: 'conseiller', scope: 'france' }, 'laissez le périmètre vide'],
      [{ email: 'structure@exemple.fr', role: 'structure', scope: '123' }, '« 123 » n’est pas un SIRET'],
      [{ email: 'pas-une-adresse', role: 'admin', scope: '' }, 'n’est pas une adresse électronique'],
      [{ email: 'x@exemple.fr', role: 'chef', scope: '' }, 'Choisissez le rôle du compte.'],
      [{ email: admin.email, role: 'admin', scope: '' }, 'Un compte existe déjà'],
    ];
    const users = await count('users');
    for (const [fields, message] of cases) {
      const response = await postForm(app, '/admin/utilisateurs', admin, fields);
      expect(response.statusCode, message).toBe(400);
      expect(response.body).toContain(message);
      expect(response.body).toContain(`value="${fields.email}"`);
    }
    expect(await count('users')).toBe(users);
  });

  it('disables and re-enables an account, but never the admin’s own', async () => {
    const email = 'temporaire@exemple.fr';
    const id = await createUser(database.db, { email, password: 'mot-de-passe-temporaire', role: 'conseiller', scopes: [] });
    const off = await postForm(app, `/admin/utilisateurs/${id}/desactiver`, admin, {});
    expect(off.statusCode).toBe(303);
    expect((await getPage(app, off.headers.location as string, admin)).body).toContain(`Le compte ${email} a été désactivé`);
    expect(await checkCredentials(database.db, email, 'mot-de-passe-temporaire')).toBeNull();
    const on = await postForm(app, `/admin/utilisateurs/${id}/reactiver`, admin, {});
    expect(on.statusCode).toBe(303);
    expect(await checkCredentials(database.db, email, 'mot-de-passe-temporaire')).toBe(id);

    const self = await postForm(app, `/admin/utilisateurs/${admin.userId}/desactiver`, admin, {});
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('Vous ne pouvez pas désactiver votre propre compte');
    expect((await query('select disabled_at from users where id = $1', [admin.userId]))[0]).toEqual({ disabled_at: null });
    expect((await postForm(app, '/admin/utilisateurs/999999/desactiver', admin, {})).statusCode).toBe(404);
  });

  it('lists the audit log with the email of who looked, filtered by account', async () => {
    const manager = await signedIn(database, 'structure', [{ kind: 'siret', code: '12345678900012' }]);
    await recordParticipantView(database.db, { userId: manager.userId, passNumber: 'PASS00042', personKey: Buffer.alloc(32, 1) });
    await recordParticipantView(database.db, { userId: admin.userId, passNumber: 'PASS00043', personKey: Buffer.alloc(32, 2) });
    const page = await getPage(app, '/admin/journal', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      new RegExp(`<td>${manager.email}</td>\\s*<td>Consultation de la fiche d’un participant</td>\\s*<td>PASS00042</td>`),
    );
    const filtered = await getPage(app, `/admin/journal?utilisateur=${manager.userId}&pass=`, admin);
    expect(filtered.body).toContain('PASS00042');
    expect(filtered.body).not.toContain('PASS00043');
  });
});
