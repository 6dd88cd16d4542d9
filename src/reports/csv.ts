import { strToU8, zipSync } from 'fflate';
import { csvText } from '../exports/csv.js';
import { type OutcomeLine, type OutcomesTable, outcomesCsv } from '../outcomes/repository.js';
import type { ReportPeriod } from './period.js';
import type { ExitHorizon, ExitStatus, StructureReport } from './repository.js';

// A report's CSV bundle: one file per table of the page, written as the other exports are (semicolons, decimal
// commas, UTF-8 byte order mark, CRLF lines), zipped together.

export function csv(header: string[], rows: (string | number)[][]): string {
  return csvText([header, ...rows]);
}

const decimal = (n: number) => String(Math.round(n * 100) / 100).replace('.', ',');
const percent = (share: number | null) => (share === null ? '' : (share * 100).toFixed(1).replace('.', ','));

export const EXIT_STATUS_LABELS: Record<ExitStatus, string> = {
  durable: 'En emploi durable',
  transition: 'En emploi de transition',
  in_programme: 'Toujours dans le dispositif',
  none: 'Sans emploi salarié déclaré',
};
export const NOT_OBSERVABLE = 'Pas encore observable';
const statusText = (status: ExitStatus | null) => (status === null ? NOT_OBSERVABLE : EXIT_STATUS_LABELS[status]);

const horizonCells = (h: ExitHorizon) => [h.observable, h.employed, percent(h.employedRate), h.durable, percent(h.durableRate)];
const horizonHeaders = (label: string) => [
  `Sorties observables à ${label}`,
  `En emploi à ${label}`,
  `Taux d'emploi à ${label} (%)`,
  `En emploi durable à ${label}`,
  `Taux d'emploi durable à ${label} (%)`,
];

/** The structure report's tables, by file name. */
export function structureReportFiles(report: StructureReport): Record<string, string> {
  const { participants, hours, alerts, exits } = report;
  return {
    'participants.csv': csv(
      ['Participants accompagnés', 'Entrées', 'Sorties'],
      [[participants.present, participants.entries, participants.exits]],
    ),
    'heures.csv': csv(
      ['Mois', 'Heures travaillées'],
      [...hours.months.map((m) => [m.month.slice(0, 7), decimal(m.hours)]), ['Total', decimal(hours.total)]],
    ),
    'alertes.csv': csv(
      ['Numéro de PASS', 'Nom', 'Alerte'],
      alerts.people.map((p) => [p.passNumber, p.name, p.alertLabel]),
    ),
    'sorties.csv': csv(
      ['Nom', 'Dispositif', 'Date de sortie', 'Situation à 6 mois', 'Situation à 12 mois'],
      exits.people.map((p) => [p.name, p.programme, p.exitDate, statusText(p.m6), statusText(p.m12)]),
    ),
    'resultats-des-sorties.csv': csv(
      ['Dispositif', 'Sorties', ...horizonHeaders('6 mois'), ...horizonHeaders('12 mois')],
      [...exits.lines, exits.total].map((line) => [line.label, line.exits, ...horizonCells(line.m6), ...horizonCells(line.m12)]),
    ),
  };
}

/** The funder report's tables, exactly as the outcomes export writes them (secret cells written `secret`). */
export function territoryReportFiles(tables: { programmes: OutcomesTable<OutcomeLine>; territories: OutcomesTable<OutcomeLine> }) {
  return {
    'resultats-par-dispositif.csv': outcomesCsv(tables.programmes),
    'resultats-par-territoire.csv': outcomesCsv(tables.territories),
  };
}

export function zipFiles(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

/** `rapport-structure-mensuel-2024-03.zip` and the like. */
export const bundleName = (audience: 'structure' | 'territoire', period: ReportPeriod) =>
  `rapport-${audience}-${period.kind}-${period.code}.zip`;
