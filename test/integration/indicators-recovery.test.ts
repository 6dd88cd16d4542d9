import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../src/db/connection.js';
import { employerFiltersSchema } from '../../src/employers/filters.js';
import { listEmployers } from '../../src/employers/repository.js';
import { indicatorFreshness } from '../../src/indicators/freshness.js';
import { MATERIALIZED_VIEWS, refreshIndicators } from '../../src/indicators/refresh.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { cliEnv, runCli } from '../helpers/cli.js';
import { TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, individual, pay, tempDir, writeDsn } from '../helpers/dsn-builder.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';
import { withDatabase } from '../helpers/global-setup.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';

const run = promisify(execFile);
const serverUrl = inject('serverUrl');

/** Why pg_dump cannot take this server's dump, or null when it can: pg_dump refuses a server newer than itself. */
async function whyNoDump(): Promise<string | null> {
  const tool = await run('pg_dump', ['--version']).then(
    ({ stdout }) => Number(/(\d+)\./.exec(stdout)?.[1]),
    () => null,
  );
  if (tool === null) return 'pg_dump is not installed';
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const server = Math.floor(Number((await client.query('show server_version_num')).rows[0].server_version_num) / 10_000);
  await client.end();
  return server > tool ? `pg_dump ${tool} cannot dump a PostgreSQL ${server} server` : null;
}
const noDump = await whyNoDump();

const viewRows = async (pool: pg.Pool, view: string) => (await pool.query(`select * from ${view} order by 1, 2`)).rows;

let database: TestDatabase;
beforeAll(async () => {
  database = await loadEmployersFixture();
});
afterAll(async () => {
  await database.drop();
});

describe('a database restored from pg_dump', () => {
  it.skipIf(noDump !== null)(`recovers its indicators with a refresh${noDump ? ` (skipped: ${noDump})` : ''}`, async () => {
    const dump = path.join(await tempDir(), 'sillage.dump');
    await run('pg_dump', ['-Fc', '-f', dump, database.url]);
    const name = `sillage_restored_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name} template template0`);
    const restored = connect(withDatabase(serverUrl, name), 4);
    try {
      // pg_restore orders employer_engagement before employer_hires (the dependency is inside a function): errors.
      await run('pg_restore', ['--no-owner', '-d', restored.url, dump]).catch(() => undefined);
      const unpopulated = await restored.pool.query(`select relname from pg_class where relkind = 'm' and not relispopulated order by 1`);
      expect(unpopulated.rows.map((row) => row.relname)).toContain('employer_engagement');

      // The views pg_restore left empty are named as stale, and none is once refreshed.
      const { stale } = await refreshIndicators(restored.pool);
      expect(stale).toEqual(expect.arrayContaining(['employer_engagement', 'employer_engagement_history']));
      expect((await indicatorFreshness(restored.db)).filter((view) => view.stale)).toEqual([]);
      for (const view of MATERIALIZED_VIEWS) expect(await viewRows(restored.pool, view), view).toEqual(await viewRows(database.pool, view));
      const page = await listEmployers(restored.db, employerFiltersSchema.parse({}));
      expect(page.rows.map((row) => row.siret)).toEqual([SIRET.A, SIRET.E, SIRET.R, SIRET.C, SIRET.B, SIRET.D]);
      expect(page.rows.map((row) => row.score)).toEqual([61.5, 50, 50, 45.2, 44, null]);
    } finally {
      await restored.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

const ENT = { siren: '732829320', nic: '00074' };
const ANNA = { nir: '2900133001002', lastName: 'NGUYEN', birth: '03011990' };
const month = (m: string) =>
  declaration(
    { ...ENT, month: m },
    individual(ANNA),
    contract({ start: '2024-01-02', number: 'ENT-7', nature: '01' }),
    pay('ENT-7', `${m}-01`, `${m}-28`, '151.67'),
  );

describe('a refresh interrupted midway', () => {
  it('leaves the views it did not reach marked stale, and the next sillage refresh brings every one up to date', async () => {
    const anna = await loadIndicatorFixture({ files: [[month('2024-01')], [month('2024-02')]] });
    const locker = await anna.pool.connect();
    try {
      const period = async () => (await anna.pool.query(`select to_char(period, 'YYYY-MM') as period from employer_engagement`)).rows;
      const stale = async () => (await indicatorFreshness(anna.db)).filter((view) => view.stale).map((view) => view.view);
      expect(await stale()).toEqual([]);
      expect(await period()).toEqual([{ period: '2024-02' }]);

      const file = await writeDsn(await tempDir(), 'mars.dsn', envoi(month('2024-03')));
      expect((await ingestDsn(anna.pool, [file], { nirKey: TEST_NIR_KEY })).rejected).toEqual([]);
      expect(await stale()).toEqual([...MATERIALIZED_VIEWS]);

      // Only employer_engagement reads naf_codes: the refresh waits there, and its connection is ended there.
      await locker.query('begin; lock table naf_codes in access exclusive mode');
      const refresh = refreshIndicators(anna.pool).then(
        () => 'fini',
        (error: Error) => error.message,
      );
      let pid: number | undefined;
      while (pid === undefined) {
        const { rows } = await anna.pool.query(
          `select pid from pg_stat_activity where query like '%refresh materialized view%employer_engagement' and wait_event_type = 'Lock'`,
        );
        pid = rows[0]?.pid;
      }
      await anna.pool.query('select pg_terminate_backend($1)', [pid]);
      expect(await refresh).toMatch(/terminat/);
      await locker.query('rollback');

      // What was refreshed before the interruption is up to date; the rest says it is not.
      expect(await stale()).toEqual(['employer_engagement', 'employer_engagement_history']);
      expect(await period()).toEqual([{ period: '2024-02' }]);

      const result = await runCli(['refresh'], cliEnv(anna.url));
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Indicateurs en retard rattrapés : employer_engagement, employer_engagement_history.');
      expect(await stale()).toEqual([]);
      expect(await period()).toEqual([{ period: '2024-03' }]);
    } finally {
      locker.release();
      await anna.drop();
    }
  });
});
