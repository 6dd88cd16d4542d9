import { type Config, loadConfig } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/connection.js';
import { prepareDatabase } from '../db/setup.js';
import { resolveNirKey } from '../persons/secret-key.js';

export type CommandContext = { config: Config; database: DatabaseHandle; nirKey: string };

/** Opens (and migrates) the database for one command, and always closes it. */
export async function withDatabase<T>(run: (context: CommandContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const nirKey = await resolveNirKey(config);
  const database = await openDatabase(config);
  try {
    await prepareDatabase(database);
    return await run({ config, database, nirKey });
  } finally {
    await database.close();
  }
}

/** Exit codes: 0 everything loaded, 2 some input was rejected (the rest loaded), 1 the command failed. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_REJECTED = 2;
