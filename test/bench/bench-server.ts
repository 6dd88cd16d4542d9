import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { connect } from '../../src/db/connection.js';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { prepareDatabase } from '../../src/db/setup.js';

export type BenchServer = {
  /** An empty, migrated database of that name (dropped first if a previous run left it). */
  freshDatabase(name: string): Promise<ReturnType<typeof connect>>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
};

/** The server the benchmarks run on: `DATABASE_URL`'s, else the embedded one. */
export async function openBenchServer(): Promise<BenchServer> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, config.embeddedPort);
  const serverUrl = config.databaseUrl ?? (embedded?.url as string);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const dropDatabase = async (name: string) => {
    await admin.query(`drop database if exists ${name} with (force)`);
  };
  return {
    async freshDatabase(name) {
      await dropDatabase(name);
      await admin.query(`create database ${name}`);
      const handle = connect(Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString(), 4);
      await prepareDatabase(handle);
      return handle;
    },
    dropDatabase,
    async stop() {
      await admin.end();
      await embedded?.stop();
    },
  };
}
