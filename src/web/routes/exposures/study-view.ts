import type { ExposureRow, ExposureSource, StudyRow, StudySummary } from '../../../exposures/repository.js';
import { formatters } from '../../format.js';
import { type ChartSpec, quarterLabels } from '../employers/detail-view.js';

// The study page's view model: every figure as the page reads it, and the chart whose numbers the table repeats.

const NOT_YET = 'pas encore observable';
const HORIZONS = [
  { key: '6m', label: '6 mois après' },
  { key: '12m', label: '12 mois après' },
] as const;

/** A change of score in points, signed: « +2,8 points ». */
export function points(value: number | null): string {
  if (value === null) return NOT_YET;
  const text = formatters.dec(Math.abs(value));
  const sign = value > 0 && text !== '0' ? '+' : value < 0 && text !== '0' ? '−' : '';
  return `${sign}${text} point${Math.abs(value) >= 2 ? 's' : ''}`;
}

const establishments = (n: number) => `${formatters.int(n)} établissement${n > 1 ? 's' : ''}`;

const SOURCE_LABELS: Record<ExposureSource, string> = {
  formulaire: 'Formulaire',
  import: 'Import de fichier',
  impression: 'Fiche imprimée',
};

const LEVEL_LABELS = { departement: 'même département', region: 'même région (trop peu dans le département)' } as const;

export function studyView(study: { summary: StudySummary; rows: StudyRow[] }) {
  const { summary } = study;
  const horizons = HORIZONS.map(({ key, label }) => ({
    label,
    exposedChange: points(summary.exposedChange[key]),
    comparisonChange: points(summary.comparisonChange[key]),
    did: points(summary.did[key]),
    exposedSize: establishments(summary.exposedSize[key]),
    comparisonSize: establishments(summary.comparisonSize[key]),
    observed: summary.did[key] !== null,
  }));
  const chart: ChartSpec & { nullLabel: string } = {
    type: 'bar',
    labels: HORIZONS.map((h) => h.label),
    datasets: [
      { label: 'Établissements à qui le score a été montré', data: HORIZONS.map((h) => summary.exposedChange[h.key]) },
      { label: 'Groupe de comparaison (jamais exposé)', data: HORIZONS.map((h) => summary.comparisonChange[h.key]) },
    ],
    yTitle: 'Variation moyenne du score (points)',
    nullLabel: NOT_YET,
  };
  const rows = study.rows.map((row) => ({
    siret: row.siret,
    exposedOn: formatters.date(row.firstExposedOn),
    channel: row.channel,
    quarter: quarterLabels(row.exposureQuarter).short,
    scoreAtExposure: row.scoreAtExposure === null ? 'pas de score' : formatters.dec(row.scoreAtExposure),
    change6m: points(row.change['6m']),
    change12m: points(row.change['12m']),
    comparison: row.comparisonLevel === null ? 'aucun établissement comparable' : LEVEL_LABELS[row.comparisonLevel],
    comparison6m: `${points(row.comparisonChange['6m'])} (${establishments(row.comparisonSize['6m'])})`,
    comparison12m: `${points(row.comparisonChange['12m'])} (${establishments(row.comparisonSize['12m'])})`,
  }));
  return { horizons, chart, charted: summary.did['6m'] !== null || summary.did['12m'] !== null, rows };
}

export function exposuresView(exposures: { rows: ExposureRow[]; total: number }) {
  return {
    total: exposures.total,
    shown: exposures.rows.length,
    rows: exposures.rows.map((row) => ({
      siret: row.siret,
      exposedOn: formatters.date(row.exposedOn),
      channel: row.channel,
      source: SOURCE_LABELS[row.source],
      recordedBy: row.recordedBy ?? '–',
    })),
  };
}
