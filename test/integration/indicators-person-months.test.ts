import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.js';
import { contract, contractEnd, declaration, individual, pay, stoppage, suspension } from '../helpers/dsn-builder.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';

// A hand-built fixture over January to April 2024, two establishments declaring every month:
// - EI, an entreprise d'insertion: Anna's CDDI (nature 02, 40.073 = 04), 8 January to 30 April (planned).
// - ENT, an ordinary employer: Léo's CDD (15 January to 29 February, declared end), then from March Anna's CDI.
const EI = { siren: '552100554', nic: '00017' };
const ENT = { siren: '732829320', nic: '00074' };
const ANNA = { nir: '2900133001002', lastName: 'NGUYEN', birth: '03011990' };
const LEO = { nir: '1950269002003', lastName: 'PETIT', birth: '05021995' };
const annaCddi = () =>
  contract({ start: '2024-01-08', number: 'EI-1', nature: '02', scheme: '71', complement: '04', plannedEnd: '2024-04-30' });
const annaCdi = () => contract({ start: '2024-03-01', number: 'ENT-7', nature: '01' });
const leoCdd = () => contract({ start: '2024-01-15', number: 'ENT-3', nature: '02', plannedEnd: '2024-02-29' });

const FILES: [string, string[]][] = [
  // January at EI is first declared with 130 h, then replaced (type 03) with 120 h: 120 h count.
  [
    '2024-01-ei.dsn',
    declaration({ ...EI, month: '2024-01' }, individual(ANNA), annaCddi(), pay('EI-1', '2024-01-08', '2024-01-31', '130.00')),
  ],
  [
    '2024-01-ei-remplace.dsn',
    declaration({ ...EI, month: '2024-01', type: '03' }, individual(ANNA), annaCddi(), pay('EI-1', '2024-01-08', '2024-01-31', '120.00')),
  ],
  // February: a sick leave from the 11th (last day worked the 10th) to the 19th (back on the 20th).
  [
    '2024-02-ei.dsn',
    declaration(
      { ...EI, month: '2024-02' },
      individual(ANNA),
      annaCddi(),
      stoppage('01', '2024-02-10', '2024-02-19', '2024-02-20'),
      pay('EI-1', '2024-02-01', '2024-02-29', '100.00'),
    ),
  ],
  [
    '2024-03-ei.dsn',
    declaration({ ...EI, month: '2024-03' }, individual(ANNA), annaCddi(), pay('EI-1', '2024-03-01', '2024-03-31', '80.00')),
  ],
  // April corrects March by -10 h: March counts 70 h.
  [
    '2024-04-ei.dsn',
    declaration(
      { ...EI, month: '2024-04' },
      individual(ANNA),
      annaCddi(),
      pay('EI-1', '2024-04-01', '2024-04-30', '90.00'),
      pay('EI-1', '2024-03-01', '2024-03-31', '-10.00'),
    ),
  ],
  [
    '2024-01-ent.dsn',
    declaration({ ...ENT, month: '2024-01' }, individual(LEO), leoCdd(), pay('ENT-3', '2024-01-15', '2024-01-31', '60.00')),
  ],
  // February: unpaid leave from the 5th to the 9th, and the CDD's declared end on the 29th.
  [
    '2024-02-ent.dsn',
    declaration(
      { ...ENT, month: '2024-02' },
      individual(LEO),
      leoCdd(),
      contractEnd('2024-02-29', '031'),
      suspension('501', '2024-02-05', '2024-02-09'),
      pay('ENT-3', '2024-02-01', '2024-02-29', '151.67'),
    ),
  ],
  [
    '2024-03-ent.dsn',
    declaration({ ...ENT, month: '2024-03' }, individual(ANNA), annaCdi(), pay('ENT-7', '2024-03-01', '2024-03-31', '20.00')),
  ],
  [
    '2024-04-ent.dsn',
    declaration({ ...ENT, month: '2024-04' }, individual(ANNA), annaCdi(), pay('ENT-7', '2024-04-01', '2024-04-30', '40.00')),
  ],
];

let database: TestDatabase;
beforeAll(async () => {
  // One file at a time, in the order above: the replacement must come after its original here.
  database = await loadIndicatorFixture({ files: FILES.map(([, lines]) => [lines]) });
});
afterAll(async () => {
  await database.drop();
});

describe('person_months', () => {
  it('gives each person every month the DSN covers, with hours, employment, employers, stoppages and suspensions', async () => {
    const { rows } = await database.pool.query(`
      select p.last_name as person, to_char(m.month, 'YYYY-MM') as month, m.hours::float8 as hours,
        m.iae_hours::float8 as iae_hours, m.employed, m.durable, m.employers, m.in_stoppage, m.in_suspension
      from person_months m join persons p using (person_key) order by p.last_name, m.month`);
    const row = (person: string, month: string, hours: number, iaeHours: number, flags: [boolean, boolean, number, boolean, boolean]) => ({
      person,
      month,
      hours,
      iae_hours: iaeHours,
      employed: flags[0],
      durable: flags[1],
      employers: flags[2],
      in_stoppage: flags[3],
      in_suspension: flags[4],
    });
    expect(rows).toEqual([
      // Anna. January: 120 h (the replacement's), all IAE; the CDDI runs 8 January to 30 April: under 6
      // months (8 January + 6 months - 1 day = 7 July), so not durable.
      row('NGUYEN', '2024-01', 120, 120, [true, false, 1, false, false]),
      // February: 100 h; off work 11 to 19 February.
      row('NGUYEN', '2024-02', 100, 100, [true, false, 1, true, false]),
      // March: 80 - 10 = 70 h at EI, plus 20 h under the CDI at ENT: 90 h, 70 IAE; two employers; a CDI is durable.
      row('NGUYEN', '2024-03', 90, 70, [true, true, 2, false, false]),
      // April: 90 + 40 = 130 h, 90 IAE.
      row('NGUYEN', '2024-04', 130, 90, [true, true, 2, false, false]),
      // Léo. January: 60 h under a CDD of 15 January to 29 February (not durable), no IAE.
      row('PETIT', '2024-01', 60, 0, [true, false, 1, false, false]),
      // February: 151.67 h; unpaid leave 5 to 9 February; the contract ends on the 29th.
      row('PETIT', '2024-02', 151.67, 0, [true, false, 1, false, true]),
      // March and April: no contract.
      row('PETIT', '2024-03', 0, 0, [false, false, 0, false, false]),
      row('PETIT', '2024-04', 0, 0, [false, false, 0, false, false]),
    ]);
  });
});
