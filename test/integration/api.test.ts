import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenHash, createApiToken, readApiToken, revokeApiToken } from '../../src/accounts/api-tokens.js';
import type { Role, Scope } from '../../src/accounts/roles.js';
import { setDisabled } from '../../src/accounts/users.js';
import { loadConfig } from '../../src/config.js';
import { parseEmployerFilters } from '../../src/employers/filters.js';
import { employersCsv, listEmployersForCsv } from '../../src/employers/repository.js';
import { apiV1Routes } from '../../src/web/routes/api/v1.js';
import { SWAGGER_LOGO_STYLE_HASH } from '../../src/web/routes/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';
import { buildTestApp, signedIn } from '../helpers/web.js';

// The JSON API on the employers fixture (test/helpers/employers-fixture.ts; figures worked out by hand in
// test/integration/employers-repository.test.ts): A 61.5 (engagée), E 50, R 50, C about 45.2, B 44, D no score.
// Tokens, access rules, errors, CSV, rate limit and the OpenAPI document. Outcomes and participants: api-*.test.ts.
const { A, B, C, D, E, R } = SIRET;

let database: TestDatabase;
let app: FastifyInstance;
const tokens = new Map<Role, string>();

/** A new account of that role with a fresh token. */
async function tokenFor(role: Role, scopes: Scope[] = []) {
  const user = await signedIn(database, role, scopes);
  const { token } = await createApiToken(database.db, user.userId, `essai ${role}`);
  return { ...user, token };
}

