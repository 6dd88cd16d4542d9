import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.js';
import type { Role, Scope } from '../../src/accounts/roles.js';
import { outcomesByProgramme, outcomesByTerritory, outcomesCsv } from '../../src/outcomes/repository.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadOutcomesFixture, siretOf } from '../helpers/outcomes-fixture.js';
import { buildTestApp, signedIn } from '../helpers/web.js';

// GET /api/v1/resultats on the outcomes fixture (test/helpers/outcomes-fixture.ts; figures worked out in
// test/integration/outcomes-repository.test.ts): 23 exits in Hauts-de-France, 18 of them in the Nord (59).

let database: TestDatabase;
let app: FastifyInstance;
const token: Record<string, string> = {};

async function tokenFor(role: Role, scopes: Scope[] = []) {
  const user = await signedIn(database, role, scopes);
  return (await createApiToken(database.db, user.userId, 'essai')).token;
}

beforeAll(async () => {
  database = await loadOutcomesFixture();
  app = await buildTestApp(database);
  token.admin = await tokenFor('admin');
  token.national = await tokenFor('financeur', [{ kind: 'france' }]);
  token.nord = await tokenFor('financeur', [{ kind: 'departement', code: '59' }]);
  token.conseiller = await tokenFor('conseiller');
  token.structure = await tokenFor('structure', [{ kind: 'siret', code: siretOf('ACI59') }]);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const get = (url: string, who: string, accept?: string): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token[who]}`, ...(accept ? { accept } : {}) } });

const shown = (valeur: number) => ({ valeur, secret: false });
const SECRET = { valeur: null, secret: true };
const NONE = { valeur: null, secret: false };
const NOT_OBSERVABLE = {
  observables: shown(0),
  enEmploi: shown(0),
  tauxEmploi: NONE,
  enEmploiDurable: shown(0),
  tauxEmploiDurable: NONE,
  dansLeDispositif: shown(0),
  partDansLeDispositif: NONE,
};
const GEIQ_12 = {
  observables: shown(12),
  enEmploi: shown(6),
  tauxEmploi: shown(0.5),
  enEmploiDurable: shown(6),
  tauxEmploiDurable: shown(0.5),
  dansLeDispositif: shown(0),
  partDansLeDispositif: shown(0),
};

describe('GET /api/v1/resultats', () => {
  it.each(['admin', 'national'])('gives the national table by programme to %s, the small cells secret', async (who) => {
    const response = await get('/api/v1/resultats?vue=programmes', who);
    expect(response.statusCode).toBe(200);
    const table = response.json();
    expect(table.vue).toBe('programmes');
    expect(table.dimensions).toEqual(['Dispositif']);
    expect(table.lignes.map((l: { programme: string }) => l.programme)).toEqual(['aci', 'geiq']);
    const [aci, geiq] = table.lignes;
    // aci: 5 of 11 employed at 6 months; the one person still in IAE is secret, and so is its share.
    expect(aci.sorties).toEqual(shown(11));
    expect(aci.m6).toEqual({
      observables: shown(11),
      enEmploi: shown(5),
      tauxEmploi: shown(5 / 11),
      enEmploiDurable: shown(5),
      tauxEmploiDurable: shown(5 / 11),
      dansLeDispositif: SECRET,
      partDansLeDispositif: SECRET,
    });
    expect(aci.m12).toEqual(NOT_OBSERVABLE);
    expect(geiq.m12).toEqual(GEIQ_12);
    expect(table.total.sorties).toEqual(shown(23));
    expect(table.total.m6.enEmploi).toEqual(shown(11));
  });

  it('keeps a funder of the Nord in the Nord: secret cells carry no value, other territories are refused', async () => {
    const table = (await get('/api/v1/resultats', 'nord')).json();
    const [aci, geiq] = table.lignes;
    // ACI59 alone: 2 of 6 employed at 6 months, secret; GEIQ's 6 hidden so that 8 - 6 does not give it back.
    expect(aci.sorties).toEqual(shown(6));
    expect(aci.m6.enEmploi).toEqual(SECRET);
    expect(aci.m6.tauxEmploi).toEqual(SECRET);
    expect(geiq.m6.enEmploi).toEqual(SECRET);
    expect(table.total.sorties).toEqual(shown(18));
    expect(table.total.m6.enEmploi).toEqual(shown(8));
    const byTerritory = await get('/api/v1/resultats?vue=territoires', 'nord');
    expect(byTerritory.json().niveau).toBe('departement');
    for (const elsewhere of ['Pas-de-Calais', 'ARRAS', siretOf('ACI62'), '"62"']) expect(byTerritory.body).not.toContain(elsewhere);
    for (const url of [
      '/api/v1/resultats?departement=62',
      '/api/v1/resultats?region=11',
      '/api/v1/resultats?vue=cohortes&departement=75',
    ]) {
      const response = await get(url, 'nord');
      expect(response.statusCode, url).toBe(403);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const problem = response.json();
      expect(problem.detail).toBe('Le territoire demandé n’est pas dans celui de votre compte : aucun chiffre ne peut être donné.');
      expect(response.body).not.toMatch(/"(62|11|75)"|Pas-de-Calais|Paris/);
    }
  });

  it('goes down to the structures of a département, as the page does', async () => {
    const table = (await get('/api/v1/resultats?vue=territoires&departement=59', 'national')).json();
    expect(table.niveau).toBe('structure');
    expect(table.lignes.map((l: { code: string; sorties: unknown }) => [l.code, l.sorties])).toEqual([
      [siretOf('GEIQ59'), shown(12)],
      [siretOf('ACI59'), shown(6)],
    ]);
  });

  it('answers the page’s CSV when Accept asks for it', async () => {
    const scope = { kind: 'departements' as const, codes: ['59'] };
    const programmes = await get('/api/v1/resultats?vue=programmes', 'nord', 'text/csv');
    expect(programmes.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(programmes.body).toBe(outcomesCsv(await outcomesByProgramme(database.db, scope, {})));
    const territories = await get('/api/v1/resultats?vue=territoires&sexe=homme', 'nord', 'text/csv');
    expect(territories.body).toBe(outcomesCsv(await outcomesByTerritory(database.db, scope, { sex: 'homme' }, 'departement')));
    expect(programmes.body).toContain(';secret;');
  });

  it('answers 400 naming the malformed fields', async () => {
    const response = await get('/api/v1/resultats?vue=carte&cohorte=2024-T5&sexe=x', 'admin');
    expect(response.statusCode).toBe(400);
    expect(response.json().champs.map((c: { nom: string }) => c.nom)).toEqual(['vue', 'cohorte', 'sexe']);
  });

  it.each(['conseiller', 'structure'])('refuses a %s token', async (who) => {
    const response = await get('/api/v1/resultats', who);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('sorties');
  });
});
