// Statistical secret on tables of already-aggregated counts of people (DOMAIN.md section 4), as INSEE and DARES
// practise it on counts:
// - Primary: a cell counting 1 to 4 people is suppressed. 0 is published: it is about nobody. But every part of a
//   total of 1 to 4 people is itself about fewer than 5 people and is suppressed too, zeros included (a 0 beside
//   a hidden 3 would tell that all 3 are in the other category).
// - Secondary: each additive relation (a line of a table and its total) must hold no suppressed cell or at least
//   two; with exactly one, it would be recovered by subtraction, so a second one is suppressed: a cell never shown
//   first (free), then the smallest non-zero part, then a zero part, then the total. Repeated until no relation
//   changes, so it works in both dimensions of a table with a total row and a total column.
// A rate is hidden when its numerator or its denominator is. This protects each table on its own; differences
// between two tables (two filters, two levels) are not checked.

/** Fewest people an aggregate may be about. */
export const SECRET_THRESHOLD = 5;

export const isSmallCount = (count: number): boolean => count >= 1 && count < SECRET_THRESHOLD;

/** `total` = sum of `parts`, cells given by their index. */
export type Equation = { total: number; parts: readonly number[] };

export type SecretProblem = {
  values: readonly number[];
  equations: readonly Equation[];
  /** Cells computed but never shown (complements): suppressing one costs nothing, so they are chosen first. */
  hidden?: readonly boolean[];
};

/** Which cells to suppress: true for a secret cell. */
export function suppressCells({ values, equations, hidden = [] }: SecretProblem): boolean[] {
  const secret = values.map(isSmallCount);
  // Parts of a small total are small, down the relations: a fixed point over the equations.
  for (let changed = true; changed; ) {
    changed = false;
    for (const { total, parts } of equations) {
      if (!secret[total]) continue;
      for (const part of parts) if (!secret[part]) secret[part] = changed = true;
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const equation of equations) {
      const cells = [equation.total, ...equation.parts];
      if (cells.filter((cell) => secret[cell]).length !== 1) continue;
      const next = secondCell(equation, values, hidden, secret);
      secret[next] = changed = true;
    }
  }
  return secret;
}

function secondCell({ total, parts }: Equation, values: readonly number[], hidden: readonly boolean[], secret: boolean[]): number {
  // Compared in order: shown (a never-shown cell is free), zero (a non-zero part protects better), value.
  const cost = (cell: number) => [hidden[cell] ? 0 : 1, values[cell] === 0 ? 1 : 0, values[cell] ?? 0];
  const candidates = parts.filter((part) => !secret[part]);
  if (candidates.length === 0) return total;
  return candidates.reduce((best, cell) => {
    const [a, b] = [cost(cell), cost(best)];
    const order = a.findIndex((value, i) => value !== b[i]);
    return order >= 0 && (a[order] ?? 0) < (b[order] ?? 0) ? cell : best;
  });
}

/**
 * A table of counts: with `totalRow`, its last row holds the column totals; with `totalColumn`, its last column
 * holds the row totals. Returns the same shape, true where a cell is secret.
 */
export type CountTable = { cells: readonly (readonly number[])[]; totalRow?: boolean; totalColumn?: boolean };

export function protectTable({ cells, totalRow = false, totalColumn = false }: CountTable): boolean[][] {
  const width = cells[0]?.length ?? 0;
  if (cells.some((row) => row.length !== width)) throw new Error('protectTable: rows of different lengths');
  const index = (row: number, column: number) => row * width + column;
  const values = cells.flat();
  const equations: Equation[] = [];
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  if (totalColumn) {
    for (const row of range(cells.length)) {
      equations.push({ total: index(row, width - 1), parts: range(width - 1).map((column) => index(row, column)) });
    }
  }
  if (totalRow) {
    for (const column of range(width)) {
      equations.push({ total: index(cells.length - 1, column), parts: range(cells.length - 1).map((row) => index(row, column)) });
    }
  }
  for (const { total, parts } of equations) {
    const sum = parts.reduce((acc, part) => acc + (values[part] ?? 0), 0);
    if (sum !== values[total]) throw new Error(`protectTable: a total (${values[total]}) is not the sum of its line (${sum})`);
  }
  const secret = suppressCells({ values, equations });
  return cells.map((row, r) => row.map((_, c) => secret[index(r, c)] ?? false));
}
