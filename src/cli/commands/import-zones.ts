import { importZones } from '../../employers/zones-import.js';
import { runCsvImport } from '../csv-import-command.js';

const count = (n: number) => n.toLocaleString('fr-FR');

/** `sillage import zones <csv> [--json]`: the arguments after `zones`. */
export function importZonesCommand(args: string[]): Promise<number> {
  return runCsvImport(args, {
    usage: "usage : sillage import zones <fichier.csv> [--json] (fichier de l'INSEE : colonnes CODGEO, ZE2020, LIBZE2020)",
    load: ({ database }, file) => importZones(database.pool, file),
    counts: (result) => ({ zones: result.zones, communes: result.communes }),
    summary: (file, result) =>
      result.loaded
        ? `${file} : ${count(result.zones)} zone(s) d'emploi, ${count(result.communes)} commune(s) rattachée(s) ; les zones précédentes sont remplacées.`
        : `${file} : fichier refusé, rien n'a changé (les zones d'emploi précédentes sont conservées).`,
  });
}
