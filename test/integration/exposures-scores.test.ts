import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';

// The study's scores as migrations define them (not replaced by hand-chosen values): from the DSN of the employers
// fixture, covered January 2024 to January 2025, so quarters 2024-01-01 to 2024-10-01 in employer_engagement_history.

let database: TestDatabase;
beforeAll(async () => {
  database = await loadEmployersFixture();
});
afterAll(async () => {
  await database?.drop();
});

const rows = async (text: string, values: unknown[] = []) => (await database.pool.query(text, values)).rows;

describe('establishment_quarter_scores over employer_engagement_history', () => {
  it('holds every scored quarter with the establishment’s place', async () => {
    expect(await rows('select count(*)::int as n from establishment_quarter_scores')).toEqual(
      await rows('select count(*)::int as n from employer_engagement_history where score is not null'),
    );
    expect(
      await rows('select naf_division, departement_code, region_code from establishment_quarter_scores where siret = $1 limit 1', [
        SIRET.A,
      ]),
    ).toEqual([{ naf_division: '88', departement_code: '59', region_code: '32' }]);
  });

  it('gives an exposed establishment its scores at exposure and 6 months later, 12 months not yet observable', async () => {
    await database.pool.query(
      `insert into score_exposures (siret, exposed_on, channel, source) values ($1, '2024-06-15', 'courrier', 'formulaire')`,
      [SIRET.A],
    );
    const history = await rows(
      `select quarter::text, score::float8 from employer_engagement_history where siret = $1 and quarter in ('2024-04-01', '2024-10-01') order by quarter`,
      [SIRET.A],
    );
    expect(history).toHaveLength(2);
    const [effect] = await rows(`select * from score_exposure_effects where row_kind = 'etablissement'`);
    expect(effect).toMatchObject({
      siret: SIRET.A,
      exposure_quarter: '2024-04-01',
      score_at_exposure: history[0]?.score,
      score_6m: history[1]?.score,
      score_12m: null,
      did_12m: null,
    });
    expect(await rows(`select row_kind, exposed_size_12m from score_exposure_effects where row_kind = 'ensemble'`)).toEqual([
      { row_kind: 'ensemble', exposed_size_12m: 0 },
    ]);
  });
});
