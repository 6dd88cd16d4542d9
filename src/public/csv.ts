import { csvText } from '../exports/csv.js';
import type { EmployerCounts } from './repository.js';

// The engaged-employers tables as shown, in the funders' CSV format (src/outcomes/csv.ts): `;`, UTF-8 byte order
// mark, CRLF lines, so that French Excel opens them in columns.

export const EMPLOYER_COLUMNS = ['Entreprises engagées', 'Établissements notés'] as const;

export function employerCountsCsv(counts: EmployerCounts): string {
  const rows = [
    [counts.dimension, ...EMPLOYER_COLUMNS],
    ...[...counts.lines, counts.total].map((line) => [line.label, String(line.engaged), String(line.scored)]),
  ];
  return csvText(rows);
}
