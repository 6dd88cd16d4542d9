import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateDataset } from '../../../seeds/generate.js';
import { createDemoAccounts, describeCredentials, renewDemoPasswords } from '../../accounts/demo-accounts.js';
import { readTotals } from '../../stats/totals.js';
import { type CommandContext, withDatabase } from '../context.js';
import { loadDataset } from '../load-dataset.js';
import { serve } from './serve.js';

const DEMO_SEED = 2026;

/** `npm start`: migrate, load the demo data set into an empty database, then serve. */
export async function startCommand(): Promise<number> {
  return withDatabase(async (context) => {
    if (await loadDemoIfEmpty(context)) await createDemoAccounts(context.database.db);
    const credentials = await renewDemoPasswords(context.database.db);
    if (credentials.length > 0) process.stdout.write(`${describeCredentials(credentials)}\n`);
    await serve(context);
    return 0;
  });
}

/** True when the demo data set was loaded now. */
async function loadDemoIfEmpty({ config, database, nirKey }: CommandContext): Promise<boolean> {
  if ((await readTotals(database)).declarations > 0 || config.demoPersons === 0) return false;
  process.stdout.write(
    `Base vide : génération des données de démonstration (${config.demoPersons} personnes sur ${config.demoMonths} mois)...\n`,
  );
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-demo-'));
  try {
    await generateDataset({
      persons: config.demoPersons,
      months: config.demoMonths,
      seed: DEMO_SEED,
      outDir: folder,
    });
    const loaded = await loadDataset(database.pool, folder, nirKey, process.stderr.isTTY === true);
    process.stdout.write(loaded.report);
    return true;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
