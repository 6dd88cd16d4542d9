import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLockedRun } from '../../src/ingest/runs.js';
import { cliEnv, runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { manyDeclarations, tempDir, writeDsn } from '../helpers/dsn-builder.js';

let database: TestDatabase;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await tempDir('sillage-interrompu-');
});
afterAll(async () => {
  await database.drop();
});

const scalar = async <T>(text: string, values: unknown[] = []) =>
  Object.values((await database.pool.query(text, values)).rows[0] as object)[0] as T;

describe('an ingest killed by SIGKILL', () => {
  it('is closed as interrupted by the next ingest, which resolves its declarations once; later ingests leave them alone', async () => {
    const big = await writeDsn(folder, 'gros.dsn', manyDeclarations('111222333', 300));
    const env = cliEnv(database.url, { SILLAGE_INGEST_BATCH_LINES: '2000' });
    const child = startCli(['ingest', big], env);
    const exited = new Promise((resolve) => child.on('close', resolve));
    let loaded = 0;
    while (loaded === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      loaded = await scalar<number>('select count(*)::int from declarations');
    }
    child.kill('SIGKILL');
    await exited;
    const dead = await scalar<number>(`select max(id)::int from ingest_runs where kind = 'dsn'`);
    // The killed client's server session ends when it notices the closed socket, committing nothing more after.
    const sessionLocks = `select count(*)::int from pg_locks where locktype = 'advisory' and objsubid = 2 and objid = $1`;
    while ((await scalar<number>(sessionLocks, [dead])) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await scalar<string>('select status from ingest_runs where id = $1', [dead])).toBe('running');
    const deadDeclarations = await scalar<number>('select count(*)::int from declarations where run_id = $1', [dead]);
    expect(deadDeclarations).toBeGreaterThan(0);
    expect(deadDeclarations).toBeLessThan(300);

    // Another establishment's file: the dead run's declarations are resolved with it, and the dead run is closed.
    const second = await runCli(['ingest', await writeDsn(folder, 'autre.dsn', manyDeclarations('444555666', 1, 500)), '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(await scalar<string>('select status from ingest_runs where id = $1', [dead])).toBe('interrupted');
    expect(await scalar<number>('select declarations from ingest_runs where id = $1', [dead])).toBe(deadDeclarations);
    expect(await scalar<number>('select count(*)::int from contracts')).toBe(25 * deadDeclarations + 25);

    // A resolved fact of the dead run changed by hand: a later ingest that re-resolved its declarations would undo it.
    const deadPersons = `person_key in (select p.person_key from declared_persons p join declarations d on d.id = p.declaration_id where d.run_id = $1)`;
    await database.pool.query(`update persons set last_name = 'INCHANGÉ' where ${deadPersons}`, [dead]);
    const third = await runCli(['ingest', await writeDsn(folder, 'encore.dsn', manyDeclarations('777888999', 1, 600)), '--json'], env);
    expect(third.code, third.stderr).toBe(0);
    expect(await scalar<number>(`select count(*)::int from persons where ${deadPersons} and last_name = 'INCHANGÉ'`, [dead])).toBe(
      await scalar<number>(`select count(*)::int from persons where ${deadPersons}`, [dead]),
    );
    expect(await scalar<number>(`select count(*)::int from ingest_runs where status = 'running'`)).toBe(0);
  });

  it('leaves alone a run still alive, whose ingest holds its lock', async () => {
    const client = await database.pool.connect();
    try {
      const alive = await startLockedRun(client);
      const env = cliEnv(database.url);
      const other = await runCli(['ingest', await writeDsn(folder, 'vivant.dsn', manyDeclarations('222333444', 1, 700)), '--json'], env);
      expect(other.code, other.stderr).toBe(0);
      expect(await scalar<string>('select status from ingest_runs where id = $1', [alive])).toBe('running');
    } finally {
      client.release(true);
    }
  });
});
