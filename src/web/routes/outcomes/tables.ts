import type { Cell, CohortLine, HorizonOutcome, OutcomeLine, OutcomesTable, RateCell } from '../../../outcomes/repository.js';
import { formatters } from '../../format.js';

// Outcomes tables and charts as the templates draw them: the columns of the CSV export, in its order, and chart
// series read from the very cells of the table, so the picture, the table and the file never disagree.

/** `secret`: suppressed by the statistical secret; `none`: a rate without any observable exit (no denominator). */
export type CellView = { kind: 'value'; text: string } | { kind: 'secret' } | { kind: 'none' };
export type LabelView = { text: string; href?: string; action?: string };
export type RowView = { labels: LabelView[]; cells: CellView[]; total: boolean };
export type TableView = {
  id: string;
  caption: string;
  dimensions: string[];
  horizons: { label: string; columns: string[] }[];
  rows: RowView[];
  csvHref: string;
};

/** Per horizon, the columns of the CSV (src/outcomes/csv.ts) under shorter headers. */
const HORIZON_COLUMNS = [
  'Sorties observables',
  'En emploi',
  'Taux d’emploi',
  'En emploi durable',
  'Taux d’emploi durable',
  'Toujours dans le dispositif',
  'Part toujours dans le dispositif',
];
const HORIZON_LABELS = { m6: 'À 6 mois', m12: 'À 12 mois' } as const;

const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

const countView = (cell: Cell): CellView => (cell.secret ? { kind: 'secret' } : { kind: 'value', text: formatters.int(cell.value) });
function rateView(cell: RateCell): CellView {
  if (cell.secret) return { kind: 'secret' };
  return cell.value === null ? { kind: 'none' } : { kind: 'value', text: percent.format(cell.value) };
}

const horizonViews = (h: HorizonOutcome): CellView[] => [
  countView(h.observable),
  countView(h.employed),
  rateView(h.employedRate),
  countView(h.durable),
  rateView(h.durableRate),
  countView(h.inProgramme),
  rateView(h.inProgrammeRate),
];

/** The table as shown: its lines, then its total; `labelsOf` may turn a label into a drill-down link. */
export function tableView<L extends OutcomeLine>(
  table: OutcomesTable<L>,
  options: { id: string; caption: string; csvHref: string; labelsOf?: (line: L) => LabelView[] },
): TableView {
  const row = (line: L, total: boolean): RowView => ({
    labels: !total && options.labelsOf ? options.labelsOf(line) : line.labels.map((text) => ({ text })),
    cells: [countView(line.exits), ...horizonViews(line.m6), ...horizonViews(line.m12)],
    total,
  });
  return {
    id: options.id,
    caption: options.caption,
    csvHref: options.csvHref,
    dimensions: table.dimensions,
    horizons: Object.values(HORIZON_LABELS).map((label) => ({ label, columns: HORIZON_COLUMNS })),
    rows: [...table.lines.map((line) => row(line, false)), row(table.total, true)],
  };
}

export type ChartSpec = {
  type: 'bar' | 'line';
  labels: string[];
  datasets: { label: string; data: (number | null)[]; notes: (string | null)[] }[];
  percent: true;
  yTitle: string;
};

const RATE_SERIES: { label: string; rate: (line: OutcomeLine) => RateCell }[] = [
  { label: 'En emploi à 6 mois', rate: (line) => line.m6.employedRate },
  { label: 'En emploi durable à 6 mois', rate: (line) => line.m6.durableRate },
  { label: 'En emploi à 12 mois', rate: (line) => line.m12.employedRate },
  { label: 'En emploi durable à 12 mois', rate: (line) => line.m12.durableRate },
];

/** To the 0.1 point the table shows; null for a secret rate (and for a rate without observable exits). */
const chartValue = (cell: RateCell): number | null => (cell.value === null ? null : Math.round(cell.value * 1000) / 1000);

/** Why a point is missing, for its tooltip: the secret, or no exit observable yet. */
const nullNote = (cell: RateCell): string | null =>
  cell.value !== null ? null : cell.secret ? 'secret statistique (moins de 5 personnes)' : 'pas encore observable';

function rateChart(type: 'bar' | 'line', lines: { label: string; line: OutcomeLine }[]): ChartSpec {
  return {
    type,
    labels: lines.map((l) => l.label),
    datasets: RATE_SERIES.map(({ label, rate }) => ({
      label,
      data: lines.map((l) => chartValue(rate(l.line))),
      notes: lines.map((l) => nullNote(rate(l.line))),
    })),
    percent: true,
    yTitle: 'Part des sorties observables',
  };
}

/** "Atelier et chantier d'insertion (ACI)" -> "ACI": long labels do not fit under a bar. */
const shortLabel = (label: string) => /\(([^)]+)\)$/.exec(label)?.[1] ?? label;

/** Bars per programme, then all programmes. */
export function programmeChart(table: OutcomesTable): ChartSpec {
  return rateChart('bar', [
    ...table.lines.map((line) => ({ label: shortLabel(line.labels[0] ?? ''), line })),
    { label: 'Ensemble', line: table.total },
  ]);
}

/** One point per exit quarter: all programmes, or the programme chosen (the only line of each quarter then). */
export function cohortChart(table: OutcomesTable<CohortLine>, programmeChosen: boolean): ChartSpec {
  const lines = table.lines.filter((line) => programmeChosen || line.programme === null);
  return rateChart(
    'line',
    lines.map((line) => ({ label: line.labels[0] ?? '', line })),
  );
}
