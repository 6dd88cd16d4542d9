import type { MonthWindow } from './calendar.js';
import type { EventPlanner } from './events.js';
import type { Contract, Establishment, Person } from './model.js';
import type { Random } from './random.js';

// Contracts as the DSN declares them: nature, public scheme, insertion complement, quotity, planned end.

export const FULL_TIME = 15167;

export type Terms = {
  nature: '01' | '02' | '03';
  start: number;
  /** Last day; null or after the window: still running at its end. */
  end: number | null;
  endReason: string | null;
  scheme?: string;
  complement?: string | null;
  fixedTermReason?: string | null;
  plannedEnd?: number | null;
  renewal?: { month: number; plannedEnd: number } | null;
  falseEnd?: { day: number; reason: string } | null;
  quotity?: number;
  rate?: number;
  variableHours?: boolean;
  pcs?: string;
  /** Insertion participants fall sick more often. */
  fragile?: boolean;
};

/** Conventional status (S21.G00.40.002) from the PCS-ESE group. */
const CATEGORY: Record<string, string> = { '3': '04', '4': '05', '5': '06', '6': '07' };

export class ContractFactory {
  /** The contracts declared at least once in the window. */
  readonly contracts: Contract[] = [];
  private nextId = 0;

  constructor(
    private readonly window: MonthWindow,
    private readonly events: EventPlanner,
  ) {}

  hire(person: Person, establishment: Establishment, terms: Terms, random: Random): Contract {
    const { window } = this;
    const end = terms.end !== null && terms.end < window.after ? terms.end : null;
    const pcs = terms.pcs ?? random.pick(establishment.jobs);
    const prefix = establishment.kind === 'ETTI' || establishment.kind === 'TEMP_AGENCY' ? 'M' : '';
    const contract: Contract = {
      id: this.nextId++,
      person,
      establishment,
      number: `${prefix}${String(establishment.nextContract++).padStart(5, '0')}`,
      start: terms.start,
      end,
      endReason: end === null ? null : terms.endReason,
      nature: terms.nature,
      scheme: terms.scheme ?? '99',
      complement: terms.complement ?? null,
      fixedTermReason: terms.fixedTermReason ?? null,
      plannedEnd: terms.plannedEnd ?? null,
      renewal: terms.renewal ?? null,
      falseEnd: terms.falseEnd ?? null,
      category: CATEGORY[pcs.charAt(0)] ?? '06',
      pcs,
      quotity: terms.quotity ?? FULL_TIME,
      rate: terms.rate ?? random.int(100, 125),
      variableHours: terms.variableHours ?? false,
      stoppages: [],
      suspensions: [],
      corrections: [],
      firstMonth: Math.max(0, window.monthOf(terms.start)),
      lastMonth: end === null ? window.count - 1 : Math.min(window.count - 1, window.monthOf(end)),
      block: null,
      renewedBlock: null,
      blockLines: 0,
    };
    // A few ends are never declared: the contract just stops appearing (implicit end).
    if (contract.endReason !== null && establishment.kind === 'ORDINARY' && contract.falseEnd === null && random.chance(0.03)) {
      contract.endReason = null;
    }
    if (contract.lastMonth < 0 || contract.firstMonth >= window.count) return contract;
    this.events.plan(contract, random, terms.fragile ?? false);
    this.contracts.push(contract);
    return contract;
  }
}
