import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.js';
import { cddi, contract, contractEnd, declaration, individual, pay } from '../helpers/dsn-builder.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';

// A hand-built fixture: the DSN covers January to December 2024 (first and last months declared).
// ACI is an atelier chantier d'insertion, EI an entreprise d'insertion, ENT1 and ENT2 ordinary employers;
// GEIQ's participants come from the register only.
const ACI = { siren: '552100554', nic: '00017' };
const EI = { siren: '732829320', nic: '00074' };
const ENT1 = { siren: '542065479', nic: '00011' };
const ENT2 = { siren: '402968393', nic: '00020' };
const ALICE = { nir: '2990375001002', lastName: 'ALBERT', birth: '02031999' };
const BRUNO = { nir: '1700569002003', lastName: 'BLANC', birth: '10051970' };
const CHLOE = { nir: '2850875003004', lastName: 'CARON', birth: '15081985' };
const DAMIEN = { nir: '1800113004005', lastName: 'DUBOIS', birth: '20011980' };

const hours = (number: string, month: string) => pay(number, `${month}-01`, `${month}-28`, '100.00');
const person = (who: typeof ALICE, ...blocks: string[][]) => [...individual(who), ...blocks.flat()];

const DECLARATIONS: string[][] = [
  // Alice: ACI 2 January to 31 March (a month's last day), then a CDI at ENT1 from 3 June, and a one-month
  // CDD at ENT2 in September. Bruno: ACI 2 January to 15 February, again 1 April to 31 May (a gap under
  // 3 months: one parcours), then a CDDI at EI from 1 October. Chloé: ACI in January, again in June (a gap
  // over 4 months: two parcours).
  declaration(
    { ...ACI, month: '2024-01' },
    person(ALICE, cddi('2024-01-02', 'A1'), hours('A1', '2024-01')),
    person(BRUNO, cddi('2024-01-02', 'B1'), hours('B1', '2024-01')),
    person(CHLOE, cddi('2024-01-02', 'C1'), contractEnd('2024-01-31', '031'), hours('C1', '2024-01')),
  ),
  declaration(
    { ...ACI, month: '2024-02' },
    person(ALICE, cddi('2024-01-02', 'A1'), hours('A1', '2024-02')),
    person(BRUNO, cddi('2024-01-02', 'B1'), contractEnd('2024-02-15', '031'), hours('B1', '2024-02')),
  ),
  declaration(
    { ...ACI, month: '2024-03' },
    person(ALICE, cddi('2024-01-02', 'A1'), contractEnd('2024-03-31', '031'), hours('A1', '2024-03')),
  ),
  declaration({ ...ACI, month: '2024-04' }, person(BRUNO, cddi('2024-04-01', 'B2'), hours('B2', '2024-04'))),
  declaration(
    { ...ACI, month: '2024-05' },
    person(BRUNO, cddi('2024-04-01', 'B2'), contractEnd('2024-05-31', '031'), hours('B2', '2024-05')),
  ),
  declaration(
    { ...ACI, month: '2024-06' },
    person(CHLOE, cddi('2024-06-03', 'C2'), contractEnd('2024-06-30', '031'), hours('C2', '2024-06')),
  ),
  declaration({ ...ENT1, month: '2024-06' }, person(ALICE, contract({ start: '2024-06-03', number: 'E1' }), hours('E1', '2024-06'))),
  declaration({ ...ENT1, month: '2024-12' }, person(ALICE, contract({ start: '2024-06-03', number: 'E1' }), hours('E1', '2024-12'))),
  // Damien: a CDD at ENT2 from 1 May, planned to 31 December (8 months: durable).
  declaration(
    { ...ENT2, month: '2024-05' },
    person(DAMIEN, contract({ start: '2024-05-01', number: 'D1', nature: '02', plannedEnd: '2024-12-31' }), hours('D1', '2024-05')),
  ),
  declaration(
    { ...ENT2, month: '2024-09' },
    person(DAMIEN, contract({ start: '2024-05-01', number: 'D1', nature: '02', plannedEnd: '2024-12-31' }), hours('D1', '2024-09')),
    person(ALICE, contract({ start: '2024-09-01', number: 'E2', nature: '02' }), contractEnd('2024-09-30', '031'), hours('E2', '2024-09')),
  ),
  declaration(
    { ...ENT2, month: '2024-12' },
    person(DAMIEN, contract({ start: '2024-05-01', number: 'D1', nature: '02', plannedEnd: '2024-12-31' }), hours('D1', '2024-12')),
  ),
  declaration({ ...EI, month: '2024-10' }, person(BRUNO, cddi('2024-10-01', 'X1', '04'), hours('X1', '2024-10'))),
  declaration({ ...EI, month: '2024-12' }, person(BRUNO, cddi('2024-10-01', 'X1', '04'), hours('X1', '2024-12'))),
];

