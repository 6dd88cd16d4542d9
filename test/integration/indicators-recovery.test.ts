import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../src/db/connection.js';
import { employerFiltersSchema } from '../../src/employers/filters.js';
import { listEmployers } from '../../src/employers/repository.js';
import { MATERIALIZED_VIEWS, refreshIndicators } from '../../src/indicators/refresh.js';
import type { TestDatabase } from '../helpers/database.js';
import { tempDir } from '../helpers/dsn-builder.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';
import { withDatabase } from '../helpers/global-setup.js';

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

      await refreshIndicators(restored.pool);
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