beforeAll(async () => {
  database = await loadEmployersFixture();
  app = await buildTestApp(database);
  // The same routes with a limit of 3 requests a minute, to reach it (under /api/: no session needed).
  await app.register(apiV1Routes, {
    db: database.db,
    pool: database.pool,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    rateLimitMax: 3,
    prefix: '/api/essai',
  });
  tokens.set('admin', (await tokenFor('admin')).token);
  tokens.set('conseiller', (await tokenFor('conseiller')).token);
  tokens.set('structure', (await tokenFor('structure', [{ kind: 'siret', code: A }])).token);
  tokens.set('financeur', (await tokenFor('financeur', [{ kind: 'departement', code: '59' }])).token);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const get = (url: string, token?: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'GET', url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
const as = (role: Role) => tokens.get(role) as string;

function expectProblem(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const problem = response.json();
  expect(problem.status).toBe(status);
  expect(problem.instance).toMatch(/^\/api\/[^?]*$/);
  expect(typeof problem.type).toBe('string');
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  return problem as {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
    champs?: { nom: string; message: string }[];
  };
}

describe('personal API tokens', () => {
  it('are created once, stored hashed, work, and stop working when revoked', async () => {
    const user = await signedIn(database, 'conseiller');
    const { id, token } = await createApiToken(database.db, user.userId, 'tableur');
    expect(token).toMatch(/^sil_[A-Za-z0-9_-]{43}$/);
    const rows = await database.pool.query('select name, token_hash, prefix, revoked_at from api_tokens where id = $1', [id]);
    expect(rows.rows).toEqual([{ name: 'tableur', token_hash: apiTokenHash(token), prefix: token.slice(0, 8), revoked_at: null }]);
    // The token itself is nowhere in the table.
    const dump = await database.pool.query('select t::text as row from api_tokens t');
    expect(dump.rows.map((r) => r.row).join()).not.toContain(token.slice(4));
    expect(await readApiToken(database.db, token)).toMatchObject({ id: user.userId, email: user.email, role: 'conseiller', scopes: [] });

    expect((await get('/api/v1/employeurs', token)).statusCode).toBe(200);
    const used = await database.pool.query('select last_used_at from api_tokens where id = $1', [id]);
    expect(used.rows[0].last_used_at).toBeInstanceOf(Date);

    // Only its owner revokes it.
    const other = await signedIn(database, 'conseiller');
    expect(await revokeApiToken(database.db, other.userId, id)).toBe(false);
    expect((await get('/api/v1/employeurs', token)).statusCode).toBe(200);
    expect(await revokeApiToken(database.db, user.userId, id)).toBe(true);
    const revoked = expectProblem(await get('/api/v1/employeurs', token), 401);
    expect(revoked.title).toBe('Authentification requise');
    expect(revoked.detail).toContain('Authorization: Bearer');
  });

  it('answers 401 without a token, with a forged one, with a session cookie only, and for a disabled account', async () => {
    const missing = await get('/api/v1/employeurs');
    expectProblem(missing, 401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="sillage"');
    const real = as('conseiller');
    const forged = `sil_${'A'.repeat(43)}`;
    const altered = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [forged, altered, 'sil_', real.slice(4), `${real} ${real}`]) {
      expectProblem(await get('/api/v1/employeurs', token), 401);
    }
    expectProblem(await get('/api/v1/employeurs', undefined, { authorization: `Basic ${real}` }), 401);
    const user = await signedIn(database, 'admin');
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/imports', cookies: user.cookies }), 401);

    const { userId, token } = await tokenFor('conseiller');
    expect((await get('/api/v1/employeurs', token)).statusCode).toBe(200);
    await setDisabled(database.db, userId, true);
    expectProblem(await get('/api/v1/employeurs', token), 401);
    await setDisabled(database.db, userId, false);
    expect((await get('/api/v1/employeurs', token)).statusCode).toBe(200);
  });
});

describe('GET /api/v1/employeurs', () => {
  it.each(['admin', 'conseiller', 'structure', 'financeur'] as Role[])('lists the employers by score for a %s', async (role) => {
    const response = await get('/api/v1/employeurs', as(role));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('private, no-store');
    const body = response.json();
    expect([body.page, body.pages, body.total]).toEqual([1, 1, 6]);
    expect(body.donnees.map((row: { siret: string }) => row.siret)).toEqual([A, E, R, C, B, D]);
    expect(body.donnees.map((row: { embauches: number; engagee: boolean }) => [row.embauches, row.engagee])).toEqual([
      [5, true],
      [7, false],
      [10, false],
      [5, false],
      [5, false],
      [4, false],
    ]);
    expect(body.donnees[0]).toEqual({
      siret: A,
      nom: A,
      commune: { code: '59350', nom: 'Lille' },
      departement: { code: '59', nom: 'Nord' },
      naf: { code: '8899B', nom: 'Action sociale sans hébergement n.c.a.' },
      embauches: 5,
      score: 61.5,
      engagee: true,
      critere: null,
    });
    expect(body.donnees[5].score).toBeNull();
  });

  it('filters as the page does, and gives a highlighted criterion with its secret', async () => {
    const byRegion = (await get('/api/v1/employeurs?region=32&division=88&score_min=44', as('conseiller'))).json();
    expect(byRegion.donnees.map((row: { siret: string }) => row.siret)).toEqual([A, B]);
    expect(
      (await get('/api/v1/employeurs?tri=score_asc&region=', as('conseiller'))).json().donnees.map((r: { siret: string }) => r.siret),
    ).toEqual([B, C, E, R, A, D]);
    // R: 9 of 10 hires had no earlier contract, the one other person would be given away: secret.
    const criterion = (await get(`/api/v1/employeurs?region=93&critere=no_prior_contract`, as('conseiller'))).json();
    expect(criterion.donnees).toHaveLength(1);
    expect(criterion.donnees[0].critere).toEqual({ cle: 'no_prior_contract', valeur: null, secret: true, rang: 0.5 });
    const shown = (await get(`/api/v1/employeurs?departement=62&critere=no_prior_contract`, as('conseiller'))).json();
    expect(shown.donnees[0].critere).toEqual({ cle: 'no_prior_contract', valeur: 1, secret: false, rang: 0.5 });
  });

  it('answers 400 naming each malformed field', async () => {
    const problem = expectProblem(await get('/api/v1/employeurs?commune=5935&score_min=101&page=0', as('conseiller')), 400);
    expect(problem.title).toBe('Requête invalide');
    expect(problem.champs).toEqual([
      { nom: 'commune', message: 'commune : un code INSEE de 5 caractères est attendu (par exemple 59350)' },
      { nom: 'score_min', message: 'score minimum : un nombre de 0 à 100 est attendu' },
      { nom: 'page', message: 'page : un nombre entier à partir de 1 est attendu' },
    ]);
    expect(problem.detail).toContain('commune');
    const sort = expectProblem(await get('/api/v1/employeurs?tri=critere_desc', as('conseiller')), 400);
    expect(sort.champs?.map((c) => c.nom)).toEqual(['tri']);
  });

  it('answers the page’s CSV when Accept asks for text/csv', async () => {
    const response = await get('/api/v1/employeurs?region=32&critere=woman&page=2', as('financeur'), { accept: 'text/csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const parsed = parseEmployerFilters({ region: '32', critere: 'woman' });
    if (!parsed.ok) throw new Error('filtres');
    expect(response.body).toBe(employersCsv(await listEmployersForCsv(database.db, parsed.filters), 'woman'));
    expect(response.body.startsWith('\uFEFFSIRET;')).toBe(true);
    expect(response.body.split('\r\n').filter(Boolean)).toHaveLength(6);
  });
});

describe('GET /api/v1/employeurs/{siret}', () => {
  it("gives R's score broken down, the secret cells null and flagged", async () => {
    const response = await get(`/api/v1/employeurs/${R}`, as('structure'));
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail).toMatchObject({
      siret: R,
      commune: { code: '13055', nom: 'Marseille' },
      departement: { code: '13', nom: 'Bouches-du-Rhône' },
      region: { code: '93', nom: "Provence-Alpes-Côte d'Azur" },
      naf: { code: '5610C', nom: 'Restauration de type rapide' },
      fenetre: { debut: '2023-02-01', fin: '2025-01-31' },
      embauches: 10,
      score: 50,
      engagee: false,
      pairs: { type: 'section', effectif: 1 },
    });
    const criteria = Object.fromEntries(
      detail.criteres.map((c: { cle: string; valeur: number | null; secret: boolean; rang: number | null }) => [
        c.cle,
        [c.valeur, c.secret, c.rang],
      ]),
    );
    expect(criteria.woman).toEqual([null, true, 0.5]);
    expect(criteria.after_long_stoppage).toEqual([0, false, 0.5]);
    expect(criteria.mean_fixed_term_days).toEqual([114.5, false, 0.5]);
    expect(criteria.median_fixed_term_days).toEqual([45, false, 0.5]);
    expect(detail.evolution.map((t: { trimestre: string; embauches: number | null }) => t.embauches)).toEqual([null, null, 6, 6]);
    // No person is ever named.
    expect(response.body).not.toContain('SALARIE');
  });

  it('answers 404 for an unknown SIRET and 400 for a malformed one', async () => {
    const unknown = expectProblem(await get('/api/v1/employeurs/12345678900012', as('conseiller')), 404);
    expect(unknown.detail).toContain('12345678900012');
    const malformed = expectProblem(await get('/api/v1/employeurs/1234', as('conseiller')), 400);
    expect(malformed.champs).toEqual([{ nom: 'siret', message: 'siret : 14 chiffres sont attendus' }]);
  });
});

describe('GET /api/v1/imports', () => {
  it('lists the loads with their counts for an administrator, as JSON or CSV', async () => {
    const body = (await get('/api/v1/imports', as('admin'))).json();
    expect(body.total).toBe(1);
    expect(body.donnees[0]).toMatchObject({ type: 'dsn', statut: 'done', fichiers: 1, declarations: 8, rejets: 0 });
    expect(Date.parse(body.donnees[0].debut)).not.toBeNaN();
    const csv = await get('/api/v1/imports', as('admin'), { accept: 'text/csv, application/json;q=0.5' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFN°;Type;Statut;Début;Fin;Fichiers;Déclarations;Remplacées;Annulées;Lignes;Rejets');
    expect(lines[1]).toMatch(/^\d+;dsn;done;[^;]+;[^;]+;1;8;0;0;\d+;0$/);
    expectProblem(await get('/api/v1/imports?limite=0', as('admin')), 400);
  });
});

describe('access rules', () => {
  const ENDPOINTS: [url: string, allowed: Role[]][] = [
    ['/api/v1/employeurs', ['admin', 'conseiller', 'structure', 'financeur']],
    [`/api/v1/employeurs/${C}`, ['admin', 'conseiller', 'structure', 'financeur']],
    ['/api/v1/resultats?vue=programmes', ['admin', 'financeur']],
    ['/api/v1/participants', ['structure']],
    ['/api/v1/imports', ['admin']],
  ];
  it.each(ENDPOINTS)('%s: 403 problem for the other roles', async (url, allowed) => {
    for (const role of ['admin', 'conseiller', 'structure', 'financeur'] as Role[]) {
      const response = await get(url, as(role));
      if (allowed.includes(role)) expect(response.statusCode, `${role} ${url}`).toBe(200);
      else {
        const problem = expectProblem(response, 403);
        expect(problem.title).toBe('Accès refusé');
        expect(problem.detail).toMatch(/^Votre jeton ne donne pas accès/);
      }
    }
  });

  it('answers unknown addresses under /api/v1 with a 404 problem', async () => {
    expectProblem(await get('/api/v1/inconnu', as('admin')), 404);
  });
});

describe('rate limit', () => {
  it('answers 429 in French past the limit of a token, other tokens unaffected', async () => {
    const token = as('conseiller');
    for (let i = 0; i < 3; i++) expect((await get('/api/essai/employeurs', token)).statusCode).toBe(200);
    const limited = expectProblem(await get('/api/essai/employeurs', token), 429);
    expect(limited.title).toBe('Trop de requêtes');
    expect(limited.detail).toMatch(/^Trop de requêtes pour ce jeton \(3 par minute au plus\) : réessayez dans \d+ s\.$/);
    expect((await get('/api/essai/employeurs', as('admin'))).statusCode).toBe(200);
  });
});

// Over-long URLs and slow clients, against a real socket: test/integration/web-timeouts.test.ts.
describe('oversized requests', () => {
  it('a body over the 1 MB limit is cut off with a 413, and nothing is created', async () => {
    const user = await signedIn(database, 'conseiller');
    const response = await app.inject({
      method: 'POST',
      url: '/compte/jetons',
      cookies: user.cookies,
      payload: new URLSearchParams({ _csrf: user.csrf, nom: 'x'.repeat(1024 * 1024 + 1) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      statut: 413,
      erreur: 'Requête trop volumineuse : le corps dépasse la taille permise (1 Mo hors dépôt de fichiers).',
    });
    expect(await database.pool.query('select 1 from api_tokens where user_id = $1', [user.userId])).toHaveProperty('rowCount', 0);
  });
});

describe('OpenAPI document', () => {
  it('is an OpenAPI 3.1 document with every endpoint, its parameters and the bearer scheme', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'API de Sillage', version: '1.0.0' });
    expect(doc.info.description).toContain('Authorization: Bearer');
    expect(doc.components.securitySchemes).toEqual({ jeton: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(doc.security).toEqual([{ jeton: [] }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/employeurs',
      '/api/v1/employeurs/{siret}',
      '/api/v1/imports',
      '/api/v1/participants',
      '/api/v1/resultats',
    ]);
    // Every operation: a summary in French, a 200 answer with a schema, problem details for errors.
    for (const [path, item] of Object.entries(doc.paths) as [string, Record<string, Record<string, unknown>>][]) {
      expect(Object.keys(item), path).toEqual(['get']);
      const operation = item.get as { summary: string; responses: Record<string, { content: Record<string, { schema: unknown }> }> };
      expect(operation.summary, path).toMatch(/^[A-ZÉ]/);
      expect(operation.responses['200']?.content['application/json']?.schema, path).toBeTypeOf('object');
      expect(operation.responses['401']?.content['application/problem+json']?.schema, path).toBeTypeOf('object');
    }
    const names = (path: string) => doc.paths[path].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(names('/api/v1/employeurs')).toEqual(
      ['region', 'departement', 'commune', 'zone', 'section', 'division', 'score_min', 'engagees', 'critere', 'tri', 'page'].map(
        (n) => `query:${n}`,
      ),
    );
    expect(names('/api/v1/employeurs/{siret}')).toEqual(['path:siret']);
    expect(names('/api/v1/resultats')).toEqual(
      ['vue', 'programme', 'region', 'departement', 'cohorte', 'sexe', 'age'].map((n) => `query:${n}`),
    );
    expect(names('/api/v1/participants')).toEqual(['alerte', 'tri', 'page'].map((n) => `query:${n}`));
    expect(doc.paths['/api/v1/resultats'].get.responses['200'].content['text/csv']).toBeDefined();
    const cell = JSON.stringify(doc.paths['/api/v1/resultats'].get.responses['200'].content['application/json'].schema);
    expect(cell).toContain('"secret"');
  });

  it('is valid against the OpenAPI 3.1 schema', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const result = await new Validator().validate(doc);
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
  });

  it('is browsable at /api/docs, its page and files under the strict policy', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div id="swagger-ui"></div>');
    // No inline script or style: the site's CSP (script-src 'self', style-src 'self') holds.
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.body).not.toMatch(/<style|\sstyle=/);
    // The CSP stays strict: scripts from files only; one style allowed by its hash (Swagger UI's logo), here only.
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain(`style-src 'self' '${SWAGGER_LOGO_STYLE_HASH}';`);
    expect(policy).not.toContain('unsafe');
    const elsewhere = await app.inject({ method: 'GET', url: '/connexion' });
    expect(elsewhere.headers['content-security-policy']).toContain("style-src 'self';");
    for (const src of [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string)) {
      expect(src.startsWith('/api/docs/static/'), src).toBe(true);
      expect((await app.inject({ method: 'GET', url: src })).statusCode, src).toBe(200);
    }
    const initializer = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    // No call to the public validator: the document stays on this server.
    expect(initializer.body).toMatch(/validatorUrl"?: ?null/);
  });
});
