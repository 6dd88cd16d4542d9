import type { DatabaseHandle } from './connection.js';
import { migrateToLatest } from './migrator.js';
import { loadReferenceData } from './reference-data.js';

/** Schema to the latest migration, then reference data: what `sillage migrate` and every start do. */
export async function prepareDatabase(handle: Pick<DatabaseHandle, 'db' | 'pool'>): Promise<string[]> {
  const applied = await migrateToLatest(handle.db);
  const client = await handle.pool.connect();
  try {
    await loadReferenceData(client);
  } finally {
    client.release();
  }
  return applied;
}
