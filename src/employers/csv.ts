import { csvText } from '../exports/csv.js';
import { CRITERIA, type CriterionKey } from './filters.js';
import type { EmployerListRow } from './repository.js';

const HEADER = [
  'SIRET',
  'Établissement',
  'Code commune',
  'Commune',
  'Code département',
  'Département',
  'Code NAF',
  'Activité (NAF)',
  'Embauches sur 24 mois',
  'Score sur 100',
  'Entreprise engagée',
];

function decimal(value: number | null, digits: number): string {
  return value === null ? '' : value.toFixed(digits).replace('.', ',');
}

/** What a cell hidden by the statistical secret holds, as in the funders' CSV (src/outcomes/csv.ts). */
const SECRET = 'secret';

function criterionCells(criterion: EmployerListRow['criterion']): string[] {
  if (criterion === null) return ['', ''];
  const value = criterion.secret
    ? SECRET
    : CRITERIA[criterion.key].unit === 'part'
      ? decimal(criterion.value === null ? null : criterion.value * 100, 1)
      : decimal(criterion.value, 1);
  return [value, decimal(criterion.rank === null ? null : criterion.rank * 100, 0)];
}

/**
 * The list as CSV text: one header line, then one line per row. With `criterion` (the highlighted one), two
 * more columns: its value (a percentage, or days; `secret` when hidden by the statistical secret, empty when no
 * hire has one) and its percentile rank among peers (0 to 100).
 */
export function employersCsv(rows: readonly EmployerListRow[], criterion?: CriterionKey): string {
  const header = criterion
    ? [
        ...HEADER,
        `${CRITERIA[criterion].label} : ${CRITERIA[criterion].unit === 'part' ? 'part en %' : 'jours'}`,
        'Rang parmi les pairs (centile)',
      ]
    : HEADER;
  const lines = rows.map((row) => [
    row.siret,
    row.name,
    row.communeCode,
    row.communeName,
    row.departementCode,
    row.departementName,
    row.nafCode,
    row.nafLabel,
    String(row.hires),
    decimal(row.score, 1),
    row.engaged ? 'oui' : 'non',
    ...(criterion ? criterionCells(row.criterion) : []),
  ]);
  return csvText([header, ...lines]);
}
