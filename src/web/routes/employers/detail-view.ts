import type { EmployerDetail, Place, Retention } from '../../../employers/detail.js';
import { formatters } from '../../format.js';
import { capitalise } from './list-view.js';
import { SECRET_TEXT } from './secret.js';

// The employer page's view model: every figure as the page reads it, hidden ones replaced by the secret
// marker, and the chart specs (views/static/charts.js) whose numbers the tables beside them repeat.

export type ChartSpec = {
  type: 'bar' | 'line';
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
  stacked?: boolean;
  percent?: boolean;
  yTitle?: string;
};

/** A figure as a cell shows it: its text, and whether it is the secret marker. */
type Figure = { text: string; secret: boolean };
const secret: Figure = { text: SECRET_TEXT, secret: true };
const figure = (text: string): Figure => ({ text, secret: false });
/** A count of people, or the secret marker when it is hidden (null). */
const countFigure = (count: number | null): Figure => (count === null ? secret : figure(formatters.int(count)));
const UNMEASURABLE = 'non mesurable';

const plural = (count: number, word: string) => `${formatters.int(count)} ${word}${count > 1 ? 's' : ''}`;
const days = (value: number) => `${formatters.dec(value)} jour${value >= 2 ? 's' : ''}`;

const placeText = (place: Place | null, withCode = true) =>
  place === null ? '–' : place.name === null ? place.code : withCode ? `${place.name} (${place.code})` : place.name;
const codedText = (place: Place | null) => (place === null ? '–' : place.name === null ? place.code : `${place.code} – ${place.name}`);

/** `2024-04-01` (the quarter's first day) as a chart label and as a table heading. */
export function quarterLabels(quarter: string) {
  const year = quarter.slice(0, 4);
  const number = Math.floor((Number(quarter.slice(5, 7)) - 1) / 3) + 1;
  return { short: `T${number} ${year}`, long: `${number === 1 ? '1er' : `${number}e`} trimestre ${year}` };
}

function identity(detail: EmployerDetail) {
  const declaredTown = detail.town && detail.town.toUpperCase() !== detail.commune?.name?.toUpperCase() ? detail.town : null;
  return [
    { label: 'SIRET', value: detail.siret },
    { label: 'SIREN (entreprise)', value: detail.siret.slice(0, 9) },
    { label: 'Commune (code INSEE)', value: placeText(detail.commune) },
    ...(declaredTown ? [{ label: 'Ville déclarée dans la DSN', value: declaredTown }] : []),
    { label: 'Département', value: placeText(detail.departement) },
    { label: 'Région', value: placeText(detail.region) },
    { label: 'Activité (code NAF)', value: codedText(detail.naf) },
    { label: 'Division NAF', value: codedText(detail.nafDivision) },
    { label: 'Section NAF', value: codedText(detail.nafSection) },
  ];
}

function scoreView(detail: EmployerDetail) {
  if (detail.score !== null) return { text: `${formatters.dec(detail.score)} / 100`, reason: null };
  const { minimumHires } = detail.method;
  const reason =
    detail.hires < minimumHires
      ? `Pas de score : ${plural(detail.hires, 'embauche')} sur 24 mois, il en faut au moins ${minimumHires}.`
      : 'Pas de score calculé pour cet établissement.';
  return { text: 'Pas de score', reason };
}

/** Who the establishment is compared with, in a sentence. */
function peerText(detail: EmployerDetail): string | null {
  const group = detail.peerGroup;
  if (group === null) return null;
  const others = group.size - 1;
  const naf = `${group.kind === 'division' ? 'la division' : 'la section'} NAF ${group.naf.code}${group.naf.name ? ` « ${group.naf.name} »` : ''}`;
  const territory = group.kind === 'division' ? `le département ${placeText(group.territory)}` : `la région ${placeText(group.territory)}`;
  const fallback =
    group.kind === 'section'
      ? ` Sa division NAF compte moins de ${detail.method.minimumPeers} établissements notés dans son département : la comparaison se fait donc au niveau de la section NAF et de la région.`
      : '';
  if (others === 0) {
    return `Seul établissement noté de ${naf} dans ${territory} : faute de pairs, chaque critère reçoit le rang du milieu (50 %).${fallback}`;
  }
  return `Comparé aux ${plural(group.size, 'établissement')} noté${group.size > 1 ? 's' : ''} de ${naf} dans ${territory} (celui-ci compris).${fallback}`;
}

/**
 * What replaces a missing figure. Nobody to measure (no fixed-term contract, no hire old enough) says nothing
 * about anyone once the establishment's hires are numerous enough to be shown; anything else is the secret.
 */
function missing(known: number, detail: EmployerDetail): Figure {
  return known === 0 && detail.hires >= detail.method.secretMinimum ? figure(UNMEASURABLE) : secret;
}

function criterionValue(criterion: EmployerDetail['criteria'][number], detail: EmployerDetail): Figure {
  if (criterion.value === null) return missing(criterion.known, detail);
  return figure(criterion.unit === 'part' ? formatters.pct(criterion.value) : days(criterion.value));
}

