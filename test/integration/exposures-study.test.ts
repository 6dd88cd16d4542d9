import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInFrance } from '../../src/exposures/fields.js';
import { readStudy } from '../../src/exposures/repository.js';
import type { TestDatabase } from '../helpers/database.js';
import { SIRET } from '../helpers/employers-fixture.js';
import { loadExposuresFixture, STUDY_SIRET } from '../helpers/exposures-fixture.js';
import { buildTestApp, getPage, postForm, type SignedIn, signedIn } from '../helpers/web.js';

// Scores and exposures of test/helpers/exposures-fixture.ts; the arithmetic, by hand:
//   X1: own change 6 months = 70 − 62 = 8; 12 months = 75 − 62 = 13.
//       Group (département 59, C1..C5): 6 months (2 + 1 − 3 + 3 + 1) / 5 = 0.8 over 5;
//       12 months (4 + 5 + 1 + 3) / 4 = 3.25 over 4 (C4 has no score at 12 months).
//       Its differences: 8 − 0.8 = 7.2 and 13 − 3.25 = 9.75.
//   X2: own change 6 months = 44 − 45 = −1; 12 months: no score, not observable.
//       Group (région: C9, C10, C11): 6 months (3 + 1 − 2) / 3 = 2/3; 12 months (5 + 3 − 1) / 3 = 7/3.
//       Its difference at 6 months: −1 − 2/3 = −5/3.
//   X3: exposed in Q4 2024, no later quarter: nothing observable, counted nowhere.
//   All: 6 months: exposed (8 − 1) / 2 = 3.5, comparison (0.8 + 2/3) / 2 = 11/15, DiD 3.5 − 11/15 = 83/30 ≈ 2.767,
//        2 exposed, 8 distinct comparison establishments (C1..C5, C9..C11).
//        12 months: X1 alone: 13, 3.25, DiD 9.75, 1 exposed, 4 comparison establishments.

let database: TestDatabase;
let app: FastifyInstance;
let admin: SignedIn;
let counsellor: SignedIn;

