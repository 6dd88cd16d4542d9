import { describe, expect, it } from 'vitest';
import { protectTable, suppressCells } from '../../src/outcomes/secret.js';

// T: secret, F: shown.
const T = true;
const F = false;

describe('statistical secret', () => {
  it('suppresses every cell of 1 to 4 people, and no other, when the table has no total', () => {
    expect(
      protectTable({
        cells: [
          [0, 1, 4, 5],
          [12, 3, 0, 7],
        ],
      }),
    ).toEqual([
      [F, T, T, F],
      [F, T, F, F],
    ]);
  });

  it('suppresses a second cell of a line whose total is shown: the smallest other one', () => {
    // Row totals: 3 is small; 7 goes with it, else 20 - 10 - 7 gives the 3 back. The second row has no secret.
    expect(
      protectTable({
        cells: [
          [3, 10, 7, 20],
          [6, 9, 8, 23],
        ],
        totalColumn: true,
      }),
    ).toEqual([
      [T, F, T, F],
      [F, F, F, F],
    ]);
    // Column totals: 11 - 8 would give the 3 back.
    expect(
      protectTable({
        cells: [
          [3, 12],
          [8, 6],
          [11, 18],
        ],
        totalRow: true,
      }),
    ).toEqual([
      [T, F],
      [T, F],
      [F, F],
    ]);
  });

  it('protects both dimensions of a table with a total row and a total column', () => {
    // 2 is small; 8 hides it in its row; then 6 and 9 hide them in their columns (8 - 2 - 6 and 17 - 8 - 9 are
    // unknown), and the second row holds two secrets: a rectangle that no total undoes.
    expect(
      protectTable({
        cells: [
          [2, 8, 10, 20],
          [6, 9, 12, 27],
          [8, 17, 22, 47],
        ],
        totalRow: true,
        totalColumn: true,
      }),
    ).toEqual([
      [T, T, F, F],
      [T, T, F, F],
      [F, F, F, F],
    ]);
  });

  it('publishes zeros, never picks one as a second cell while a non-zero is there, and hides the zeros of a small total', () => {
    expect(protectTable({ cells: [[0, 7, 5, 12]], totalColumn: true })).toEqual([[F, F, F, F]]);
    expect(protectTable({ cells: [[0, 3, 9, 12]], totalColumn: true })).toEqual([[F, T, T, F]]);
    // 0 of these 3 people in the first column tells that all 3 are in the second: the zero is about them too.
    expect(protectTable({ cells: [[0, 3, 3]], totalColumn: true })).toEqual([[T, T, T]]);
  });

  it('hides a whole line about fewer than 5 people, then the other line that the column totals would give away', () => {
    // The first row is about 4 people: all of it is secret, its zero too. Each column total minus the second row
    // would give the first row back: with only two rows, the second row is hidden too; the totals stay.
    expect(
      protectTable({
        cells: [
          [1, 0, 3, 4],
          [6, 9, 7, 22],
          [7, 9, 10, 26],
        ],
        totalRow: true,
        totalColumn: true,
      }),
    ).toEqual([
      [T, T, T, T],
      [T, T, T, T],
      [F, F, F, F],
    ]);
  });

  it('picks a cell that is never shown as the second cell when there is one', () => {
    // 20 = 3 + 5 + 12, where 12 is a complement never shown: hiding it costs nothing.
    expect(suppressCells({ values: [20, 3, 5, 12], equations: [{ total: 0, parts: [1, 2, 3] }], hidden: [F, F, F, T] })).toEqual([
      F,
      T,
      F,
      T,
    ]);
  });

  it('refuses a table whose totals do not add up', () => {
    expect(() => protectTable({ cells: [[1, 2, 4]], totalColumn: true })).toThrow(/not the sum/);
  });
});
