import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateDataset } from '../../../seeds/generate.js';
import { readTotals } from '../../stats/totals.js';
import { type CommandContext, withDatabase } from '../context.js';
import { loadDataset } from '../load-dataset.js';
import { serve } from './serve.js';

const DEMO_SEED = 2026;

/** `npm start`: migrate, load the demo data set into an empty database, then serve. */
export async function startCommand(): Promise<number> {
  return withDatabase(async (context) => {
    await loadDemoIfEmpty(context);
    await serve(context);
    return 0;
  });
}

async function loadDemoIfEmpty({ config, database, nirKey }: CommandContext): Promise<void> {
  if ((await readTotals(database)).declarations > 0 || config.demoPersons === 0) return;
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
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
