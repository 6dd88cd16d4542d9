import { withDatabase } from '../context.js';

export async function migrateCommand(): Promise<number> {
  return withDatabase(async () => {
    process.stdout.write('Base de données à jour (migrations et référentiels).\n');
    return 0;
  });
}
