import { parseArgs } from 'node:util';
import { refreshIndicators } from '../../indicators/refresh.js';
import { importRegister, type RegisterImportResult, type RegisterKind } from '../../registers/import.js';
import { EXIT_OK, EXIT_REJECTED, withDatabase } from '../context.js';
import { UsageError } from '../usage-error.js';
import { importExposuresCommand } from './import-exposures.js';
import { importZonesCommand } from './import-zones.js';

const KINDS: Record<string, RegisterKind> = { participants: 'participants', passes: 'passes' };

export async function importCommand(args: string[]): Promise<number> {
  if (args[0] === 'zones') return importZonesCommand(args.slice(1));
  if (args[0] === 'exposures') return importExposuresCommand(args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [kindName, file, ...extra] = positionals;
  const kind = kindName === undefined ? undefined : KINDS[kindName];
  if (kind === undefined || file === undefined || extra.length > 0) {
    throw new UsageError(
      'usage : sillage import participants <fichier.csv> | sillage import passes <fichier.csv> | sillage import zones <fichier.csv> | sillage import exposures <fichier.csv> [--json]',
    );
  }
  return withDatabase(async ({ database, nirKey }) => {
    const result = await importRegister(database.pool, kind, file, nirKey);
    await refreshIndicators(database.pool);
    process.stdout.write(
      values.json ? `${JSON.stringify({ rows: result.rows, rejected: result.rejected })}\n` : describeImport(file, result),
    );
    return result.rejected.length > 0 ? EXIT_REJECTED : EXIT_OK;
  });
}

function describeImport(file: string, result: RegisterImportResult): string {
  const lines = [`${file} : ${result.rows.toLocaleString('fr-FR')} ligne(s) chargée(s).`];
  if (result.rejected.length === 0) lines.push('Aucun rejet.');
  else {
    lines.push(`${result.rejected.length.toLocaleString('fr-FR')} ligne(s) rejetée(s), non enregistrée(s) :`);
    for (const r of result.rejected) lines.push(`  ligne ${r.line}, colonne ${r.field} : ${r.message}`);
  }
  return `${lines.join('\n')}\n`;
}
