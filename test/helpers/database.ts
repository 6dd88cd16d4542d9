import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type DatabaseHandle } from '../../src/db/connection.js';
import { withDatabase } from './global-setup.js';

export const TEST_NIR_KEY = 'cle-de-test-sillage-0123456789abcdef';

export type TestDatabase = DatabaseHandle & { name: string; drop(): Promise<void> };

/** A fresh database cloned from the migrated template: every test file gets its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('serverUrl');
  const name = `sillage_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  const handle = connect(withDatabase(serverUrl, name), 4);
  return {
    ...handle,
    name,
    drop: async () => {
      await handle.close();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
