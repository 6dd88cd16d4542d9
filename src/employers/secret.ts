import { type Equation, isSmallCount, suppressCells } from '../outcomes/secret.js';

// The statistical secret on one employer's counts of people (DOMAIN.md section 4), with the rule of the funder
// tables (src/outcomes/secret.ts, SECRET_THRESHOLD): a count of 1 to 4 people is suppressed, 0 is published, every
// part of a small total is suppressed, and a line (a total and its parts) never holds exactly one suppressed cell.
// The employer's page adds two things to the funder rule:
// - Complements: a count shown beside its base gives away the rest (9 women among 10 hires: 1 man). The rest is a
//   cell of its own, never shown (`hidden`, free to suppress), so that a rest of 1 to 4 hides the count too.
// - Sums of hidden parts: a published total gives away the sum of the parts hidden in its line (a nature of 2 and
//   one of 2 hidden beside a published CDI total: 4 people). When that sum is 1 to 4, one more part is hidden.
//   `checks` are further lines of the same table (sums of lines already given) only checked for this.

export type CountCellOptions = {
  /** Computed but never shown (a complement): suppressing it costs nothing, so it is chosen first. */
  hidden?: boolean;
};

/** Counts of people and how they add up; `protect()` says which ones are secret. */
export class CountCells {
  private readonly values: number[] = [];
  private readonly hidden: boolean[] = [];
  private readonly equations: Equation[] = [];
  private readonly checks: Equation[] = [];

  /** A count; returns its cell. */
  cell(value: number, { hidden = false }: CountCellOptions = {}): number {
    this.values.push(value);
    this.hidden.push(hidden);
    return this.values.length - 1;
  }

  /** `total` = sum of `parts`: a line of the table. With `checkOnly`, a line already implied by others. */
  sum(total: number, parts: readonly number[], { checkOnly = false } = {}): void {
    const added = parts.reduce((acc, part) => acc + (this.values[part] ?? 0), 0);
    if (added !== this.values[total]) throw new Error(`CountCells: a total (${this.values[total]}) is not the sum of its parts (${added})`);
    (checkOnly ? this.checks : this.equations).push({ total, parts });
  }

  /** Which cells are secret, as a lookup: the count when published, null when secret. */
  protect(): (cell: number) => number | null {
    const secret = suppressWithSums(this.values, this.hidden, this.equations, this.checks);
    return (cell) => (secret[cell] ? null : (this.values[cell] ?? null));
  }
}

/**
 * suppressCells, repeated until no published total gives away a sum of 1 to 4 hidden parts. The first such sum, in
 * the order of the lines (equations, then checks), becomes a hidden cell that stands for those parts in their line,
 * so that suppressCells hides one more part of the line (never the total while a part is left); one at a time, as
 * that part may settle the lines after it. Parts of a small cell being secret, each round keeps the cells of the
 * earlier ones and adds one: it ends.
 */
function suppressWithSums(
  values: readonly number[],
  hidden: readonly boolean[],
  equations: readonly Equation[],
  checks: readonly Equation[],
) {
  const problem = { values: [...values], hidden: [...hidden], equations: [...equations] };
  const hiddenSum = (parts: readonly number[], secret: readonly boolean[]) =>
    parts.reduce((acc, part) => acc + (secret[part] ? (values[part] ?? 0) : 0), 0);
  for (;;) {
    const secret = suppressCells(problem);
    const line = [...equations, ...checks].find(({ total, parts }) => !secret[total] && isSmallCount(hiddenSum(parts, secret)));
    if (line === undefined) return secret.slice(0, values.length);
    const union = problem.values.length;
    problem.values.push(hiddenSum(line.parts, secret));
    problem.hidden.push(true);
    problem.equations.push(
      { total: union, parts: line.parts.filter((part) => secret[part]) },
      { total: line.total, parts: [union, ...line.parts.filter((part) => !secret[part])] },
    );
  }
}
