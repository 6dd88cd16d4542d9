import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.js';
import { cddi, declaration, individual, pay, stoppage } from '../helpers/dsn-builder.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';

// A hand-built fixture over January to April 2024. ACI (an atelier chantier d'insertion) declares every month;
// EI (an entreprise d'insertion) declares April only. Four PASS IAE at ACI, budget 3,640 h (settings.json).
const ACI = { siren: '552100554', nic: '00017' };
const EI = { siren: '732829320', nic: '00074' };
const CAMILLE = { nir: '2900133001002', lastName: 'DURAND', birth: '03011990' };
const DOM = { nir: '1950269002003', lastName: 'MOREAU', birth: '05021995' };
const EVE = { nir: '2880475003004', lastName: 'LEROY', birth: '07041988' };
const FRANK = { nir: '1800175004005', lastName: 'ROUX', birth: '09011980' };

const aci = (month: string, ...persons: string[][]) => declaration({ ...ACI, month }, ...persons);
const FILES: string[][] = [
  aci(
    '2024-01',
    [...individual(CAMILLE), ...cddi('2024-01-02', 'C1'), ...pay('C1', '2024-01-02', '2024-01-31', '80.00')],
    [...individual(EVE), ...cddi('2022-05-01', 'E1'), ...pay('E1', '2024-01-01', '2024-01-31', '100.00')],
    [...individual(FRANK), ...cddi('2022-04-01', 'F1'), ...pay('F1', '2024-01-01', '2024-01-31', '100.00')],
  ),
  aci(
    '2024-02',
    // Camille: off sick from 1 February (last day worked 31 January), back on 1 March: no hours in February.
    [...individual(CAMILLE), ...cddi('2024-01-02', 'C1'), ...stoppage('01', '2024-01-31', undefined, '2024-03-01')],
    [...individual(DOM), ...cddi('2024-02-01', 'D1'), ...pay('D1', '2024-02-01', '2024-02-29', '1300.00')],
    [...individual(EVE), ...cddi('2022-05-01', 'E1'), ...pay('E1', '2024-02-01', '2024-02-29', '100.00')],
    [...individual(FRANK), ...cddi('2022-04-01', 'F1'), ...pay('F1', '2024-02-01', '2024-02-29', '100.00')],
  ),
  aci(
    '2024-03',
    // Camille: still under contract, no hours and nothing to explain it.
    [...individual(CAMILLE), ...cddi('2024-01-02', 'C1')],
    [...individual(DOM), ...cddi('2024-02-01', 'D1'), ...pay('D1', '2024-03-01', '2024-03-31', '1300.00')],
    [...individual(EVE), ...cddi('2022-05-01', 'E1')],
    [...individual(FRANK), ...cddi('2022-04-01', 'F1'), ...pay('F1', '2024-03-01', '2024-03-31', '100.00')],
  ),
  aci(
    '2024-04',
    [...individual(CAMILLE), ...cddi('2024-01-02', 'C1'), ...pay('C1', '2024-04-01', '2024-04-30', '60.00')],
    [...individual(DOM), ...cddi('2024-02-01', 'D1'), ...pay('D1', '2024-04-01', '2024-04-30', '1100.00')],
    [...individual(EVE), ...cddi('2022-05-01', 'E1')],
    [...individual(FRANK), ...cddi('2022-04-01', 'F1'), ...pay('F1', '2024-04-01', '2024-04-30', '100.00')],
  ),
  // Camille also works 20 h at EI in April (40.073 = 04): hours at another SIAE.
  declaration(
    { ...EI, month: '2024-04' },
    individual(CAMILLE),
    cddi('2024-04-01', 'X9', '04'),
    pay('X9', '2024-04-01', '2024-04-30', '20.00'),
  ),
];

const PASSES = `numero_pass,nir,nom,prenom,siret_structure,date_debut,date_fin
PASS0C,${CAMILLE.nir},DURAND,Camille,55210055400017,2024-01-02,
PASS0D,${DOM.nir},MOREAU,Dominique,55210055400017,2024-02-01,
PASS0E,${EVE.nir},LEROY,Ève,55210055400017,2022-05-01,
PASS0F,${FRANK.nir},ROUX,Frank,55210055400017,2022-04-01,
`;

