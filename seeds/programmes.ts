import { addMonths, type MonthWindow } from './calendar.js';
import { between } from './careers.js';
import { type ContractFactory, FULL_TIME, type Terms } from './contracts.js';
import type { Establishment, IaeKind, Person, ProgrammeKind } from './model.js';
import type { Random } from './random.js';

// Passages in insertion structures: CDDI in ACI, EI and AI (or CDD d'usage in AI), ETTI missions, EA contracts.

export type Stint = { exit: number | null; toJob: boolean };

export const IAE_COMPLEMENT: Record<IaeKind, string> = { ACI: '02', AI: '03', EI: '04', ETTI: '05' };

// CDDI are at least 20 h a week: 86.67 h to 151.67 h a month.
const QUOTITIES: Record<ProgrammeKind, readonly (readonly [number, number])[]> = {
  ACI: [
    [8667, 35],
    [10400, 25],
    [11267, 10],
    [12133, 10],
    [13000, 5],
    [FULL_TIME, 15],
  ],
  EI: [
    [8667, 10],
    [10400, 15],
    [12133, 10],
    [13000, 15],
    [FULL_TIME, 50],
  ],
  AI: [
    [8667, 40],
    [10400, 30],
    [12133, 15],
    [FULL_TIME, 15],
  ],
  ETTI: [
    [FULL_TIME, 80],
    [10400, 20],
  ],
  EA: [
    [10400, 15],
    [12133, 15],
    [FULL_TIME, 70],
  ],
};

// Stays of 4 to 24 months, most under a year.
const STAY_MONTHS: readonly (readonly [readonly [number, number], number])[] = [
  [[4, 6], 30],
  [[7, 12], 45],
  [[13, 18], 15],
  [[19, 24], 10],
];

export class Programmes {
  constructor(
    private readonly window: MonthWindow,
    private readonly factory: ContractFactory,
  ) {}

  /** One passage in a structure: a CDDI (renewed when longer than its first term), a series of ETTI missions, or an EA contract. */
  stint(
    person: Person,
    random: Random,
    kind: ProgrammeKind,
    structure: Establishment,
    entry: number,
    forced: boolean,
    maxMonths: number,
  ): Stint {
    const { window } = this;
    const months = forced ? random.int(6, 14) : Math.min(maxMonths, between(random, random.weighted(STAY_MONTHS)));
    const finalPlanned = addMonths(entry, months) - 1;
    const complement = kind === 'EA' ? '01' : IAE_COMPLEMENT[kind];
    const quotity = random.weighted(QUOTITIES[kind]);
    const rate = random.int(100, 106);
    if (kind === 'ETTI') {
      let day = entry;
      let last = entry;
      while (day <= finalPlanned) {
        last = Math.min(day + random.int(5, 45) - 1, finalPlanned);
        const terms: Terms = { nature: '03', start: day, end: last, endReason: '032', plannedEnd: last, fixedTermReason: '02' };
        terms.complement = complement;
        terms.quotity = quotity;
        terms.rate = rate;
        terms.fragile = true;
        this.factory.hire(person, structure, terms, random);
        day = last + 1 + (random.chance(0.4) ? 0 : random.int(1, 14));
      }
      return { exit: last < window.after ? last : null, toJob: false };
    }
    const permanent = kind === 'EA' && random.chance(0.55);
    let end = finalPlanned;
    let reason: string = permanent
      ? random.weighted([
          ['059', 40],
          ['043', 35],
          ['020', 25],
        ])
      : '031';
    let toJob = false;
    const roll = forced ? 1 : random.next();
    if (roll < 0.03) {
      end = entry + random.int(3, 25);
      reason = random.chance(0.5) ? '034' : '035';
    } else if (roll < 0.23) {
      end = entry + random.int(60, Math.max(60, finalPlanned - entry - 10));
      toJob = random.chance(0.6);
      reason = permanent ? (toJob ? '059' : '020') : toJob ? '037' : '036';
    }
    const base: Terms = { nature: permanent ? '01' : '02', start: entry, end, endReason: reason, complement, quotity, rate, fragile: true };
    if (permanent) {
      this.factory.hire(person, structure, base, random);
    } else {
      const firstPlanned = Math.min(finalPlanned, addMonths(entry, random.pick([4, 6, 6, 12])) - 1);
      const renewal =
        firstPlanned < finalPlanned && end > firstPlanned ? { month: window.monthOf(firstPlanned), plannedEnd: finalPlanned } : null;
      // Associations intermédiaires place people for a variable number of hours, half of them under a CDD d'usage.
      const usage = kind === 'AI' && random.chance(0.5);
      const scheme = kind === 'EA' || usage ? '99' : '71';
      const terms: Terms = { ...base, scheme, plannedEnd: firstPlanned, renewal, variableHours: kind === 'AI' };
      this.factory.hire(person, structure, usage ? { ...terms, fixedTermReason: '05', quotity: 8667 } : terms, random);
    }
    return { exit: end < window.after ? end : null, toJob };
  }
}
