import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { type CsvError, parse } from 'csv-parse';
import { checkUtf8 } from './utf8.js';

// Streaming CSV reading: separator from the header line, BOM dropped, UTF-8 checked, each record with its line.

export type Separator = ',' | ';';

export type CsvItem = { kind: 'record'; line: number; fields: string[] } | { kind: 'error'; line: number; message: string };

const BOM = '\uFEFF';
const HEADER_PROBE_BYTES = 64 * 1024;

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

/** The separator used more often outside quotes in the header line; a comma when neither wins. */
export function detectSeparator(headerLine: string): Separator {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of stripBom(headerLine)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === ',') commas++;
    else if (!quoted && char === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** The first line of the file, without BOM, read from its first 64 KB. */
export async function readHeaderLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_PROBE_BYTES, 0);
    const text = stripBom(buffer.subarray(0, bytesRead).toString('utf8'));
    return text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  } finally {
    await handle.close();
  }
}

/** Line breaks inside quoted fields: csv-parse counts each CR and LF there as a line. */
function breaksIn(fields: string[]): number {
  let breaks = 0;
  for (const field of fields) for (const char of field) if (char === '\n' || char === '\r') breaks++;
  return breaks;
}

function lineError(error: CsvError, parsedUpTo: number): { line: number; message: string } {
  const lines = typeof error.lines === 'number' ? error.lines : parsedUpTo + 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const line = parsedUpTo + 1;
    return {
      line,
      message: `guillemet ouvert et jamais refermé : les lignes ${line} à ${lines} n'ont pas pu être lues ; refermez le guillemet ou retirez-le`,
    };
  }
  return { line: lines, message: `ligne illisible en CSV (${error.code}) : vérifiez les guillemets et le séparateur` };
}

/**
 * Records of the file in order, header first, as text fields; an unreadable line is an `error` item and reading
 * goes on. Throws NotUtf8Error when the file is not UTF-8. Rows whose fields are all empty are skipped, as
 * spreadsheets leave them behind.
 */
export async function* readCsv(file: string, separator: Separator): AsyncGenerator<CsvItem> {
  // Skips are noted with the end line of the last record parsed so far: an unclosed quote is reported from there.
  let parsedUpTo = 1;
  const parser = parse({
    bom: true,
    delimiter: separator,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    on_record: (record, context) => {
      parsedUpTo = context.lines;
      return record;
    },
  });
  const skipped: CsvItem[] = [];
  const reported = new Set<number>();
  parser.on('skip', (error: CsvError) => {
    const item = lineError(error, parsedUpTo);
    if (reported.has(item.line)) return;
    reported.add(item.line);
    skipped.push({ kind: 'error', ...item });
  });
  const reading = pipeline(createReadStream(file), checkUtf8, parser);
  // Its failure also ends the iteration below, which throws it; this only keeps it from going unhandled.
  reading.catch(() => undefined);
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield* skipped.splice(0);
    yield { kind: 'record', line: info.lines - breaksIn(record), fields: record };
  }
  yield* skipped.splice(0);
  await reading;
}
