import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { readTotals } from '../../src/stats/totals.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { contract, contractEnd, declaration, envoi, individual, pay, stoppage, tempDir, writeDsn } from '../helpers/dsn-builder.js';

const EI = { siren: '552100554', nic: '00017' };
const ANNA = { nir: '2900133001002', lastName: 'NGUYEN', birth: '03011990' };
const LEO = { nir: '1950269002003', lastName: 'PETIT', birth: '05021995' };
const annaContract = (quotity = '151.67') =>
  contract({ start: '2024-01-08', number: 'EI-1', nature: '02', scheme: '71', complement: '04', quotity });

let database: TestDatabase;
let folder: string;
let fileNumber = 0;

beforeEach(async () => {
  database = await createTestDatabase();
  folder = await tempDir();
});
afterEach(async () => {
  await database.drop();
});

const ingest = async (...declarations: string[][]) =>
  ingestDsn(database.pool, [await writeDsn(folder, `d${fileNumber++}.dsn`, envoi(...declarations))], {
    nirKey: TEST_NIR_KEY,
  });
const rows = async <T>(text: string) => (await database.pool.query(text)).rows as T[];
const hoursByMonth = () =>
  rows(`select h.month, sum(h.hours)::float8 as hours from contract_hours h
        join declarations d on d.id = h.declaration_id and d.replaced_by is null group by h.month order by h.month`);

describe('cancel-and-replace and cancel', () => {
  it('a type 03 declaration replaces the earlier one of the same SIRET, month and fraction', async () => {
    await ingest(
      declaration({ ...EI, month: '2024-01' }, individual(ANNA), annaContract(), pay('EI-1', '2024-01-08', '2024-01-31', '120.00')),
    );
    const replacement = await ingest(
      declaration(
        { ...EI, month: '2024-01', type: '03' },
        individual(ANNA),
        annaContract('104.00'),
        pay('EI-1', '2024-01-08', '2024-01-31', '96.00'),
      ),
    );
    expect(replacement).toMatchObject({ declarations: 1, replaced: 1, cancelled: 0, rejected: [] });
    expect(await hoursByMonth()).toEqual([{ month: '2024-01-01', hours: 96 }]);
    expect(await rows('select contract_hours from contracts')).toEqual([{ contract_hours: 104 }]);
    expect((await readTotals(database)).declarations).toBe(1);
  });

  it('a replacement that arrives before its original still wins', async () => {
    await ingest(
      declaration(
        { ...EI, month: '2024-01', type: '03' },
        individual(ANNA),
        annaContract(),
        pay('EI-1', '2024-01-08', '2024-01-31', '96.00'),
      ),
    );
    const late = await ingest(
      declaration({ ...EI, month: '2024-01' }, individual(ANNA), annaContract(), pay('EI-1', '2024-01-08', '2024-01-31', '120.00')),
    );
    expect(late).toMatchObject({ declarations: 1, replaced: 1 });
    expect(await hoursByMonth()).toEqual([{ month: '2024-01-01', hours: 96 }]);
  });

  it('a type 04 declaration cancels the earlier one and what only it declared', async () => {
    await ingest(
      declaration({ ...EI, month: '2024-01' }, individual(ANNA), annaContract(), pay('EI-1', '2024-01-08', '2024-01-31', '120.00')),
    );
    await ingest(
      declaration(
        { ...EI, month: '2024-02' },
        individual(ANNA),
        annaContract(),
        pay('EI-1', '2024-02-01', '2024-02-29', '140.00'),
        individual(LEO),
        contract({ start: '2024-02-12', number: 'EI-2', nature: '02', complement: '04' }),
      ),
    );
    const cancel = await ingest(declaration({ ...EI, month: '2024-02', type: '04' }));
    expect(cancel).toMatchObject({ declarations: 1, replaced: 0, cancelled: 1 });
    expect(await hoursByMonth()).toEqual([{ month: '2024-01-01', hours: 120 }]);
    expect(await rows('select contract_number, last_declared_month from contracts')).toEqual([
      { contract_number: 'EI-1', last_declared_month: '2024-01-01' },
    ]);
    expect(await readTotals(database)).toMatchObject({
      declarations: 1,
      persons: 1,
      contracts: 1,
      hours: 120,
    });
  });
});

