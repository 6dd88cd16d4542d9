import { parseArgs } from 'node:util';
import { readTotals } from '../../stats/totals.js';
import { withDatabase } from '../context.js';

const LABELS = {
  declarations: 'Déclarations en vigueur',
  establishments: 'Établissements',
  persons: 'Personnes',
  contracts: 'Contrats',
  workStoppages: 'Arrêts de travail',
  suspensions: 'Autres suspensions',
  contractEnds: 'Fins de contrat',
  hours: 'Heures travaillées',
} as const;

export async function statsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  return withDatabase(async ({ database }) => {
    const totals = await readTotals(database);
    if (values.json) process.stdout.write(`${JSON.stringify(totals)}\n`);
    else {
      for (const [key, label] of Object.entries(LABELS)) {
        process.stdout.write(`${label.padEnd(26)} ${totals[key as keyof typeof LABELS].toLocaleString('fr-FR')}\n`);
      }
    }
    return 0;
  });
}
