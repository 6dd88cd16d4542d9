import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.js';
import type { Role, Scope } from '../../src/accounts/roles.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadParticipantsFixture, SIRET_A, SIRET_B } from '../helpers/participants-fixture.js';
import { buildTestApp, signedIn } from '../helpers/web.js';

// GET /api/v1/participants on the participants fixture (test/helpers/participants-fixture.ts; figures worked out in
// test/integration/participants-repository.test.ts): structure A holds PASSA1 to PASSA4, structure B PASSB1.

let database: TestDatabase;
let app: FastifyInstance;
const token: Record<string, string> = {};

async function tokenFor(role: Role, scopes: Scope[] = []) {
  const user = await signedIn(database, role, scopes);
  return (await createApiToken(database.db, user.userId, 'essai')).token;
}

beforeAll(async () => {
  database = await loadParticipantsFixture();
  app = await buildTestApp(database);
  token.a = await tokenFor('structure', [{ kind: 'siret', code: SIRET_A }]);
  token.b = await tokenFor('structure', [{ kind: 'siret', code: SIRET_B }]);
  token.admin = await tokenFor('admin');
  token.conseiller = await tokenFor('conseiller');
  token.financeur = await tokenFor('financeur', [{ kind: 'france' }]);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const get = (url: string, who: string, accept?: string): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token[who]}`, ...(accept ? { accept } : {}) } });

describe('GET /api/v1/participants', () => {
  it("gives a structure its own PASS counters, and nothing of another structure's", async () => {
    const response = await get('/api/v1/participants', 'a');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const body = response.json();
    expect([body.page, body.pages, body.total]).toEqual([1, 1, 4]);
    expect(body.alertes).toEqual({ toutes: 4, avecAlerte: 3, no_hours_2_months: 1, ending_soon: 1, budget_exhausted: 1 });
    expect(body.donnees[0]).toEqual({
      pass: 'PASSA1',
      nom: 'Bernard',
      prenoms: 'Alice',
      siretStructure: SIRET_A,
      debut: '2024-01-02',
      heuresBudget: 3640,
      heuresTravaillees: 160,
      heuresRestantes: 3480,
      moisTravailles: 2,
      moisSansHeures: 2,
      moisExpliques: 1,
      finPrevue: '2026-03-01',
      dernierMoisDeclare: '2024-04-01',
      alerte: null,
      libelleAlerte: null,
    });
    expect(
      body.donnees.map((p: { pass: string; heuresTravaillees: number; alerte: string | null }) => [p.pass, p.heuresTravaillees, p.alerte]),
    ).toEqual([
      ['PASSA1', 160, null],
      ['PASSA3', 200, 'no_hours_2_months'],
      ['PASSA2', 3900, 'budget_exhausted'],
      ['PASSA4', 300, 'ending_soon'],
    ]);
    expect(response.body).not.toContain('PASSB1');
    expect(response.body).not.toContain('Garnier');

    const other = await get('/api/v1/participants', 'b');
    expect(other.json().donnees.map((p: { pass: string }) => p.pass)).toEqual(['PASSB1']);
    for (const words of ['PASSA', 'Bernard', 'Martin', SIRET_A]) expect(other.body).not.toContain(words);
  });

  it('filters and sorts as the page does', async () => {
    const alerts = (await get('/api/v1/participants?alerte=toutes&tri=heures_desc', 'a')).json();
    expect([alerts.total, alerts.donnees.map((p: { pass: string }) => p.pass)]).toEqual([3, ['PASSA2', 'PASSA4', 'PASSA3']]);
    const ending = (await get('/api/v1/participants?alerte=ending_soon', 'a')).json();
    expect(ending.donnees.map((p: { pass: string }) => p.pass)).toEqual(['PASSA4']);
  });

  it('answers 400 naming the malformed field', async () => {
    const response = await get('/api/v1/participants?tri=age_asc&page=x', 'a');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json().champs.map((c: { nom: string }) => c.nom)).toEqual(['tri', 'page']);
  });

  it('answers the list as CSV when Accept asks for it, only its own structure', async () => {
    const response = await get('/api/v1/participants?alerte=toutes', 'a', 'text/csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = response.body.split('\r\n').filter(Boolean);
    expect(lines[0]?.startsWith('\uFEFFN° de PASS;Nom;Prénoms;SIRET de la structure')).toBe(true);
    expect(lines.slice(1).map((line) => line.split(';')[0])).toEqual(['PASSA3', 'PASSA2', 'PASSA4']);
    expect(lines[2]).toBe(`PASSA2;Martin;Bruno;${SIRET_A};2024-02-01;3640;3900;-260;3;0;0;2026-01-31;2024-04-01;Budget d'heures épuisé`);
    expect(response.body).not.toContain('Garnier');
  });

  it.each(['admin', 'conseiller', 'financeur'])('refuses a %s token, without a hint of any PASS', async (who) => {
    const response = await get('/api/v1/participants', who);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toMatch(/PASS[AB]|Bernard|Garnier/);
  });
});
