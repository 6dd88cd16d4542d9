import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../seeds/generate.js';
import type { Role } from '../../src/accounts/roles.js';
import { loadDataset } from '../../src/cli/load-dataset.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/web/app.js';
import { receiveUpload, UploadError } from '../../src/web/routes/admin/upload-files.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { tempDir } from '../helpers/dsn-builder.js';
import { type SignedIn, signedIn } from '../helpers/web.js';

// Hostile inputs on every route, on a small generated data set: a refusal in French (a page for a browser, JSON or
// RFC 9457 problem JSON for other clients), never a 500.

let database: TestDatabase;
let app: FastifyInstance;
const users = new Map<Role, SignedIn>();
let siret = '';
let pass = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const folder = await tempDir('sillage-erreurs-');
  await generateDataset({ persons: 120, months: 14, seed: 2026, outDir: folder });
  await loadDataset(database.pool, folder, TEST_NIR_KEY, false);
  await rm(folder, { recursive: true, force: true });
  const first = async (text: string) => Object.values((await database.pool.query(text)).rows[0] ?? {})[0] as string;
  siret = await first('select structure_siret from iae_passes order by 1 limit 1');
  pass = await first('select pass_number from iae_passes order by 1 limit 1');
  const region = await first('select region_code from establishments where region_code is not null order by 1 limit 1');
  app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', SILLAGE_NIR_KEY: TEST_NIR_KEY }), database });
  // A route that meets a full disk, as any write of the server could.
  app.get('/essai/disque-plein', async () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  });
  users.set('admin', await signedIn(database, 'admin'));
  users.set('conseiller', await signedIn(database, 'conseiller'));
  users.set('structure', await signedIn(database, 'structure', [{ kind: 'siret', code: siret }]));
  users.set('financeur', await signedIn(database, 'financeur', [{ kind: 'region', code: region }]));
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] as string);

const isFrenchPage = (response: LightMyRequestResponse) =>
  String(response.headers['content-type']).startsWith('text/html') && response.body.includes('<html lang="fr"');

/** The heading and the message of the error page, or null when the body is not that page. */
function errorPage(response: LightMyRequestResponse): { heading: string; message: string } | null {
  if (!String(response.headers['content-type']).startsWith('text/html') || !response.body.includes('<html lang="fr"')) return null;
  const heading = /<h1>([^<]*)<\/h1>/.exec(response.body)?.[1];
  const message = /<p class="fr-text--lead">([^<]*)<\/p>/.exec(response.body)?.[1];
  return heading && message ? { heading: decode(heading), message: decode(message) } : null;
}

const PATHS = () => [
  '/',
  '/employeurs',
  '/employeurs.csv',
  `/employeurs/${siret}`,
  '/participants',
  `/participants/${pass}`,
  '/resultats',
  '/resultats.csv',
  '/rapports',
  '/rapports/structure/mensuel/2025-01',
  '/rapports/structure/annuel/2025',
  '/rapports/territoire/mensuel/2025-01',
  '/rapports/territoire/annuel/2025.zip',
  '/admin',
  '/admin/import',
  '/admin/imports/1',
  '/admin/utilisateurs',
  '/admin/journal',
  '/methodologie',
  '/exposition',
  `/exposition/fiche/${siret}`,
  '/compte',
  '/public',
  '/public/integrer',
  '/public.csv',
  '/connexion',
  '/api/v1/employeurs',
  '/api/v1/resultats',
  '/api/v1/participants',
  '/api/v1/imports',
];
const PARAMETERS =
  'region departement commune zone section division score_min engagees critere tri page alerte programme cohorte sexe age vue suite limite revoque desactiver reactiver remise utilisateur';
const hostile = (p: string) => {
  const all = (value: string) =>
    `${p}?${PARAMETERS.split(' ')
      .map((name) => `${name}=${value}`)
      .join('&')}`;
  return [`${p}%00`, `${p}/%00`, all('%00'), all('a%00b'), `${p}?%00=1`, `${p}%E9`, `${p}?region=%E9&x=%FF`];
};

