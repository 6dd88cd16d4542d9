import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | boolean | Buffer | null;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function encode(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') {
    return NEEDS_ESCAPE.test(value)
      ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
      : value;
  }
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/** One row in PostgreSQL's COPY text format, without its line end. */
export function encodeRow(row: CopyValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + encode(row[i] as CopyValue);
  return line;
}

/** Pieces of COPY text regrouped into chunks of about 1 MB: few socket writes, flat memory. */
function* coalesce(pieces: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

function* encodeRows(rows: Iterable<CopyValue[]>): Generator<string> {
  for (const row of rows) yield `${encodeRow(row)}\n`;
}

/** Bulk load of data already in COPY text format (whole lines, each ending with `\n`). */
export async function copyEncoded(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  chunks: Iterable<string | Buffer>,
): Promise<void> {
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  await pipeline(Readable.from(chunks), stream);
}

/** Bulk load through COPY: the only way rows enter Sillage's tables in bulk. */
export async function copyInto(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<CopyValue[]>,
): Promise<void> {
  await copyEncoded(client, table, columns, coalesce(encodeRows(rows)));
}
