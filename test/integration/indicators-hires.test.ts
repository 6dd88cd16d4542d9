import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.js';
import { contract, contractEnd, declaration, individual, pay, stoppage } from '../helpers/dsn-builder.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';

// A hand-built fixture: the DSN covers January 2023 (ENT1's first month) to December 2024 (ENT2's last).
const ENT1 = { siren: '542065479', nic: '00011' };
const ENT2 = { siren: '402968393', nic: '00020' };
const PAUL = { nir: '1600175001002', lastName: 'PERRIN', birth: '05011960' };
const JULIE = { nir: '2010469002003', lastName: 'JOLY', birth: '10042001' };
const hours = (number: string, month: string) => pay(number, `${month}-01`, `${month}-28`, '100.00');
const person = (who: typeof PAUL, ...blocks: string[][]) => [...individual(who), ...blocks.flat()];
const paulCdd = () => contract({ start: '2023-01-02', number: 'P1', nature: '02', plannedEnd: '2023-03-31' });
const julieCdi = () => contract({ start: '2023-01-02', number: 'J1' });
const paulCdi = () => contract({ start: '2024-06-01', number: 'P2', boeth: '01' });
const julieCdd = () => contract({ start: '2024-03-04', number: 'J2', nature: '02', plannedEnd: '2024-05-31', time: '20' });

const DECLARATIONS = [
  declaration(
    { ...ENT1, month: '2023-01' },
    person(PAUL, paulCdd(), hours('P1', '2023-01')),
    person(JULIE, julieCdi(), hours('J1', '2023-01')),
  ),
  declaration({ ...ENT1, month: '2023-03' }, person(PAUL, paulCdd(), contractEnd('2023-03-31', '031'), hours('P1', '2023-03'))),
  // Julie: off sick from 1 February to 31 August 2023 (back on 1 September: 7 months), then leaves on 30 September.
  declaration(
    { ...ENT1, month: '2023-09' },
    person(
      JULIE,
      julieCdi(),
      stoppage('01', '2023-01-31', undefined, '2023-09-01'),
      contractEnd('2023-09-30', '059'),
      hours('J1', '2023-09'),
    ),
  ),
  declaration({ ...ENT2, month: '2024-03' }, person(JULIE, julieCdd(), contractEnd('2024-05-31', '031'), hours('J2', '2024-03'))),
  declaration({ ...ENT2, month: '2024-06' }, person(PAUL, paulCdi(), hours('P2', '2024-06'))),
  declaration({ ...ENT2, month: '2024-12' }, person(PAUL, paulCdi(), hours('P2', '2024-12'))),
];

let database: TestDatabase;
beforeAll(async () => {
  database = await loadIndicatorFixture({ files: [DECLARATIONS] });
});
afterAll(async () => {
  await database.drop();
});

describe('employer_hires', () => {
  it("describes each hire's profile and contract, and whether the person stayed", async () => {
    const { rows } = await database.pool.query(`
      select p.last_name as person, h.siret, h.hire_date::text as hire, h.woman, h.under_26, h.over_50, h.no_prior_contract,
        h.long_unemployed, h.after_long_stoppage, h.boeth, h.from_programme, h.nature, h.is_cdi, h.fixed_term_days,
        h.full_time, h.retained_6m, h.retained_12m
      from employer_hires h join persons p using (person_key) order by p.last_name, h.hire_date`);
    expect(rows).toEqual([
      // Julie at ENT1, 21 years old, her first contract; the 365 days before 2 January 2023 are not covered.
      // Still there on 2 July 2023 (she left on 30 September), gone on 2 January 2024.
      {
        person: 'JOLY',
        siret: '54206547900011',
        hire: '2023-01-02',
        woman: true,
        under_26: true,
        over_50: false,
        no_prior_contract: true,
        long_unemployed: null,
        after_long_stoppage: false,
        boeth: false,
        from_programme: false,
        nature: '01',
        is_cdi: true,
        fixed_term_days: null,
        full_time: true,
        retained_6m: true,
        retained_12m: false,
      },
      // Julie at ENT2: her ENT1 contract ended on 30 September 2023, within the 365 days before 4 March 2024
      // (not long unemployed); her sick leave of 1 February to 31 August 2023 (7 months) ended within the
      // year before. A part-time CDD of 4 March to 31 May: 28 + 30 + 31 = 89 days. Gone on 4 September;
      // 4 March 2025 is not covered.
      {
        person: 'JOLY',
        siret: '40296839300020',
        hire: '2024-03-04',
        woman: true,
        under_26: true,
        over_50: false,
        no_prior_contract: false,
        long_unemployed: false,
        after_long_stoppage: true,
        boeth: false,
        from_programme: false,
        nature: '02',
        is_cdi: false,
        fixed_term_days: 89,
        full_time: false,
        retained_6m: false,
        retained_12m: null,
      },
      // Paul at ENT1, 62: a CDD of 2 January to 31 March 2023, 89 days (30 + 28 + 31).
      {
        person: 'PERRIN',
        siret: '54206547900011',
        hire: '2023-01-02',
        woman: false,
        under_26: false,
        over_50: true,
        no_prior_contract: true,
        long_unemployed: null,
        after_long_stoppage: false,
        boeth: false,
        from_programme: false,
        nature: '02',
        is_cdi: false,
        fixed_term_days: 89,
        full_time: true,
        retained_6m: false,
        retained_12m: false,
      },
      // Paul at ENT2, a BOETH CDI: no contract between 2 June 2023 and 31 May 2024 (his ENT1 CDD ended on
      // 31 March 2023): long unemployed. Still there on 1 December 2024; 1 June 2025 is not covered.
      {
        person: 'PERRIN',
        siret: '40296839300020',
        hire: '2024-06-01',
        woman: false,
        under_26: false,
        over_50: true,
        no_prior_contract: false,
        long_unemployed: true,
        after_long_stoppage: false,
        boeth: true,
        from_programme: false,
        nature: '01',
        is_cdi: true,
        fixed_term_days: null,
        full_time: true,
        retained_6m: true,
        retained_12m: null,
      },
    ]);
  });
});
