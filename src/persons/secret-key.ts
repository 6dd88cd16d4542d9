import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Config, ConfigError } from '../config.js';

/**
 * The NIR key: from configuration, or generated once into the data folder for the embedded database.
 * With an external database the key must be configured, so that every machine computes the same keys.
 */
export async function resolveNirKey(config: Config): Promise<string> {
  if (config.nirKey) return config.nirKey;
  if (config.databaseUrl) {
    throw new ConfigError(
      'SILLAGE_NIR_KEY est obligatoire avec DATABASE_URL : donnez une clé secrète d’au moins 32 caractères (par exemple `openssl rand -hex 32`), la même sur chaque machine.',
    );
  }
  const file = path.join(config.dataDir, 'nir-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
