import { describe, expect, it } from 'vitest';
import { type EncodedBatch, ID_WIDTH, tableSlices } from '../../src/ingest/encoded-batch.js';

const placeholder = '0'.repeat(ID_WIDTH);

// Three declarations' rows of one table: 2 rows, none, 1 row.
function table(): EncodedBatch['tables']['hours'] {
  const texts = [`${placeholder}\ta\n${placeholder}\tb\n`, '', `${placeholder}\tc\n`];
  return { bytes: new TextEncoder().encode(texts.join('')), lengths: texts.map((t) => Buffer.byteLength(t)) };
}

const text = (slices: Iterable<Buffer>) => [...slices].map((slice) => slice.toString('latin1'));

describe('tableSlices', () => {
  it('writes each declaration id at the start of its rows, in one slice when all are chosen', () => {
    expect(text(tableSlices(table(), [0, 1, 2], [41, 42, 43]))).toEqual([
      `${'41'.padStart(ID_WIDTH, '0')}\ta\n${'41'.padStart(ID_WIDTH, '0')}\tb\n${'43'.padStart(ID_WIDTH, '0')}\tc\n`,
    ]);
  });

  it('leaves out the declarations not chosen (already loaded), in separate slices', () => {
    expect(text(tableSlices(table(), [2], [7]))).toEqual([`${'7'.padStart(ID_WIDTH, '0')}\tc\n`]);
    const rows = [`${placeholder}\ta\n`, `${placeholder}\tb\n`, `${placeholder}\tc\n`];
    const threeRows = { bytes: new TextEncoder().encode(rows.join('')), lengths: rows.map((row) => row.length) };
    expect(text(tableSlices(threeRows, [0, 2], [1, 3]))).toEqual([
      `${'1'.padStart(ID_WIDTH, '0')}\ta\n`,
      `${'3'.padStart(ID_WIDTH, '0')}\tc\n`,
    ]);
  });
});
