import type { TestDatabase } from './database.js';
import { cddi, contract, contractEnd, declaration, individual, pay, stoppage, suspension } from './dsn-builder.js';
import { loadIndicatorFixture } from './indicator-fixture.js';

// January to April 2024. Structure A (an ACI) holds four PASS IAE, structure B (another SIAE) one; D is an
// ordinary company. Budget 3,640 h (settings.json). Every figure the tests expect is worked out beside it.
const A = { siren: '552100554', nic: '00017' };
const B = { siren: '732829320', nic: '00074' };
const D = { siren: '542065479', nic: '00011', naf: '5610C' };
export const SIRET_A = '55210055400017';
export const SIRET_B = '73282932000074';
export const SIRET_D = '54206547900011';

const ALICE = { nir: '2900133001002', lastName: 'BERNARD', firstNames: 'ALICE', birth: '03011990' };
const BRUNO = { nir: '1950269002003', lastName: 'MARTIN', firstNames: 'BRUNO', birth: '05021995' };
const EVE = { nir: '2880475003004', lastName: 'EVRARD', firstNames: 'EVE', birth: '07041988' };
const FRANK = { nir: '1800175004005', lastName: 'ZOLA', firstNames: 'FRANK', birth: '09011980' };
const PAUL = { nir: '1850375005006', lastName: 'GARNIER', firstNames: 'PAUL', birth: '11031985' };

const at = (site: typeof A, month: string, ...persons: string[][]) => declaration({ ...site, month }, ...persons);
const worker = (person: typeof ALICE, ...blocks: string[][]) => [...individual(person), ...blocks.flat()];

const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04'] as const;
const lastDay = (month: string) => (month === '2024-02' ? '29' : month === '2024-04' ? '30' : '31');
const hours = (number: string, month: string, value: string) => pay(number, `${month}-01`, `${month}-${lastDay(month)}`, value);

// Alice (PASSA1): 80 h in January; off sick all February (last day worked 31 January, back 1 March); no hours
// in March, when she works 12 days at D (not IAE: not counted); 60 h at A and 20 h at B (an EI contract) in April.
const alice: Record<string, string[]> = {
  '2024-01': worker(ALICE, cddi('2024-01-02', 'A1'), hours('A1', '2024-01', '80.00')),
  '2024-02': worker(ALICE, cddi('2024-01-02', 'A1'), stoppage('01', '2024-01-31', undefined, '2024-03-01')),
  '2024-03': worker(ALICE, cddi('2024-01-02', 'A1')),
  '2024-04': worker(ALICE, cddi('2024-01-02', 'A1'), hours('A1', '2024-04', '60.00')),
};
// Bruno (PASSA2): 1,300 h a month from February: 3,900 h, 260 h over the budget.
const bruno = (month: string) => (month === '2024-01' ? [] : worker(BRUNO, cddi('2024-02-01', 'M1'), hours('M1', month, '1300.00')));
// Eve (PASSA3): 100 h in January and February, then nothing and nothing to explain it.
const eve = (month: string) => worker(EVE, cddi('2022-05-01', 'E1'), month < '2024-03' ? hours('E1', month, '100.00') : []);
// Frank (PASSA4): 100 h a month except March, all paid leave (suspension 200).
const frank = (month: string) =>
  worker(
    FRANK,
    cddi('2022-04-01', 'F1'),
    month === '2024-03' ? suspension('200', '2024-03-01', '2024-03-31') : hours('F1', month, '100.00'),
  );
// Paul (PASSB1, structure B): 1,000 h a month, over the budget too.
const paul = (month: string) => worker(PAUL, cddi('2024-01-01', 'P1'), hours('P1', month, '1000.00'));

const FILES: string[][] = [
  ...MONTHS.map((month) =>
    at(A, month, ...[alice[month] ?? [], bruno(month), eve(month), frank(month)].filter((person) => person.length > 0)),
  ),
  ...MONTHS.map((month) =>
    at(B, month, paul(month), ...(month === '2024-04' ? [worker(ALICE, cddi('2024-04-01', 'B7', '04'), hours('B7', month, '20.00'))] : [])),
  ),
  at(
    D,
    '2024-03',
    worker(
      ALICE,
      contract({ start: '2024-03-04', number: 'D1', nature: '02', plannedEnd: '2024-03-15' }),
      contractEnd('2024-03-15', '031'),
      pay('D1', '2024-03-04', '2024-03-15', '50.00'),
    ),
  ),
];

// The register spells names with their accents; the DSN's capitals are only a fallback.
const PASSES = `numero_pass,nir,nom,prenom,siret_structure,date_debut,date_fin
PASSA1,${ALICE.nir},Bernard,Alice,${SIRET_A},2024-01-02,
PASSA2,${BRUNO.nir},Martin,Bruno,${SIRET_A},2024-02-01,
PASSA3,${EVE.nir},Évrard,Ève,${SIRET_A},2022-05-01,
PASSA4,${FRANK.nir},Zola,Frank,${SIRET_A},2022-04-01,2024-12-31
PASSB1,${PAUL.nir},Garnier,Paul,${SIRET_B},2024-01-01,
`;

/** A fresh database with the two structures' DSN and PASS, indicators refreshed. */
export function loadParticipantsFixture(): Promise<TestDatabase> {
  return loadIndicatorFixture({ files: FILES.map((declaration) => [declaration]), registers: { passes: PASSES } });
}