function criteria(detail: EmployerDetail) {
  const rows = detail.criteria.map((criterion) => ({
    key: criterion.key,
    label: capitalise(criterion.label),
    value: criterionValue(criterion, detail),
    rank: criterion.rank === null ? 'non classé' : formatters.pct(criterion.rank),
    weight: formatters.dec(criterion.weight),
  }));
  const chart: ChartSpec = {
    type: 'bar',
    labels: rows.map((row) => row.label),
    datasets: [{ label: 'Rang parmi les pairs', data: detail.criteria.map((criterion) => criterion.rank) }],
    percent: true,
    yTitle: 'Rang parmi les pairs',
  };
  return { rows, chart, ranked: detail.criteria.some((criterion) => criterion.rank !== null) };
}

function trend(detail: EmployerDetail) {
  const rows = detail.trend.map((point) => ({
    ...quarterLabels(point.quarter),
    hires: countFigure(point.hires),
    score: point.score === null ? 'pas de score' : formatters.dec(point.score),
    engaged: point.engaged,
  }));
  const chart: ChartSpec = {
    type: 'line',
    labels: rows.map((row) => row.short),
    datasets: [
      { label: 'Score sur 100', data: detail.trend.map((point) => point.score) },
      { label: 'Embauches sur 24 mois', data: detail.trend.map((point) => point.hires) },
    ],
  };
  // No curve without a single point to draw (every quarter under 5 hires): the table says why.
  const charted = detail.trend.some((point) => point.score !== null || point.hires !== null);
  return { rows, chart, charted };
}

function profile(detail: EmployerDetail) {
  const rows = detail.profile.map((flag) => ({
    label: capitalise(flag.label),
    count: flag.count === null ? missing(flag.known, detail) : figure(formatters.int(flag.count)),
    share: flag.share === null ? missing(flag.known, detail) : figure(formatters.pct(flag.share)),
  }));
  const chart: ChartSpec = {
    type: 'bar',
    labels: rows.map((row) => row.label),
    datasets: [{ label: 'Part des embauches', data: detail.profile.map((flag) => flag.share) }],
    percent: true,
    yTitle: 'Part des embauches',
  };
  return { rows, chart, shown: detail.profile.some((flag) => flag.share !== null) };
}

function contracts(detail: EmployerDetail) {
  const { contracts: mix, hires } = detail;
  // A share is hidden with its count: it would give it away.
  const category = (label: string, count: number | null) => ({
    label,
    count: countFigure(count),
    share: count === null || hires === 0 ? secret : figure(formatters.pct(count / hires)),
  });
  return {
    suppressed: mix.suppressed,
    categories: [
      category('CDI (y compris intermittent et intérimaire)', mix.cdi),
      category('CDD', mix.cdd),
      category('Autres contrats (intérim, stage…)', mix.other),
    ],
    natures: mix.natures.map((nature) => ({ ...nature, count: countFigure(nature.count) })),
  };
}

function fixedTerm(detail: EmployerDetail) {
  const { fixedTerm: lengths } = detail;
  const chart: ChartSpec = {
    type: 'bar',
    labels: lengths.buckets.map((bucket) => capitalise(bucket.label)),
    datasets: [{ label: 'Contrats hors CDI', data: lengths.buckets.map((bucket) => bucket.count) }],
    yTitle: 'Nombre de contrats',
  };
  // No fixed-term contract at all is worth saying once the mix of contracts is shown (5 hires or more).
  const none = lengths.contracts === 0 && !detail.contracts.suppressed;
  return {
    none,
    suppressed: lengths.suppressed && !none,
    /** Null when their number is secret (5 or more, hidden so that another count is not given away). */
    contracts: lengths.contracts === null ? null : plural(lengths.contracts, 'contrat'),
    buckets: lengths.buckets.map((bucket) => ({ label: capitalise(bucket.label), count: countFigure(bucket.count) })),
    charted: lengths.buckets.some((bucket) => bucket.count !== null),
    mean: lengths.meanDays === null ? secret : figure(days(lengths.meanDays)),
    median: lengths.medianDays === null ? secret : figure(days(lengths.medianDays)),
    chart,
  };
}

function retention(measure: Retention, months: number, detail: EmployerDetail) {
  if (measure.rate !== null && measure.retained !== null) {
    return {
      rate: figure(formatters.pct(measure.rate)),
      detail: `${formatters.int(measure.retained)} sur ${plural(measure.observable, 'embauche')} observable${measure.observable > 1 ? 's' : ''}`,
    };
  }
  if (measure.observable === 0 && detail.hires >= detail.method.secretMinimum) {
    return { rate: figure('pas encore observable'), detail: `Aucune embauche ne date de ${months} mois ou plus dans les DSN reçues.` };
  }
  return { rate: secret, detail: null };
}

/** Everything the employer page shows. */
export function detailView(detail: EmployerDetail) {
  return {
    siret: detail.siret,
    communeName: detail.commune?.name ?? detail.town,
    nafLabel: detail.naf?.name ?? null,
    identity: identity(detail),
    window: detail.window,
    hires: formatters.int(detail.hires),
    score: scoreView(detail),
    engaged: detail.engaged,
    engagedScore: formatters.dec(detail.method.engagedScore),
    peers: detail.peerGroup === null ? null : { size: plural(detail.peerGroup.size, 'établissement'), text: peerText(detail) },
    criteria: criteria(detail),
    trend: trend(detail),
    profile: profile(detail),
    contracts: contracts(detail),
    fixedTerm: fixedTerm(detail),
    retention: { m6: retention(detail.retention.m6, 6, detail), m12: retention(detail.retention.m12, 12, detail) },
    secretMinimum: detail.method.secretMinimum,
    secretText: SECRET_TEXT,
  };
}
