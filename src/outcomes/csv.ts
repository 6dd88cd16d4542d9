import { csvText } from '../exports/csv.js';
import type { Cell, HorizonOutcome, RateCell } from './measures.js';
import type { OutcomeLine, OutcomesTable } from './repository.js';

// Exactly the table shown, secret cells written `secret`. Semicolons, decimal commas, a UTF-8 byte order mark and
// CRLF lines: French Excel opens it in columns, accents intact, without an import wizard.

const HORIZON_HEADERS = { m6: '6 mois', m12: '12 mois' } as const;

const count = (cell: Cell): string => (cell.secret ? 'secret' : String(cell.value));
const percent = (cell: RateCell): string => {
  if (cell.secret) return 'secret';
  return cell.value === null ? '' : (cell.value * 100).toFixed(1).replace('.', ',');
};

const horizonCells = (h: HorizonOutcome) => [
  count(h.observable),
  count(h.employed),
  percent(h.employedRate),
  count(h.durable),
  percent(h.durableRate),
  count(h.inProgramme),
  percent(h.inProgrammeRate),
];

export function outcomesCsv(table: OutcomesTable<OutcomeLine>): string {
  const header = [
    ...table.dimensions,
    'Sorties',
    ...Object.values(HORIZON_HEADERS).flatMap((h) => [
      `Sorties observables à ${h}`,
      `En emploi à ${h}`,
      `Taux d'emploi à ${h} (%)`,
      `En emploi durable à ${h}`,
      `Taux d'emploi durable à ${h} (%)`,
      `Toujours dans le dispositif à ${h}`,
      `Part toujours dans le dispositif à ${h} (%)`,
    ]),
  ];
  const rows = [...table.lines, table.total].map((line) => [
    ...line.labels,
    count(line.exits),
    ...horizonCells(line.m6),
    ...horizonCells(line.m12),
  ]);
  return csvText([header, ...rows]);
}
