import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshIndicators } from '../../src/indicators/refresh.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, individual, pay, tempDir, writeDsn } from '../helpers/dsn-builder.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';

const ENT = { siren: '732829320', nic: '00074' };
const ANNA = { nir: '2900133001002', lastName: 'NGUYEN', birth: '03011990' };
const annaCdi = () => contract({ start: '2024-01-02', number: 'ENT-7', nature: '01' });
const month = (m: string) => declaration({ ...ENT, month: m }, individual(ANNA), annaCdi(), pay('ENT-7', `${m}-01`, `${m}-28`, '151.67'));

let database: TestDatabase;

beforeAll(async () => {
  database = await loadIndicatorFixture({ files: [[month('2024-01')], [month('2024-02')]] });
});
afterAll(async () => {
  await database.drop();
});

describe('refresh', () => {
  it('lets pages read while it runs: the previous rows, then the new ones, never an empty view', async () => {
    // A page's connection that fails rather than wait for a lock: a refresh must never make it wait.
    const reader = await database.pool.connect();
    await reader.query(`set lock_timeout = '1ms'`);
    const count = async () => Number((await reader.query('select count(*) from person_months')).rows[0].count);
    expect(await count()).toBe(2);
    const file = await writeDsn(await tempDir(), 'mars.dsn', envoi(month('2024-03')));
    expect((await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY })).rejected).toEqual([]);

    let refreshed = false;
    const refresh = refreshIndicators(database.pool).then(() => {
      refreshed = true;
    });
    const seenDuringRefresh: number[] = [];
    while (!refreshed) {
      const seen = await count();
      if (!refreshed) seenDuringRefresh.push(seen);
    }
    await refresh;
    // Reads went on while the refresh ran (not blocked): the 2 months before, then the 3 once person_months
    // was swapped (the views after it were still being computed), never 0 and never back.
    expect(seenDuringRefresh.length).toBeGreaterThan(0);
    expect(seenDuringRefresh.every((seen) => seen === 2 || seen === 3)).toBe(true);
    expect(seenDuringRefresh).toEqual([...seenDuringRefresh].sort());
    expect(await count()).toBe(3);
    reader.release();
  });
});
