// Every CSV Sillage exports follows French Excel's habit: `;` between fields, CRLF line ends and a UTF-8 byte
// order mark, so that a double click opens it in columns with its accents; decimal commas are each table's own.

/**
 * A number with a decimal comma; text quoted when it holds a separator, quote or line break, and a leading
 * formula sign neutralised.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value).replace('.', ',');
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The whole file: one line per row, the header first. */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${rows.map((cells) => `${cells.map(csvField).join(';')}\r\n`).join('')}`;
}
