import { importExposures } from '../../exposures/import.js';
import { runCsvImport } from '../csv-import-command.js';

const count = (n: number) => n.toLocaleString('fr-FR');

/** `sillage import exposures <csv> [--json]`: the arguments after `exposures`. */
export function importExposuresCommand(args: string[]): Promise<number> {
  return runCsvImport(args, {
    usage: 'usage : sillage import exposures <fichier.csv> [--json] (remises de score aux employeurs : colonnes siret, date, canal)',
    load: ({ database }, file) => importExposures(database.pool, file),
    counts: (result) => ({ recorded: result.recorded, already: result.already }),
    summary: (file, result) =>
      result.loaded
        ? `${file} : ${count(result.recorded)} remise(s) de score enregistrée(s)${result.already > 0 ? `, ${count(result.already)} déjà enregistrée(s) auparavant` : ''}.`
        : `${file} : fichier refusé, rien n'a été enregistré.`,
  });
}
