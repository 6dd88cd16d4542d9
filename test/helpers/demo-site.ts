import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { generateDataset } from '../../seeds/generate.js';
import { createDemoAccounts, type DemoCredential, renewDemoPasswords } from '../../src/accounts/demo-accounts.js';
import type { Role } from '../../src/accounts/roles.js';
import { loadDataset } from '../../src/cli/load-dataset.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from './database.js';
import { tempDir } from './dsn-builder.js';
import { buildTestApp } from './web.js';

export type DemoSite = {
  database: TestDatabase;
  app: FastifyInstance;
  baseUrl: string;
  account(role: Role): DemoCredential;
  close(): Promise<void>;
};

/** A small generated data set, loaded as `npm start` loads the demo, served on a real port with its demo accounts. */
export async function openDemoSite(options: { persons: number; months: number }): Promise<DemoSite> {
  const database = await createTestDatabase();
  const folder = await tempDir('sillage-demo-');
  await generateDataset({ persons: options.persons, months: options.months, seed: 2026, outDir: folder });
  await loadDataset(database.pool, folder, TEST_NIR_KEY, false);
  await rm(folder, { recursive: true, force: true });
  await createDemoAccounts(database.db);
  const credentials = await renewDemoPasswords(database.db);
  const app = await buildTestApp(database);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    database,
    app,
    baseUrl,
    account(role) {
      const found = credentials.find((c) => c.role === role);
      if (!found) throw new Error(`pas de compte de démonstration ${role}`);
      return found;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