let database: TestDatabase;
beforeAll(async () => {
  database = await loadIndicatorFixture({ files: FILES.map((declaration) => [declaration]), registers: { passes: PASSES } });
});
afterAll(async () => {
  await database.drop();
});

const rows = async (text: string) => (await database.pool.query(text)).rows;

describe('iae_pass_months', () => {
  it('gives hours at the structure and at other SIAE, and the reasons that cover each month', async () => {
    expect(
      await rows(`select to_char(month, 'YYYY-MM') as month, hours_structure::float8 as here, hours_other_siae::float8 as other,
                    stoppage_reasons, suspension_reasons
                  from iae_pass_months where pass_number = 'PASS0C' order by month`),
    ).toEqual([
      { month: '2024-01', here: 80, other: 0, stoppage_reasons: [], suspension_reasons: [] },
      // Off work 1 to 29 February (the day before the return): sickness, code 01.
      { month: '2024-02', here: 0, other: 0, stoppage_reasons: ['01'], suspension_reasons: [] },
      { month: '2024-03', here: 0, other: 0, stoppage_reasons: [], suspension_reasons: [] },
      { month: '2024-04', here: 60, other: 20, stoppage_reasons: [], suspension_reasons: [] },
    ]);
    // The months of a PASS that started before the DSN's coverage begin with the coverage (January 2024).
    expect(await rows(`select count(*)::int as n, min(month)::text as first from iae_pass_months where pass_number = 'PASS0E'`)).toEqual([
      { n: 4, first: '2024-01-01' },
    ]);
  });
});

describe('iae_pass_counters', () => {
  it('counts hours against the budget, months without hours and their explanation, the projected end and the alert', async () => {
    expect(
      await rows(`select pass_number, start_date::text, budget_hours::float8 as budget, hours_worked::float8 as worked,
                    hours_remaining::float8 as remaining, months_worked, months_without_hours, months_explained,
                    projected_end_date::text as projected_end, last_declared_month::text as last_month, alert
                  from iae_pass_counters order by pass_number`),
    ).toEqual([
      // Camille: 80 + 60 + 20 (EI counts too) = 160 h, 3,640 - 160 = 3,480 left. February and March without
      // hours, February explained by the sick leave. End: 2 January 2024 + (24 + 2) months - 1 day = 1 March 2026.
      // The last two months (March, April) are not both silent; the end is far: no alert.
      {
        pass_number: 'PASS0C',
        start_date: '2024-01-02',
        budget: 3640,
        worked: 160,
        remaining: 3480,
        months_worked: 2,
        months_without_hours: 2,
        months_explained: 1,
        projected_end: '2026-03-01',
        last_month: '2024-04-01',
        alert: null,
      },
      // Dom: 1,300 + 1,300 + 1,100 = 3,700 h, 60 h over the budget. End: 1 February 2024 + 24 months - 1 day.
      {
        pass_number: 'PASS0D',
        start_date: '2024-02-01',
        budget: 3640,
        worked: 3700,
        remaining: -60,
        months_worked: 3,
        months_without_hours: 0,
        months_explained: 0,
        projected_end: '2026-01-31',
        last_month: '2024-04-01',
        alert: 'budget_exhausted',
      },
      // Eve: 100 + 100 h in the covered months, then March and April silent: no_hours_2_months, which wins
      // over ending_soon (1 May 2022 + 26 months - 1 day = 30 June 2024, within 3 months of April).
      {
        pass_number: 'PASS0E',
        start_date: '2022-05-01',
        budget: 3640,
        worked: 200,
        remaining: 3440,
        months_worked: 2,
        months_without_hours: 2,
        months_explained: 0,
        projected_end: '2024-06-30',
        last_month: '2024-04-01',
        alert: 'no_hours_2_months',
      },
      // Frank: 4 × 100 h; 1 April 2022 + 24 months - 1 day = 31 March 2024, before the end of July 2024.
      {
        pass_number: 'PASS0F',
        start_date: '2022-04-01',
        budget: 3640,
        worked: 400,
        remaining: 3240,
        months_worked: 4,
        months_without_hours: 0,
        months_explained: 0,
        projected_end: '2024-03-31',
        last_month: '2024-04-01',
        alert: 'ending_soon',
      },
    ]);
  });
});
