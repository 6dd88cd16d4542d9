import type { TestDatabase } from './database.js';
import { loadEmployersFixture } from './employers-fixture.js';

// The exposure study by hand. The establishments of the employers fixture (A to E, R: real DSN, real scores for
// the printed sheet) plus study establishments whose scores per quarter are chosen here: the test database's
// establishment_quarter_scores (the study's only source of scores) is replaced by these values, so that every
// difference in differences can be worked out by hand (test/integration/exposures-study.test.ts).
//
// Quarters: Q0 = 2024-01-01, Q6 = 2024-07-01, Q12 = 2025-01-01 (and Q3 = 2024-10-01 for X3).
// Every study establishment is in NAF division 88, région 32, unless said otherwise.
//   X1 dept 59, exposed 15 Feb 2024 (Q0): 62 (band 6) -> 70 -> 75.
//     C1..C5, dept 59, band 6, never exposed: 5 of them, so the département is enough.
//     C1 60 -> 62 -> 64; C2 65 -> 66 -> 70; C3 68 -> 65 -> 69; C4 61 -> 64 -> no score; C5 69 -> 70 -> 72.
//     Left out: C6 (dept 59, score 59: band 5), C7 (dept 62: another département), C8 (division 47).
//   X2 dept 62, exposed 10 Mar 2024 (Q0) and again 1 Sep 2024 (only the first counts): 45 (band 4) -> 44 -> no score.
//     Band 4 in dept 62: only C9, fewer than 5: the région is taken: C9 (62), C10 (59), C11 (59).
//     C9 40 -> 43 -> 45; C10 49 -> 50 -> 52; C11 42 -> 40 -> 41.
//   X3 dept 59, exposed 5 Oct 2024 (Q3): 50 (band 5); nothing after: not yet observable. Its group: C6 (55 at Q3),
//     alone in the région, so level « region ».

export const STUDY_SIRET = {
  X1: '10000000000001',
  X2: '10000000000002',
  X3: '10000000000003',
  ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`C${i + 1}`, `200000000000${String(i + 1).padStart(2, '0')}`])),
} as Record<'X1' | 'X2' | 'X3' | `C${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11}`, string>;

type Place = [division: string, departement: string];
const PLACES: Record<keyof typeof STUDY_SIRET, Place> = {
  X1: ['88', '59'],
  X2: ['88', '62'],
  X3: ['88', '59'],
  C1: ['88', '59'],
  C2: ['88', '59'],
  C3: ['88', '59'],
  C4: ['88', '59'],
  C5: ['88', '59'],
  C6: ['88', '59'],
  C7: ['88', '62'],
  C8: ['47', '59'],
  C9: ['88', '62'],
  C10: ['88', '59'],
  C11: ['88', '59'],
};

/** Scores at Q0, Q6, Q12 (null: no score that quarter); X3 and C6 also at Q3. */
const SCORES: Record<keyof typeof STUDY_SIRET, (number | null)[]> = {
  X1: [62, 70, 75],
  X2: [45, 44, null],
  X3: [null, null, null],
  C1: [60, 62, 64],
  C2: [65, 66, 70],
  C3: [68, 65, 69],
  C4: [61, 64, null],
  C5: [69, 70, 72],
  C6: [59, 80, 80],
  C7: [63, 90, 90],
  C8: [64, 10, 10],
  C9: [40, 43, 45],
  C10: [49, 50, 52],
  C11: [42, 40, 41],
};
const QUARTERS = ['2024-01-01', '2024-07-01', '2025-01-01'];
const Q3_SCORES: Partial<Record<keyof typeof STUDY_SIRET, number>> = { X3: 50, C6: 55 };

const EXPOSURES: [keyof typeof STUDY_SIRET, string, string][] = [
  ['X1', '2024-02-15', 'courrier'],
  ['X2', '2024-03-10', 'rendez-vous'],
  ['X2', '2024-09-01', 'courrier'],
  ['X3', '2024-10-05', 'rendez-vous'],
];

const literal = (value: string | number) => (typeof value === 'number' ? String(value) : `'${value}'`);

/** The employers fixture, the study establishments, their exposures, and the study's scores replaced by hand-chosen ones. */
export async function loadExposuresFixture(): Promise<TestDatabase> {
  const database = await loadEmployersFixture();
  const names = Object.keys(STUDY_SIRET) as (keyof typeof STUDY_SIRET)[];
  await database.pool.query(
    `insert into establishments (siret, siren, naf_code, departement_code, region_code, first_declared_month, last_declared_month)
     select siret, left(siret, 9), naf, dept, '32', '2023-01-01', '2025-01-01'
     from unnest($1::text[], $2::text[], $3::text[]) as t(siret, naf, dept)`,
    [names.map((n) => STUDY_SIRET[n]), names.map((n) => `${PLACES[n][0]}99Z`), names.map((n) => PLACES[n][1])],
  );
  const rows = names.flatMap((name) => [
    ...QUARTERS.flatMap((quarter, i) => {
      const score = SCORES[name][i];
      return score === null || score === undefined ? [] : [[STUDY_SIRET[name], quarter, score, ...PLACES[name], '32']];
    }),
    ...(Q3_SCORES[name] === undefined ? [] : [[STUDY_SIRET[name], '2024-10-01', Q3_SCORES[name], ...PLACES[name], '32']]),
  ]);
  await database.pool.query(`
    create or replace view establishment_quarter_scores as
    select siret::text, quarter::date, score::numeric, naf_division::text, departement_code::text, region_code::text
    from (values ${rows.map((row) => `(${row.map((v) => literal(v as string | number)).join(', ')})`).join(', ')})
      as v(siret, quarter, score, naf_division, departement_code, region_code)`);
  await database.pool.query(
    `insert into score_exposures (siret, exposed_on, channel, source)
     select siret, exposed_on, channel, 'import' from unnest($1::text[], $2::date[], $3::text[]) as t(siret, exposed_on, channel)`,
    [EXPOSURES.map(([n]) => STUDY_SIRET[n]), EXPOSURES.map(([, d]) => d), EXPOSURES.map(([, , c]) => c)],
  );
  return database;
}
