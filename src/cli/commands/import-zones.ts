import { parseArgs } from 'node:util';
import { importZones, type ZonesImportResult } from '../../employers/zones-import.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REJECTED, withDatabase } from '../context.js';
import { UsageError } from '../usage-error.js';

/** `sillage import zones <csv> [--json]`: the arguments after `zones`. */
export async function importZonesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new UsageError("usage : sillage import zones <fichier.csv> [--json] (fichier de l'INSEE : colonnes CODGEO, ZE2020, LIBZE2020)");
  }
  return withDatabase(async ({ database }) => {
    const result = await importZones(database.pool, file);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ loaded: result.loaded, zones: result.zones, communes: result.communes, rejected: result.rejected })}\n`
        : describeZonesImport(file, result),
    );
    if (!result.loaded) return EXIT_FAILED;
    return result.rejected.length > 0 ? EXIT_REJECTED : EXIT_OK;
  });
}

function describeZonesImport(file: string, result: ZonesImportResult): string {
  const count = (n: number) => n.toLocaleString('fr-FR');
  const lines = result.loaded
    ? [
        `${file} : ${count(result.zones)} zone(s) d'emploi, ${count(result.communes)} commune(s) rattachée(s) ; les zones précédentes sont remplacées.`,
      ]
    : [`${file} : fichier refusé, rien n'a changé (les zones d'emploi précédentes sont conservées).`];
  if (result.rejected.length === 0) lines.push('Aucun rejet.');
  else {
    if (result.loaded) lines.push(`${count(result.rejected.length)} rejet(s), ligne(s) non enregistrée(s) :`);
    for (const r of result.rejected) lines.push(`  ligne ${r.line}${r.field ? `, colonne ${r.field}` : ''} : ${r.message}`);
  }
  return `${lines.join('\n')}\n`;
}
