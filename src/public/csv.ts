import type { EmployerCounts } from './repository.js';

// The engaged-employers tables as shown, in the funders' CSV format (src/outcomes/csv.ts): `;`, UTF-8 byte order
// mark, CRLF lines, so that French Excel opens them in columns.

export const EMPLOYER_COLUMNS = ['Entreprises engagées', 'Établissements notés'] as const;

function field(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function employerCountsCsv(counts: EmployerCounts): string {
  const rows = [
    [counts.dimension, ...EMPLOYER_COLUMNS],
    ...[...counts.lines, counts.total].map((line) => [line.label, String(line.engaged), String(line.scored)]),
  ];
  return `\uFEFF${rows.map((cells) => `${cells.map(field).join(';')}\r\n`).join('')}`;
}
