import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshIndicators } from '../../src/indicators/refresh.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, individual, pay, tempDir, writeDsn } from '../helpers/dsn-builder.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';
import { andWaitForNotice, buildTestApp, getPage, type SignedIn, signedIn } from '../helpers/web.js';

// One establishment hires Anna in January 2024; a second one hires Bruno in February once the listener was cut.
const hire = (siren: string, person: { nir: string; lastName: string; birth: string }, m: string) =>
  declaration(
    { siren, nic: '00074', month: m },
    individual(person),
    contract({ start: `${m}-02`, number: 'C-1', nature: '01' }),
    pay('C-1', `${m}-01`, `${m}-28`, '151.67'),
  );
const ANNA = { nir: '2900133001002', lastName: 'NGUYEN', birth: '03011990' };
const BRUNO = { nir: '1850575123456', lastName: 'MARTIN', birth: '12051985' };

let database: TestDatabase;
let app: FastifyInstance;
let counsellor: SignedIn;

beforeAll(async () => {
  database = await loadIndicatorFixture({ files: [[hire('732829320', ANNA, '2024-01')]] });
  app = await buildTestApp(database);
  counsellor = await signedIn(database, 'conseiller');
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const listeners = async () =>
  (
    await database.pool.query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = 'sillage-indicateurs' and datname = current_database() and query ilike 'listen%'`,
    )
  ).rows.map((row) => row.pid);
const heading = async () => /<h2 id="titre-resultats"[^>]*>([^<]*)<\/h2>/.exec((await getPage(app, '/employeurs', counsellor)).body)?.[1];

describe('the web server listening for indicator refreshes', () => {
  it('listens again after its connection is ended, drops what it kept, and shows the figures of the next refresh', async () => {
    expect(await heading()).toBe('1 établissement');
    const [first] = await listeners();
    expect(first).toBeDefined();

    const clears = app.indicators.clears;
    await database.pool.query('select pg_terminate_backend($1)', [first]);
    let again: number[] = [];
    for (let i = 0; i < 200 && again.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = (await listeners()).filter((pid) => pid !== first);
    }
    expect(again).toHaveLength(1);
    // A refresh may have been announced while nobody listened: what was kept is dropped.
    expect(app.indicators.clears).toBeGreaterThan(clears);

    expect(await heading()).toBe('1 établissement');
    const file = await writeDsn(await tempDir(), 'fevrier.dsn', envoi(hire('552100554', BRUNO, '2024-02')));
    expect((await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY })).rejected).toEqual([]);
    await andWaitForNotice(app, () => refreshIndicators(database.pool));
    expect(await heading()).toBe('2 établissements');
  });
});
