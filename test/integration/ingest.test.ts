import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import {
  contract,
  contractEnd,
  declaration,
  envoi,
  individual,
  pay,
  stoppage,
  suspension,
  tempDir,
  writeDsn,
} from '../helpers/dsn-builder.js';

const ALICE = { nir: '2850759123456', lastName: "D'ALMEIDA", firstNames: 'HÉLÈNE', birth: '15071985' };
const BOB = { ntt: 'NTT0001', lastName: 'LEFÈVRE', firstNames: 'JÉRÔME', birth: '9999' + '1990', sex: '01' };
// A CDDI at an ACI (40.073 = 02), part time, 104 h a month.
const ALICE_CDDI = contract({
  start: '2023-11-06',
  number: 'C1',
  nature: '02',
  scheme: '71',
  complement: '02',
  plannedEnd: '2024-05-05',
  quotity: '104.00',
  time: '20',
});
const SIAE = { siren: '123456789', nic: '00012', naf: '8899B', postalCode: '59000', town: 'LILLE' };

let database: TestDatabase;
let folder: string;

const query = async <T>(text: string, values: unknown[] = []) => (await database.pool.query(text, values)).rows as T[];

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await tempDir();
});
afterAll(async () => {
  await database.drop();
});

describe('ingest of hand-built declarations', () => {
  it('loads a monthly declaration with persons, contracts, hours, stoppages and ends', async () => {
    const january = declaration(
      { ...SIAE, month: '2024-01' },
      individual(ALICE),
      ALICE_CDDI,
      stoppage('01', '2024-01-19', '2024-01-31'),
      pay('C1', '2024-01-01', '2024-01-31', '60.00'),
      pay('C1', '2023-12-01', '2023-12-31', '-4.50'),
      individual(BOB),
      contract({ start: '2024-01-08', number: '0001', nature: '01' }),
      suspension('501', '2024-01-22', '2024-01-23'),
      pay('0001', '2024-01-08', '2024-01-31', '3', '12'),
    );
    const file = await writeDsn(folder, 'janvier.dsn', envoi(january));
    const summary = await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY });
    expect(summary).toMatchObject({
      files: 1,
      declarations: 1,
      replaced: 0,
      cancelled: 0,
      persons: 2,
      contracts: 2,
      rejected: [],
    });

    const persons = await query<{
      last_name: string;
      first_names: string;
      identified_by: string;
      sex: string;
      birth_year: number;
      birth_month: number | null;
    }>('select last_name, first_names, identified_by, sex, birth_year, birth_month from persons order by last_name');
    expect(persons).toEqual([
      {
        last_name: "D'ALMEIDA",
        first_names: 'HÉLÈNE',
        identified_by: 'nir',
        sex: '02',
        birth_year: 1985,
        birth_month: 7,
      },
      {
        last_name: 'LEFÈVRE',
        first_names: 'JÉRÔME',
        identified_by: 'ntt',
        sex: '01',
        birth_year: 1990,
        birth_month: null,
      },
    ]);
    // Hours: Alice 60 h in January and a -4.50 h correction of December; Bob 3 days x 7 h = 21 h.
    const hours = await query<{ contract_number: string; month: string; hours: number }>(
      `select c.contract_number, h.month, h.hours from contract_hours h join contracts c using (contract_key)
       order by c.contract_number, h.month`,
    );
    expect(hours).toEqual([
      { contract_number: '0001', month: '2024-01-01', hours: 21 },
      { contract_number: 'C1', month: '2023-12-01', hours: -4.5 },
      { contract_number: 'C1', month: '2024-01-01', hours: 60 },
    ]);
    const stoppages = await query('select reason, last_worked_date, planned_end_date, return_date from work_stoppages');
    expect(stoppages).toEqual([{ reason: '01', last_worked_date: '2024-01-19', planned_end_date: '2024-01-31', return_date: null }]);
    const establishment = await query('select siret, naf_code, commune_insee_code, departement_code, region_code from establishments');
    expect(establishment).toEqual([
      {
        siret: '12345678900012',
        naf_code: '8899B',
        commune_insee_code: '59350',
        departement_code: '59',
        region_code: '32',
      },
    ]);
    const serialized =
      JSON.stringify(await query('select * from persons')) + JSON.stringify(await query('select * from declared_contracts'));
    expect(serialized).not.toContain('2850759123456');

    const again = await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY });
    expect(again).toMatchObject({ declarations: 0, persons: 0, contracts: 0, rejected: [] });
    expect(await query('select count(*)::int as n from declarations')).toEqual([{ n: 1 }]);

    const february = declaration(
      { ...SIAE, month: '2024-02' },
      individual(ALICE),
      ALICE_CDDI,
      stoppage('01', '2024-01-19', '2024-01-31', '2024-02-05'),
      contractEnd('2024-02-29', '059'),
      pay('C1', '2024-02-01', '2024-02-29', '80.00'),
    );
    await ingestDsn(database.pool, [await writeDsn(folder, 'fevrier.dsn', envoi(february))], {
      nirKey: TEST_NIR_KEY,
    });
    expect(await query('select return_date from work_stoppages')).toEqual([{ return_date: '2024-02-05' }]);
    expect(
      await query(`select c.contract_number, c.end_date, c.end_kind, e.reason from contracts c
      left join contract_ends e using (contract_key) order by c.contract_number`),
    ).toEqual([
      { contract_number: '0001', end_date: null, end_kind: null, reason: null },
      { contract_number: 'C1', end_date: '2024-02-29', end_kind: 'declared', reason: '059' },
    ]);
  });
});
