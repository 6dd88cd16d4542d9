import './pg-types.js';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';
import type { Database } from './schema.js';

export type DatabaseHandle = {
  db: Kysely<Database>;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
};

export function connect(url: string, max = 10): Omit<DatabaseHandle, 'close'> & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server must not take the process down; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const close = async () => {
    await db.destroy();
    // Kysely ends the pool only if it ran a query itself; COPY and raw queries use the pool directly.
    if (!pool.ended) await pool.end();
  };
  return { db, pool, url, close };
}

/** `DATABASE_URL` when set, else the embedded PostgreSQL in the data folder, started and stopped with us. */
export async function openDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.databaseUrl) return connect(config.databaseUrl);
  const server = await startEmbeddedPostgres(config.dataDir, config.embeddedPort);
  const handle = connect(server.url);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await server.stop();
    },
  };
}
