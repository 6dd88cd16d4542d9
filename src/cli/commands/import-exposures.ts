import { parseArgs } from 'node:util';
import { type ExposuresImportResult, importExposures } from '../../exposures/import.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REJECTED, withDatabase } from '../context.js';
import { UsageError } from '../usage-error.js';

/** `sillage import exposures <csv> [--json]`: the arguments after `exposures`. */
export async function importExposuresCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new UsageError(
      'usage : sillage import exposures <fichier.csv> [--json] (remises de score aux employeurs : colonnes siret, date, canal)',
    );
  }
  return withDatabase(async ({ database }) => {
    const result = await importExposures(database.pool, file);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ loaded: result.loaded, recorded: result.recorded, already: result.already, rejected: result.rejected })}\n`
        : describeExposuresImport(file, result),
    );
    if (!result.loaded) return EXIT_FAILED;
    return result.rejected.length > 0 ? EXIT_REJECTED : EXIT_OK;
  });
}

export function describeExposuresImport(file: string, result: ExposuresImportResult): string {
  const count = (n: number) => n.toLocaleString('fr-FR');
  const lines = result.loaded
    ? [
        `${file} : ${count(result.recorded)} remise(s) de score enregistrée(s)${result.already > 0 ? `, ${count(result.already)} déjà enregistrée(s) auparavant` : ''}.`,
      ]
    : [`${file} : fichier refusé, rien n'a été enregistré.`];
  if (result.rejected.length === 0) lines.push('Aucun rejet.');
  else {
    if (result.loaded) lines.push(`${count(result.rejected.length)} rejet(s), ligne(s) non enregistrée(s) :`);
    for (const r of result.rejected) lines.push(`  ligne ${r.line}${r.field ? `, colonne ${r.field}` : ''} : ${r.message}`);
  }
  return `${lines.join('\n')}\n`;
}
