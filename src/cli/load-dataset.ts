import path from 'node:path';
import type pg from 'pg';
import { refreshIndicators } from '../indicators/refresh.js';
import { importRegister } from '../registers/import.js';
import { describeIngest, runIngest } from './commands/ingest.js';

export type LoadedDataset = { rejected: number; report: string };

/** A generated data set into the database: its DSN folder, then its two registers, then the indicators. */
export async function loadDataset(pool: pg.Pool, folder: string, nirKey: string, showProgress: boolean): Promise<LoadedDataset> {
  const summary = await runIngest(pool, [path.join(folder, 'dsn')], { nirKey }, showProgress);
  const participants = await importRegister(pool, 'participants', path.join(folder, 'registres', 'participants.csv'), nirKey);
  const passes = await importRegister(pool, 'passes', path.join(folder, 'registres', 'pass-iae.csv'), nirKey);
  await refreshIndicators(pool);
  const report = [
    describeIngest(summary),
    `Registre des participants : ${participants.rows} ligne(s), ${participants.rejected.length} rejet(s).\n`,
    `Registre des PASS IAE : ${passes.rows} ligne(s), ${passes.rejected.length} rejet(s).\n`,
  ].join('');
  return {
    rejected: summary.rejected.length + participants.rejected.length + passes.rejected.length,
    report,
  };
}
