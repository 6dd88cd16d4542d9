import { encodeRow } from '../db/copy.js';
import type { ParsedDeclaration } from '../dsn/declaration.js';
import { COLUMNS, type DeclarationContext, declarationRows, type TableName } from './rows.js';

/** What the writer needs of a declaration besides its rows: identity, line count, where to point a rejection. */
export type DeclarationMeta = { checksumHex: string; file: string; line: number; lineCount: number };

/** One table's COPY text for a whole batch, and how many of its bytes each declaration owns, in order. */
export type TableBytes = { bytes: Uint8Array; lengths: number[] };

/**
 * Declarations parsed in the worker thread, as UTF-8 COPY text per table, handed to the writer without a
 * copy. Every row starts with a fixed-width placeholder for its declaration id, known only when written.
 */
export type EncodedBatch = { declarations: DeclarationMeta[]; tables: Record<TableName, TableBytes> };

// PostgreSQL reads `000000000000042` as 42: the writer overwrites the digits in place.
export const ID_WIDTH = 15;
const ID_PLACEHOLDER = `${'0'.repeat(ID_WIDTH)}\t`;
const TABLES = Object.keys(COLUMNS) as TableName[];

/** Bytes appended in place, the buffer doubling when full: no intermediate strings for a whole batch. */
class ByteSink {
  bytes = Buffer.allocUnsafe(1 << 16);
  length = 0;

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.length + text.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + text.length * 3));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(text, this.length);
  }

  /** The bytes written, in an ArrayBuffer of their own (transferable), and an empty sink. */
  take(): Uint8Array {
    const taken = new Uint8Array(this.length);
    taken.set(this.bytes.subarray(0, this.length));
    this.length = 0;
    return taken;
  }
}

export class BatchEncoder {
  private declarations: DeclarationMeta[] = [];
  private sinks = new Map<TableName, { sink: ByteSink; lengths: number[] }>(
    TABLES.map((table) => [table, { sink: new ByteSink(), lengths: [] }]),
  );
  lines = 0;

  constructor(
    private readonly context: Omit<DeclarationContext, 'fileChecksum'>,
    private readonly nirKey: string,
  ) {}

  get size(): number {
    return this.declarations.length;
  }

  add(declaration: ParsedDeclaration, fileChecksum: Buffer): void {
    const rows = declarationRows(declaration, { ...this.context, fileChecksum }, this.nirKey);
    for (const table of TABLES) {
      const { sink, lengths } = this.sinks.get(table) as { sink: ByteSink; lengths: number[] };
      const start = sink.length;
      for (const row of rows[table]) sink.write(`${ID_PLACEHOLDER}${encodeRow(row)}\n`);
      lengths.push(sink.length - start);
    }
    this.declarations.push({
      checksumHex: declaration.checksum.toString('hex'),
      file: declaration.file,
      line: declaration.line,
      lineCount: declaration.lineCount,
    });
    this.lines += declaration.lineCount;
  }

  /** The batch so far, and a fresh start; `transfer` lists the buffers to move to the other thread. */
  take(): { batch: EncodedBatch; transfer: ArrayBuffer[] } {
    const tables = {} as Record<TableName, TableBytes>;
    for (const table of TABLES) {
      const entry = this.sinks.get(table) as { sink: ByteSink; lengths: number[] };
      tables[table] = { bytes: entry.sink.take(), lengths: entry.lengths };
      entry.lengths = [];
    }
    const batch = { declarations: this.declarations, tables };
    this.declarations = [];
    this.lines = 0;
    return { batch, transfer: TABLES.map((table) => tables[table].bytes.buffer as ArrayBuffer) };
  }
}

/**
 * The chosen declarations' rows of one table, their ids written in place: contiguous declarations come out
 * as one slice, so the common case (all of them) is one write.
 */
export function* tableSlices(table: TableBytes, chosen: number[], ids: number[]): Generator<Buffer> {
  const bytes = Buffer.from(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
  const starts: number[] = [0];
  for (const length of table.lengths) starts.push((starts.at(-1) as number) + length);
  let sliceStart = -1;
  let sliceEnd = -1;
  for (let k = 0; k < chosen.length; k++) {
    const index = chosen[k] as number;
    const start = starts[index] as number;
    const end = starts[index + 1] as number;
    if (start === end) continue;
    const id = String(ids[k]).padStart(ID_WIDTH, '0');
    // Every row ends with `\n` (values escape theirs), so the next row starts right after it.
    for (let line = start; line < end; line = bytes.indexOf(10, line) + 1) bytes.write(id, line, 'latin1');
    if (start !== sliceEnd) {
      if (sliceEnd > sliceStart) yield bytes.subarray(sliceStart, sliceEnd);
      sliceStart = start;
    }
    sliceEnd = end;
  }
  if (sliceEnd > sliceStart) yield bytes.subarray(sliceStart, sliceEnd);
}