describe('hostile addresses on every route', () => {
  it('never answer 500: a French page to a browser, problem JSON from the API', async () => {
    const failures: string[] = [];
    for (const [role, user] of users) {
      for (const url of PATHS().flatMap(hostile)) {
        const response = await app.inject({ url, headers: { accept: 'text/html' }, cookies: user.cookies });
        const type = String(response.headers['content-type']);
        const refused = response.statusCode >= 400;
        const wrong =
          response.statusCode >= 500 ||
          (refused && url.startsWith('/api/') && !type.startsWith('application/problem+json')) ||
          (refused && !url.startsWith('/api/') && !isFrenchPage(response));
        if (wrong) failures.push(`${role} ${url} -> ${response.statusCode} ${type}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a NUL byte in a query string or a path with a 400 that says so, as a page or as JSON', async () => {
    const counsellor = users.get('conseiller') as SignedIn;
    for (const url of ['/employeurs?commune=%00', '/employeurs/%00', `/participants/${pass}%00`, '/admin/journal?utilisateur=%00']) {
      const page = await app.inject({ url, headers: { accept: 'text/html' }, cookies: counsellor.cookies });
      expect(page.statusCode, url).toBe(400);
      expect(errorPage(page), url).toEqual({
        heading: 'Demande invalide',
        message: 'Adresse invalide : elle contient un caractère nul (%00). Corrigez l’adresse ou revenez à l’accueil.',
      });
      const json = await app.inject({ url, cookies: counsellor.cookies });
      expect(json.statusCode).toBe(400);
      expect(json.json()).toEqual({ statut: 400, erreur: expect.stringContaining('caractère nul') });
    }
    const api = await app.inject({ url: '/api/v1/employeurs?region=%00' });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(api.json().detail).toContain('caractère nul');
  });

  it('answers a badly percent-encoded path in French, not Fastify’s English JSON', async () => {
    const page = await app.inject({ url: '/employeurs/%E9', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(400);
    expect(errorPage(page)?.message).toContain('caractère mal encodé');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const json = await app.inject({ url: '/employeurs/%E9' });
    expect(json.json()).toEqual({ statut: 400, erreur: expect.stringContaining('caractère mal encodé') });
  });
});

describe('hostile forms', () => {
  const FORMS: [url: string, role: Role, fields: Record<string, string>][] = [
    ['/connexion', 'admin', { email: 'a\0@exemple.fr', password: 'x\0' }],
    ['/compte/jetons', 'conseiller', { nom: 'jeton\0', libelle: 'jeton\0', name: '\0' }],
    ['/admin/utilisateurs', 'admin', { email: 'a\0b@exemple.fr', role: 'admin', scope: '\0' }],
    ['/exposition', 'admin', { siret: '\0', date: '2025-01-01', canal: 'courrier\0' }],
    ['/deconnexion', 'conseiller', { '\0': 'x' }],
  ];

  it.each(FORMS)('POST %s with a NUL byte: a French 400 page, nothing stored', async (url, role, fields) => {
    const user = users.get(role) as SignedIn;
    const before = (await database.pool.query('select (select count(*) from users) + (select count(*) from api_tokens) as n')).rows[0].n;
    const response = await app.inject({
      method: 'POST',
      url,
      cookies: user.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ _csrf: user.csrf, ...fields }).toString(),
    });
    expect(response.statusCode).toBe(400);
    expect(errorPage(response)?.message).toBe(
      'Formulaire invalide : un champ contient un caractère nul. Corrigez-le et renvoyez le formulaire.',
    );
    const after = (await database.pool.query('select (select count(*) from users) + (select count(*) from api_tokens) as n')).rows[0].n;
    expect(after).toBe(before);
  });
});

describe('oversized forms', () => {
  it('refuses a form body over 1 MB with a French 413 page for a browser, JSON for other clients', async () => {
    const user = users.get('conseiller') as SignedIn;
    const payload = new URLSearchParams({ _csrf: user.csrf, nom: 'x'.repeat(2 * 1024 * 1024) }).toString();
    const send = (accept: string) =>
      app.inject({
        method: 'POST',
        url: '/compte/jetons',
        cookies: user.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
        payload,
      });
    const page = await send('text/html');
    expect(page.statusCode).toBe(413);
    expect(errorPage(page)).toEqual({
      heading: 'Envoi trop volumineux',
      message: 'Requête trop volumineuse : le corps dépasse la taille permise (1 Mo hors dépôt de fichiers).',
    });
    const json = await send('application/json');
    expect(json.statusCode).toBe(413);
    expect(json.json().statut).toBe(413);
  });
});

describe('uploads that cannot be read or written', () => {
  const uploadFolders = async () => (await readdir(os.tmpdir())).filter((name) => name.startsWith('sillage-depot-'));

  it('refuses a multipart body without boundary with a 400 in French, and loads nothing', async () => {
    const admin = users.get('admin') as SignedIn;
    const runs = (await database.pool.query('select count(*)::int as n from ingest_runs')).rows[0].n;
    const foldersBefore = await uploadFolders();
    const send = (accept: string) =>
      app.inject({
        method: 'POST',
        url: '/admin/import',
        cookies: admin.cookies,
        headers: { 'content-type': 'multipart/form-data', 'x-csrf-token': admin.csrf, accept },
        payload: 'kind=dsn',
      });
    const page = await send('text/html');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Rien n’a été chargé');
    expect(decode(page.body)).toContain('Envoi illisible : le formulaire n’est pas arrivé entier ou bien formé.');
    const json = await send('application/json');
    expect(json.statusCode).toBe(400);
    expect(json.json().erreur).toContain('Envoi illisible');
    expect((await database.pool.query('select count(*)::int as n from ingest_runs')).rows[0].n).toBe(runs);
    expect(await uploadFolders()).toEqual(foldersBefore);
  });

  it('answers a full disk while writing an upload with a 507, and leaves no half-written file', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-essai-'));
    // Some bytes reach the disk, then it is full: as a real ENOSPC in the middle of a file.
    const fullDisk = (target: string) => {
      const file = createWriteStream(target, { flags: 'wx' });
      return new Writable({
        write(chunk: Buffer, _encoding, done) {
          file.write(chunk.subarray(0, 1000), () =>
            done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' })),
          );
        },
        destroy(error, done) {
          file.end(() => done(error));
        },
      });
    };
    const bare = Fastify();
    await bare.register(fastifyMultipart);
    bare.post('/', async (request, reply) => {
      try {
        return await receiveUpload(request, folder, fullDisk);
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        return reply.status(error.statusCode).send({ erreur: error.message });
      }
    });
    const form = new FormData();
    form.append('kind', 'dsn');
    form.append('fichiers', new Blob([Buffer.alloc(512 * 1024, 'S')]), 'gros.dsn');
    const encoded = new Response(form);
    const response = await bare.inject({
      method: 'POST',
      url: '/',
      payload: Buffer.from(await encoded.arrayBuffer()),
      headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
    });
    expect(response.statusCode).toBe(507);
    expect(response.json().erreur).toBe(
      'Espace disque insuffisant sur le serveur pendant la réception de « gros.dsn » : rien n’a été chargé. Prévenez l’administrateur du serveur, puis déposez les fichiers de nouveau.',
    );
    expect(await readdir(folder)).toEqual([]);
    await bare.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers any full disk of the server with a French 507 page, and JSON to other clients', async () => {
    const admin = users.get('admin') as SignedIn;
    const page = await app.inject({ url: '/essai/disque-plein', headers: { accept: 'text/html' }, cookies: admin.cookies });
    expect(page.statusCode).toBe(507);
    expect(errorPage(page)).toEqual({
      heading: 'Espace disque insuffisant',
      message:
        'Espace disque insuffisant sur le serveur : rien n’a été enregistré. Prévenez l’administrateur du serveur, puis recommencez.',
    });
    const json = await app.inject({ url: '/essai/disque-plein', cookies: admin.cookies });
    expect(json.statusCode).toBe(507);
    expect(json.json().statut).toBe(507);
  });
});

describe('refusals a browser meets after a while: stale token, too many tries, session gone', () => {
  const post = (url: string, headers: Record<string, string>, payload: string, cookies?: Record<string, string>) =>
    app.inject({ method: 'POST', url, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload });

  it('shows a stale CSRF token as a French page inside the signed-in layout, and JSON to other clients', async () => {
    const admin = users.get('admin') as SignedIn;
    const form = new URLSearchParams({ _csrf: 'jeton-perime', email: 'x@exemple.fr', role: 'admin' }).toString();
    const page = await post('/admin/utilisateurs', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, form, admin.cookies);
    expect(page.statusCode).toBe(403);
    expect(errorPage(page)).toEqual({
      heading: 'Accès refusé',
      message: 'Jeton de sécurité absent ou périmé : rechargez la page et renvoyez le formulaire.',
    });
    expect(page.body).toContain('Se déconnecter');
    expect(page.body).toContain(`value="${admin.csrf}"`);
    const json = await post('/admin/utilisateurs', { accept: 'application/json' }, form, admin.cookies);
    expect(json.statusCode).toBe(403);
    expect(json.json()).toEqual({
      statut: 403,
      erreur: 'Jeton de sécurité absent ou périmé : rechargez la page et renvoyez le formulaire.',
    });
    expect((await database.pool.query("select 1 from users where email = 'x@exemple.fr'")).rowCount).toBe(0);
  });

  it('shows a form posted after the session ended as a French page that leads to the sign-in', async () => {
    const form = new URLSearchParams({ _csrf: 'ancien', email: 'y@exemple.fr', role: 'admin' }).toString();
    for (const cookies of [undefined, { sillage_session: 'session-terminee' }]) {
      const page = await post('/admin/utilisateurs', { accept: 'text/html' }, form, cookies);
      expect(page.statusCode).toBe(401);
      expect(errorPage(page)).toEqual({
        heading: 'Connexion requise',
        message: 'Votre session a pris fin, ou vous n’êtes pas connecté : connectez-vous, puis renvoyez le formulaire.',
      });
      expect(page.body).toContain('href="/connexion"');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    }
    const json = await post('/admin/utilisateurs', {}, form);
    expect(json.statusCode).toBe(401);
    expect(json.json().statut).toBe(401);
  });

  it('shows a rate limit reached by a form as a French page, and JSON to other clients', async () => {
    const limited = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    // A form limited as the sign-in once was, through the app's own rate-limit plugin and error handler.
    limited.post('/connexion/essai', { config: { rateLimit: { max: 1, timeWindow: 60_000 } } }, async () => 'ok');
    const send = (accept: string) =>
      limited.inject({
        method: 'POST',
        url: '/connexion/essai',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
        payload: '_csrf=x',
      });
    expect((await send('text/html')).statusCode).not.toBe(429);
    const page = await send('text/html');
    expect(page.statusCode).toBe(429);
    expect(errorPage(page)).toEqual({ heading: 'Trop de tentatives', message: 'Trop de tentatives : réessayez dans 1 minute(s).' });
    const json = await send('application/json');
    expect(json.statusCode).toBe(429);
    expect(json.json()).toEqual({ statut: 429, erreur: 'Trop de tentatives : réessayez dans 1 minute(s).' });
    await limited.close();
  });
});