describe('facts declared again in later months', () => {
  it('a stoppage declared again with its return date is one stoppage, updated; reason 99 cancels it', async () => {
    await ingest(declaration({ ...EI, month: '2024-01' }, individual(ANNA), annaContract(), stoppage('01', '2024-01-15', '2024-02-10')));
    await ingest(
      declaration({ ...EI, month: '2024-02' }, individual(ANNA), annaContract(), stoppage('01', '2024-01-15', '2024-02-10', '2024-02-12')),
    );
    expect(await rows('select last_worked_date, planned_end_date, return_date from work_stoppages')).toEqual([
      { last_worked_date: '2024-01-15', planned_end_date: '2024-02-10', return_date: '2024-02-12' },
    ]);
    await ingest(declaration({ ...EI, month: '2024-03' }, individual(ANNA), annaContract(), stoppage('99', '2024-01-15')));
    expect(await rows('select * from work_stoppages')).toEqual([]);
  });

  it('an end cancelled by 099 is no end; a later end counts', async () => {
    await ingest(declaration({ ...EI, month: '2024-01' }, individual(ANNA), annaContract(), contractEnd('2024-01-31', '059')));
    expect(await rows('select end_date, end_kind from contracts')).toEqual([{ end_date: '2024-01-31', end_kind: 'declared' }]);
    await ingest(declaration({ ...EI, month: '2024-02' }, individual(ANNA), annaContract(), contractEnd('2024-01-31', '099')));
    expect(await rows('select end_date, end_kind from contracts')).toEqual([{ end_date: null, end_kind: null }]);
    expect((await readTotals(database)).contractEnds).toBe(0);
    await ingest(declaration({ ...EI, month: '2024-03' }, individual(ANNA), annaContract(), contractEnd('2024-03-15', '031')));
    expect(await rows('select end_date, end_kind from contracts')).toEqual([{ end_date: '2024-03-15', end_kind: 'declared' }]);
  });

  it('a contract no longer declared while its establishment declares 3 more months ends at its last declared month', async () => {
    const withLeo = (month: string) =>
      declaration({ ...EI, month }, individual(LEO), contract({ start: '2023-06-01', number: 'L', nature: '01' }));
    await ingest(
      declaration(
        { ...EI, month: '2024-01' },
        individual(ANNA),
        annaContract(),
        individual(LEO),
        contract({ start: '2023-06-01', number: 'L', nature: '01' }),
      ),
    );
    await ingest(withLeo('2024-02'), withLeo('2024-03'));
    expect(await rows(`select end_date from contracts where contract_number = 'EI-1'`)).toEqual([{ end_date: null }]);
    await ingest(withLeo('2024-04'));
    expect(await rows(`select contract_number, end_date, end_kind from contracts order by contract_number`)).toEqual([
      { contract_number: 'EI-1', end_date: '2024-01-31', end_kind: 'implicit' },
      { contract_number: 'L', end_date: null, end_kind: null },
    ]);
  });
});

describe('bad input', () => {
  it('rejects bad declarations and files, stores nothing of them, and loads the others', async () => {
    const good = declaration(
      { ...EI, month: '2024-01' },
      individual(ANNA),
      annaContract(),
      pay('EI-1', '2024-01-08', '2024-01-31', '100.00'),
    );
    const badDate = declaration({ ...EI, nic: '00025', month: '2024-01' }, individual(LEO), contract({ start: '2024-01-32', number: 'X' }));
    const orphanPay = declaration(
      { ...EI, nic: '00033', month: '2024-01' },
      individual(LEO),
      contract({ start: '2024-01-02', number: 'X' }),
      pay('Y', '2024-01-02', '2024-01-31', '10'),
    );
    const mixed = await writeDsn(folder, 'mixed.dsn', envoi(badDate, good, orphanPay));
    const truncated = await writeDsn(
      folder,
      'tronque.dsn',
      envoi(declaration({ ...EI, month: '2024-02' }, individual(LEO), contract({ start: '2024-01-02', number: 'Z' }))).slice(0, 400),
    );
    const binary = await writeDsn(folder, 'image.dsn', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000');
    const summary = await ingestDsn(database.pool, [mixed, truncated, binary], { nirKey: TEST_NIR_KEY });
    expect(summary).toMatchObject({ files: 3, declarations: 1, persons: 1, contracts: 1 });
    expect(summary.rejected.map((r) => [r.file.split('/').pop(), r.rubric])).toEqual([
      ['mixed.dsn', 'S21.G00.40.001'],
      ['mixed.dsn', 'S21.G00.51.010'],
      ['tronque.dsn', 'S90.G00.90'],
      ['image.dsn', ''],
    ]);
    expect(await readTotals(database)).toEqual({
      declarations: 1,
      establishments: 1,
      persons: 1,
      contracts: 1,
      workStoppages: 0,
      suspensions: 0,
      contractEnds: 0,
      hours: 100,
    });
    expect(await rows('select status, files, declarations, rejected from ingest_runs')).toEqual([
      { status: 'done', files: 3, declarations: 1, rejected: 4 },
    ]);
    expect(await rows('select count(*)::int as n from ingest_rejections')).toEqual([{ n: 4 }]);
  });
});

describe('persons and establishments', () => {
  it('take their attributes from their latest declaration in force, whatever the order files arrive in', async () => {
    const march = declaration(
      { ...EI, month: '2024-03', naf: '4711D', postalCode: '59800', town: 'LILLE' },
      individual({ ...ANNA, lastName: "N'GUYEN-ÉLOI" }),
      annaContract(),
    );
    const january = declaration({ ...EI, month: '2024-01' }, individual(ANNA), annaContract());
    // March first, then January in another run: the older month changes nothing but the first month.
    await ingest(march);
    await ingest(january);
    const person = () => rows('select last_name, first_declared_month::text as first, last_declared_month::text as last from persons');
    const establishment = () =>
      rows(
        'select naf_code, postal_code, commune_insee_code, first_declared_month::text as first, last_declared_month::text as last from establishments',
      );
    expect(await person()).toEqual([{ last_name: "N'GUYEN-ÉLOI", first: '2024-01-01', last: '2024-03-01' }]);
    expect(await establishment()).toEqual([
      { naf_code: '4711D', postal_code: '59800', commune_insee_code: '59350', first: '2024-01-01', last: '2024-03-01' },
    ]);
    // A type 03 for March restores the earlier name and activity code.
    await ingest(declaration({ ...EI, month: '2024-03', type: '03' }, individual(ANNA), annaContract()));
    expect(await person()).toEqual([{ last_name: 'NGUYEN', first: '2024-01-01', last: '2024-03-01' }]);
    expect((await establishment())[0]).toMatchObject({ naf_code: '8899B', postal_code: '59000' });
  });
});