// Damien left a GEIQ on 30 June 2023, before the DSN's coverage.
const PARTICIPANTS = `nir,nom,prenom,programme,siret_structure,date_entree,date_sortie
${DAMIEN.nir},DUBOIS,Damien,geiq,44306184100047,2023-01-02,2023-06-30
`;

let database: TestDatabase;
beforeAll(async () => {
  database = await loadIndicatorFixture({ files: [DECLARATIONS], registers: { participants: PARTICIPANTS } });
});
afterAll(async () => {
  await database.drop();
});

const UNKNOWN = { employed: null, durable: null, in_programme: null, employer: null };
const outcome = (employed: boolean, durable: boolean, inProgramme: boolean, employer: string | null) => ({
  employed,
  durable,
  in_programme: inProgramme,
  employer,
});

describe('programme_outcomes', () => {
  it('finds each exit, merges gaps under 3 months, and reads employment 6 and 12 months later only where the DSN covers it', async () => {
    const { rows } = await database.pool.query(`
      select p.last_name as person, o.programme, o.structure_siret as structure, o.exit_date::text as exit, o.sex, o.age_band,
        json_build_object('employed', employed_m6, 'durable', durable_m6, 'in_programme', in_programme_m6, 'employer', employer_siret_m6) as m6,
        json_build_object('employed', employed_m12, 'durable', durable_m12, 'in_programme', in_programme_m12, 'employer', employer_siret_m12) as m12
      from programme_outcomes o join persons p using (person_key) order by p.last_name, o.exit_date`);
    expect(rows).toEqual([
      // Alice, 25 at exit. 31 March + 6 months = 30 September: the CDI at ENT1 and the CDD at ENT2 are both
      // active; the durable one names the employer. 31 March 2025 is after December 2024: unknown.
      {
        person: 'ALBERT',
        programme: 'aci',
        structure: '55210055400017',
        exit: '2024-03-31',
        sex: 'femme',
        age_band: 'moins_26',
        m6: outcome(true, true, false, '54206547900011'),
        m12: UNKNOWN,
      },
      // Bruno, 54 at exit: one parcours of 2 January to 31 May (15 February to 1 April is under 3 months).
      // 30 November: only the CDDI at EI, IAE again: still in IAE, not employed.
      {
        person: 'BLANC',
        programme: 'aci',
        structure: '55210055400017',
        exit: '2024-05-31',
        sex: 'homme',
        age_band: '50_plus',
        m6: outcome(false, false, true, null),
        m12: UNKNOWN,
      },
      // Chloé, 38: 31 January and 30 June are two exits (3 June is over 3 months after 31 January).
      // 31 July and 30 December: no contract.
      {
        person: 'CARON',
        programme: 'aci',
        structure: '55210055400017',
        exit: '2024-01-31',
        sex: 'femme',
        age_band: '26_49',
        m6: outcome(false, false, false, null),
        m12: UNKNOWN,
      },
      {
        person: 'CARON',
        programme: 'aci',
        structure: '55210055400017',
        exit: '2024-06-30',
        sex: 'femme',
        age_band: '26_49',
        m6: outcome(false, false, false, null),
        m12: UNKNOWN,
      },
      // Damien, 43, from the register: 31 December 2023 is before the coverage (unknown); on 30 June 2024 the
      // CDD at ENT2 (1 May to 31 December planned, 8 months) is durable employment.
      {
        person: 'DUBOIS',
        programme: 'geiq',
        structure: '44306184100047',
        exit: '2023-06-30',
        sex: 'homme',
        age_band: '26_49',
        m6: UNKNOWN,
        m12: outcome(true, true, false, '40296839300020'),
      },
    ]);
  });

  it('marks a hire within 6 months after a programme exit as coming from a programme', async () => {
    const { rows } = await database.pool.query(`
      select p.last_name as person, h.siret, h.hire_date::text as hire, h.from_programme
      from employer_hires h join persons p using (person_key) where h.siret in ('54206547900011', '40296839300020')
      order by p.last_name, h.hire_date`);
    expect(rows).toEqual([
      // Alice left ACI on 31 March: hired by ENT1 on 3 June and ENT2 on 1 September, both within 6 months.
      { person: 'ALBERT', siret: '54206547900011', hire: '2024-06-03', from_programme: true },
      { person: 'ALBERT', siret: '40296839300020', hire: '2024-09-01', from_programme: true },
      // Damien left the GEIQ on 30 June 2023: 1 May 2024 is more than 6 months later.
      { person: 'DUBOIS', siret: '40296839300020', hire: '2024-05-01', from_programme: false },
    ]);
  });
});
