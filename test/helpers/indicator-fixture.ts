import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { refreshIndicators } from '../../src/indicators/refresh.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { importRegister, type RegisterKind } from '../../src/registers/import.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from './database.js';
import { envoi, tempDir, writeDsn } from './dsn-builder.js';

export type IndicatorFixture = {
  /** DSN files, each a list of declarations, ingested one after the other (a replacement after its original). */
  files: string[][][];
  registers?: Partial<Record<RegisterKind, string>>;
};

/** A fresh database holding a hand-built fixture, every line of it accepted, indicators refreshed. */
export async function loadIndicatorFixture(fixture: IndicatorFixture): Promise<TestDatabase> {
  const database = await createTestDatabase();
  const folder = await tempDir();
  for (const [i, declarations] of fixture.files.entries()) {
    const file = await writeDsn(folder, `f${i}.dsn`, envoi(...declarations));
    expect((await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY })).rejected).toEqual([]);
  }
  for (const [kind, text] of Object.entries(fixture.registers ?? {}) as [RegisterKind, string][]) {
    const file = path.join(folder, `${kind}.csv`);
    await writeFile(file, text);
    expect((await importRegister(database.pool, kind, file, TEST_NIR_KEY)).rejected).toEqual([]);
  }
  await refreshIndicators(database.pool);
  return database;
}
