import { type Equation, suppressCells } from './secret.js';

// The measures of one line of an outcomes table, and the statistical secret over lines that add up.

/** A published count, or a secret one: a secret cell never carries its value. */
export type Cell = { value: number; secret: false } | { value: null; secret: true };
/** A rate between 0 and 1; `value: null, secret: false` when no exit is observable (no denominator). */
export type RateCell = Cell | { value: null; secret: false };

export type HorizonOutcome = {
  /** Exits whose horizon month the DSN covers: the denominator of the rates. */
  observable: Cell;
  employed: Cell;
  employedRate: RateCell;
  durable: Cell;
  durableRate: RateCell;
  inProgramme: Cell;
  inProgrammeRate: RateCell;
};
export type OutcomeMeasures = { exits: Cell; m6: HorizonOutcome; m12: HorizonOutcome };

export type HorizonCounts = { observable: number; employed: number; durable: number; inProgramme: number };
export type OutcomeCounts = { exits: number; m6: HorizonCounts; m12: HorizonCounts };

export const HORIZONS = ['m6', 'm12'] as const;
export type Horizon = (typeof HORIZONS)[number];

// Cells of a line: the counts shown, and their complements, never shown but derivable by subtraction. Exits not yet
// observable are left out: they depend on the exit date only, not on anyone's situation.
const HORIZON_CELLS = [
  'observable',
  'employed',
  'notEmployed',
  'durable',
  'transition',
  'notDurable',
  'inProgramme',
  'notInProgramme',
] as const;
type HorizonCell = (typeof HORIZON_CELLS)[number];
const SHOWN: ReadonlySet<HorizonCell> = new Set(['observable', 'employed', 'durable', 'inProgramme']);
const LINE_WIDTH = 1 + HORIZONS.length * HORIZON_CELLS.length;
const at = (horizon: number, cell: HorizonCell) => 1 + horizon * HORIZON_CELLS.length + HORIZON_CELLS.indexOf(cell);

// Inside a line: the observable exits split by employment, by durable employment, and by the programme.
const LINE_EQUATIONS: Equation[] = HORIZONS.flatMap((_, h) => {
  const c = (cell: HorizonCell) => at(h, cell);
  return [
    { total: c('observable'), parts: [c('employed'), c('notEmployed')] },
    { total: c('employed'), parts: [c('durable'), c('transition')] },
    { total: c('observable'), parts: [c('durable'), c('notDurable')] },
    { total: c('notDurable'), parts: [c('notEmployed'), c('transition')] },
    { total: c('observable'), parts: [c('inProgramme'), c('notInProgramme')] },
  ];
});

function lineValues(counts: OutcomeCounts): number[] {
  return [
    counts.exits,
    ...HORIZONS.flatMap((horizon) => {
      const { observable, employed, durable, inProgramme } = counts[horizon];
      return [
        observable,
        employed,
        observable - employed,
        durable,
        employed - durable,
        observable - durable,
        inProgramme,
        observable - inProgramme,
      ];
    }),
  ];
}

/** A total line and the lines that add up to it, by their index in the list of lines. */
export type LineGroup = { total: number; parts: readonly number[] };

/** Every line's measures, with the secret applied over the lines and the groups they form. */
export function protectLines(lines: readonly OutcomeCounts[], groups: readonly LineGroup[]): OutcomeMeasures[] {
  const values = lines.flatMap(lineValues);
  const cell = (line: number, index: number) => line * LINE_WIDTH + index;
  const equations: Equation[] = [
    ...lines.flatMap((_, line) => LINE_EQUATIONS.map((e) => ({ total: cell(line, e.total), parts: e.parts.map((p) => cell(line, p)) }))),
    ...groups.flatMap((group) =>
      Array.from({ length: LINE_WIDTH }, (_, index) => ({
        total: cell(group.total, index),
        parts: group.parts.map((line) => cell(line, index)),
      })),
    ),
  ];
  const hidden = lines.flatMap(() => [false, ...HORIZONS.flatMap(() => HORIZON_CELLS.map((name) => !SHOWN.has(name)))]);
  const secret = suppressCells({ values, equations, hidden });
  return lines.map((counts, line) => {
    const shown = (index: number, value: number): Cell =>
      secret[cell(line, index)] ? { value: null, secret: true } : { value, secret: false };
    const horizon = (h: number, name: Horizon): HorizonOutcome => {
      const c = counts[name];
      const observable = shown(at(h, 'observable'), c.observable);
      const count = (key: 'employed' | 'durable' | 'inProgramme') => shown(at(h, key), c[key]);
      const rate = (numerator: Cell): RateCell => {
        if (numerator.secret || observable.secret) return { value: null, secret: true };
        return observable.value === 0 ? { value: null, secret: false } : { value: numerator.value / observable.value, secret: false };
      };
      const [employed, durable, inProgramme] = [count('employed'), count('durable'), count('inProgramme')];
      return {
        observable,
        employed,
        employedRate: rate(employed),
        durable,
        durableRate: rate(durable),
        inProgramme,
        inProgrammeRate: rate(inProgramme),
      };
    };
    return { exits: shown(0, counts.exits), m6: horizon(0, 'm6'), m12: horizon(1, 'm12') };
  });
}
