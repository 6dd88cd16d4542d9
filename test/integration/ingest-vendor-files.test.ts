import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { personKeyFromNir, personKeyFromNtt } from '../../src/persons/nir.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';

// Files written from the norm as payroll software writes them (test/fixtures/dsn/README.md), against the facts
// an independent count of their bytes gives (expected.json).

type Expected = {
  declarations: Record<string, number>;
  declaredMonths: string[];
  sirets: string[];
  persons: number;
  contracts: number;
  contractEnds: number;
  stoppages: number;
  suspensions: number;
  hours: Record<string, Record<string, string>>;
  contractEndList: { person: string; contract: string; end: string; reason: string }[];
  stoppageList: { person: string; contract: string; lastWorked: string; return: string | null }[];
};
type Together = { files: string[]; persons: number; contracts: number; stoppages?: number; contractEnds?: number };

const FIXTURES = new URL('../fixtures/dsn/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')) as {
  files: Record<string, Expected>;
  together: Together[];
};
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const keyHex = (identifier: string) =>
  (/^\d{13}$/.test(identifier) ? personKeyFromNir(TEST_NIR_KEY, identifier) : personKeyFromNtt(TEST_NIR_KEY, identifier)).toString('hex');

async function loaded(files: string[], check: (database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  try {
    const summary = await ingestDsn(database.pool, files.map(fixture), { nirKey: TEST_NIR_KEY });
    expect(summary.rejected).toEqual([]);
    expect(summary.warnings).toEqual([]);
    await check(database);
  } finally {
    await database.drop();
  }
}

const count = async (database: TestDatabase, table: string) =>
  ((await database.pool.query(`select count(*)::int as n from ${table}`)).rows[0] as { n: number }).n;

describe('DSN files as payroll software writes them', () => {
  for (const [name, facts] of Object.entries(expected.files)) {
    it(`${name}: every fact counted in the file is loaded, once`, async () => {
      await loaded([name], async (database) => {
        const { rows: natures } = await database.pool.query(
          'select nature, count(*)::int as n from declarations where replaced_by is null group by nature order by nature',
        );
        expect(Object.fromEntries(natures.map((r) => [r.nature, r.n]))).toEqual(facts.declarations);
        const { rows: sirets } = await database.pool.query('select distinct siret from declarations order by siret');
        expect(sirets.map((r) => r.siret)).toEqual([...facts.sirets].sort());
        expect({
          persons: await count(database, 'persons'),
          contracts: await count(database, 'contracts'),
          contractEnds: await count(database, 'contract_ends'),
          stoppages: await count(database, 'work_stoppages'),
          suspensions: await count(database, 'suspensions'),
        }).toEqual({
          persons: facts.persons,
          contracts: facts.contracts,
          contractEnds: facts.contractEnds,
          stoppages: facts.stoppages,
          suspensions: facts.suspensions,
        });
        // Hours come from monthly declarations only: a signalement's pay repeats the monthly one.
        const { rows: hours } = await database.pool.query(
          `select encode(person_key, 'hex') as person, to_char(month, 'YYYY-MM') as month, sum(hours)::text as hours
           from contract_month_hours group by 1, 2 order by 1, 2`,
        );
        const wanted = Object.entries(facts.hours).flatMap(([person, months]) =>
          Object.entries(months).map(([month, value]) => ({ person: keyHex(person), month, hours: value })),
        );
        expect(hours).toEqual(wanted.sort((a, b) => (a.person + a.month).localeCompare(b.person + b.month)));
        const { rows: ends } = await database.pool.query(
          `select encode(c.person_key, 'hex') as person, c.contract_number as contract, e.end_date::text as end, e.reason
           from contract_ends e join contracts c using (contract_key) order by 1`,
        );
        expect(ends).toEqual(
          facts.contractEndList
            .map(({ person, contract, end, reason }) => ({ person: keyHex(person), contract, end, reason }))
            .sort((a, b) => a.person.localeCompare(b.person)),
        );
        const { rows: stoppages } = await database.pool.query(
          `select encode(c.person_key, 'hex') as person, c.contract_number as contract, s.last_worked_date::text as "lastWorked",
             s.return_date::text as return
           from work_stoppages s join contracts c using (contract_key) order by 1`,
        );
        expect(stoppages).toEqual(
          facts.stoppageList.map(({ person, contract, lastWorked, return: back }) => ({
            person: keyHex(person),
            contract,
            lastWorked,
            return: back,
          })),
        );
      });
    });
  }

  for (const together of expected.together) {
    it(`${together.files.join(' + ')}: facts the monthly declaration repeats count once`, async () => {
      await loaded(together.files, async (database) => {
        expect(await count(database, 'persons')).toBe(together.persons);
        expect(await count(database, 'contracts')).toBe(together.contracts);
        if (together.stoppages !== undefined) expect(await count(database, 'work_stoppages')).toBe(together.stoppages);
        if (together.contractEnds !== undefined) expect(await count(database, 'contract_ends')).toBe(together.contractEnds);
      });
    });
  }
});