beforeAll(async () => {
  database = await loadExposuresFixture();
  app = await buildTestApp(database);
  admin = await signedIn(database, 'admin');
  counsellor = await signedIn(database, 'conseiller');
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const exposuresOf = async (siret: string) =>
  (
    await database.pool.query(
      'select exposed_on::text, channel, source, recorded_by from score_exposures where siret = $1 order by exposed_on, id',
      [siret],
    )
  ).rows;

describe('score_exposure_effects', () => {
  it('gives each exposed establishment its change, its comparison group and their difference', async () => {
    const { rows } = await database.pool.query(
      `select * from score_exposure_effects where row_kind = 'etablissement' order by first_exposed_on`,
    );
    expect(rows).toHaveLength(3);
    const [x1, x2, x3] = rows;
    expect(x1).toMatchObject({
      siret: STUDY_SIRET.X1,
      first_exposed_on: '2024-02-15',
      channel: 'courrier',
      exposure_quarter: '2024-01-01',
      naf_division: '88',
      departement_code: '59',
      score_band: 6,
      score_at_exposure: 62,
      score_6m: 70,
      score_12m: 75,
      change_6m: 8,
      change_12m: 13,
      comparison_level: 'departement',
      comparison_size_6m: 5,
      comparison_size_12m: 4,
      exposed_size_6m: 1,
      exposed_size_12m: 1,
    });
    expect(x1.comparison_change_6m).toBeCloseTo(0.8, 10);
    expect(x1.comparison_change_12m).toBeCloseTo(3.25, 10);
    expect(x1.did_6m).toBeCloseTo(7.2, 10);
    expect(x1.did_12m).toBeCloseTo(9.75, 10);

    expect(x2).toMatchObject({
      siret: STUDY_SIRET.X2,
      first_exposed_on: '2024-03-10',
      channel: 'rendez-vous',
      score_band: 4,
      change_6m: -1,
      change_12m: null,
      comparison_level: 'region',
      comparison_size_6m: 3,
      comparison_size_12m: 3,
      exposed_size_6m: 1,
      exposed_size_12m: 0,
      did_12m: null,
    });
    expect(x2.comparison_change_6m).toBeCloseTo(2 / 3, 10);
    expect(x2.comparison_change_12m).toBeCloseTo(7 / 3, 10);
    expect(x2.did_6m).toBeCloseTo(-5 / 3, 10);

    expect(x3).toMatchObject({
      siret: STUDY_SIRET.X3,
      exposure_quarter: '2024-10-01',
      score_at_exposure: 50,
      score_band: 5,
      change_6m: null,
      change_12m: null,
      comparison_level: 'region',
      comparison_change_6m: null,
      comparison_size_6m: 0,
      exposed_size_6m: 0,
      did_6m: null,
    });
  });

  it('sums the study up in one row: difference in differences and group sizes', async () => {
    const { summary } = await readStudy(database.db);
    expect(summary.exposedSize).toEqual({ '6m': 2, '12m': 1 });
    expect(summary.comparisonSize).toEqual({ '6m': 8, '12m': 4 });
    expect(summary.exposedChange['6m']).toBeCloseTo(3.5, 10);
    expect(summary.comparisonChange['6m']).toBeCloseTo(11 / 15, 10);
    expect(summary.did['6m']).toBeCloseTo(83 / 30, 10);
    expect(summary.exposedChange['12m']).toBeCloseTo(13, 10);
    expect(summary.comparisonChange['12m']).toBeCloseTo(3.25, 10);
    expect(summary.did['12m']).toBeCloseTo(9.75, 10);
  });
});

describe('GET /exposition', () => {
  it('shows the hand-computed differences, group sizes, chart, exposures and caveats', async () => {
    const page = await getPage(app, '/exposition', counsellor);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    // 83/30 ≈ 2.77 and 9.75, one decimal.
    expect(html).toContain('<p class="fr-card__desc fr-h4 fr-mb-0">+2,8 points</p>');
    expect(html).toContain('<p class="fr-card__desc fr-h4 fr-mb-0">+9,8 points</p>');
    expect(html).toContain('2 établissements exposé(s) comparé(s) à 8 établissements jamais exposé(s)');
    expect(html).toContain('1 établissement exposé(s) comparé(s) à 4 établissements jamais exposé(s)');
    expect(html).toContain('+3,5 points');
    expect(html).toContain('+13 points');
    expect(html).toContain('data-chart="');
    expect(html).toContain('/static/charts.js');
    expect(html).toContain('ne sont pas tirés au sort');
    expect(html).toContain('Aucune conclusion de cause à effet');
    expect(html).toContain(`<td>${STUDY_SIRET.X2}</td>`);
    expect(html).toContain('4 remise(s)');
    // The form is the administrator's only.
    expect(html).not.toContain('action="/exposition"');
    expect((await getPage(app, '/exposition', admin)).body).toContain('action="/exposition"');
  });

  it('is closed to structures', async () => {
    const structure = await signedIn(database, 'structure', [{ kind: 'siret', code: SIRET.A }]);
    expect((await getPage(app, '/exposition', structure)).statusCode).toBe(403);
  });
});

describe('POST /exposition', () => {
  it('records an exposure from the administrator’s form, once', async () => {
    const response = await postForm(app, '/exposition', admin, { siret: SIRET.A, date: '14/03/2025', canal: ' courrier ' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/exposition?enregistree=${SIRET.A}`);
    expect(await exposuresOf(SIRET.A)).toEqual([
      { exposed_on: '2025-03-14', channel: 'courrier', source: 'formulaire', recorded_by: admin.userId },
    ]);
    expect((await getPage(app, response.headers.location as string, admin)).body).toContain(
      `Remise de score à l’établissement ${SIRET.A} enregistrée.`,
    );
    const again = await postForm(app, '/exposition', admin, { siret: SIRET.A, date: '2025-03-14', canal: 'courrier' });
    expect(again.headers.location).toBe(`/exposition?enregistree=${SIRET.A}&deja=1`);
    expect(await exposuresOf(SIRET.A)).toHaveLength(1);
  });

  it('says in French what is wrong with each field', async () => {
    const response = await postForm(app, '/exposition', admin, { siret: '1234', date: '2999-01-01', canal: '  ' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('SIRET « 1234 » invalide : 14 chiffres sont attendus');
    expect(response.body).toContain('Date 2999-01-01 dans le futur : une remise de score s’enregistre une fois qu’elle a eu lieu');
    expect(response.body).toContain('Canal manquant : dites comment le score a été montré (courrier, rendez-vous, fiche imprimée…)');
    const badDate = await postForm(app, '/exposition', admin, { siret: SIRET.B, date: '31/02/2025', canal: 'courrier' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('Date « 31/02/2025 » illisible : AAAA-MM-JJ ou JJ/MM/AAAA attendu');
    const unknown = await postForm(app, '/exposition', admin, { siret: '99999999999999', date: '2025-01-02', canal: 'courrier' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('SIRET 99999999999999 inconnu : aucune DSN reçue ne déclare cet établissement');
    expect(await exposuresOf(SIRET.B)).toEqual([]);
  });

  it('is refused to a counsellor and without the CSRF token', async () => {
    const counsellorPost = await postForm(app, '/exposition', counsellor, { siret: SIRET.B, date: '2025-01-02', canal: 'courrier' });
    expect(counsellorPost.statusCode).toBe(403);
    const forged = await app.inject({
      method: 'POST',
      url: '/exposition',
      cookies: admin.cookies,
      payload: new URLSearchParams({ siret: SIRET.B, date: '2025-01-02', canal: 'courrier' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.statusCode).toBe(403);
    expect(await exposuresOf(SIRET.B)).toEqual([]);
  });
});

describe('the printable score sheet', () => {
  it('shows the employer its score and criteria, with the print stylesheet', async () => {
    const page = await getPage(app, `/exposition/fiche/${SIRET.A}`, counsellor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Votre score d’entreprise engagée');
    expect(page.body).toContain('<link rel="stylesheet" href="/static/print.css">');
    expect(page.body).toContain('Imprimer et enregistrer la remise');
    expect(page.body).toContain('des établissements comparables.');
    expect(page.body).not.toContain('/static/print.js');
    expect(await exposuresOf(SIRET.C)).toEqual([]);
  });

  it('records its handing over as an exposure with source « impression », then offers to print', async () => {
    const response = await postForm(app, `/exposition/fiche/${SIRET.C}`, counsellor, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/exposition/fiche/${SIRET.C}?remise=enregistree`);
    expect(await exposuresOf(SIRET.C)).toEqual([
      { exposed_on: todayInFrance(), channel: 'fiche imprimée', source: 'impression', recorded_by: counsellor.userId },
    ]);
    const sheet = await getPage(app, response.headers.location as string, counsellor);
    expect(sheet.body).toContain('<script src="/static/print.js"></script>');
    expect(sheet.body).toContain('data-print');
    expect(sheet.body).toContain('Remise de la fiche enregistrée');
    expect((await postForm(app, `/exposition/fiche/${SIRET.C}`, counsellor, {})).headers.location).toBe(
      `/exposition/fiche/${SIRET.C}?remise=deja`,
    );
    expect(await exposuresOf(SIRET.C)).toHaveLength(1);
  });

  it('answers 404 for an establishment no DSN declares', async () => {
    expect((await getPage(app, '/exposition/fiche/99999999999999', counsellor)).statusCode).toBe(404);
  });
});
