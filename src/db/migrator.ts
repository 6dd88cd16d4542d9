import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

// Kysely's FileMigrationProvider cannot import .ts files under vitest on Node 20; a file URL import can.
class TypeScriptMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((file) => /^\d+_.+\.ts$/.test(file)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.ts$/, '')] = await import(pathToFileURL(path.join(this.folder, file)).href);
    }
    return migrations;
  }
}

export class MigrationError extends Error {}

/** Applies every pending migration; throws with the failing migration's name and cause. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new TypeScriptMigrationProvider(MIGRATIONS_DIR) });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  // No migration ran (database unreachable, for example): the original error says more.
  if (error && !failed) throw error;
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`La migration ${failed?.migrationName ?? ''} a échoué : ${cause}`);
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
