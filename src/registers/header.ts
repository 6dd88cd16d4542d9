import type { Separator } from './csv.js';
import type { RegisterKind } from './import.js';
import { REGISTER_COLUMNS } from './schemas.js';

// Columns are found by name, in any order and case; other columns are ignored.

export type ColumnPositions = ReadonlyMap<string, number>;
export type HeaderCheck = { ok: true; positions: ColumnPositions; width: number } | { ok: false; field: string; message: string };

export function expectedHeader(kind: RegisterKind, separator: Separator = ','): string {
  return REGISTER_COLUMNS[kind].join(separator);
}

export function checkHeader(kind: RegisterKind, fields: readonly string[], separator: Separator): HeaderCheck {
  const names = fields.map((field) => field.trim().toLowerCase());
  const positions = new Map<string, number>();
  for (const column of REGISTER_COLUMNS[kind]) {
    const first = names.indexOf(column);
    if (first === -1) continue;
    if (names.indexOf(column, first + 1) !== -1) {
      return { ok: false, field: column, message: `colonne « ${column} » présente deux fois dans l'en-tête : gardez-en une seule` };
    }
    positions.set(column, first);
  }
  const missing = REGISTER_COLUMNS[kind].filter((column) => !positions.has(column));
  const [first] = missing;
  if (first === undefined) return { ok: true, positions, width: fields.length };
  const named = missing.map((column) => `« ${column} »`).join(', ');
  return {
    ok: false,
    field: first,
    message: `${missing.length === 1 ? `colonne ${named} absente` : `colonnes ${named} absentes`} de l'en-tête (séparateur lu : « ${separator} ») : en-tête attendu ${expectedHeader(kind)} (séparateur , ou ;)`,
  };
}

/** The cells of a record by column name. */
export function cellsOf(fields: readonly string[], positions: ColumnPositions): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const [column, position] of positions) cells[column] = fields[position] ?? '';
  return cells;
}
