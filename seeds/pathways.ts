import { addMonths, type MonthWindow } from './calendar.js';
import { type ContractFactory, FULL_TIME, type Terms } from './contracts.js';
import type { Employers } from './employers.js';
import type { EventPlanner } from './events.js';
import type { Establishment, IaeKind, Person, ProgrammeKind } from './model.js';
import { ageAt, type PersonFactory } from './people.js';
import { Random } from './random.js';
import { STAFF_JOBS } from './sectors.js';

// Careers: half the people go through an insertion programme then look for work, the others are ordinary workers.

export type PassRecord = { number: string; person: Person; siret: string; start: number; end: number };
export type ParticipantRecord = {
  person: Person;
  programme: 'geiq' | 'rsa' | 'formation';
  siret: string;
  entry: number;
  exit: number | null;
};

type Profile = 'worker' | 'leaver';
type JobType = 'CDI' | 'CDD' | 'INTERIM' | 'APPRENTICE' | 'PRO' | 'PEC';
type Stint = { exit: number | null; toJob: boolean };

const IAE_COMPLEMENT: Record<IaeKind, string> = { ACI: '02', AI: '03', EI: '04', ETTI: '05' };
const IAE_KINDS: readonly IaeKind[] = ['ACI', 'AI', 'EI', 'ETTI'];
// The first people cover every kind of structure, so that a small data set holds them all.
const FORCED_KINDS: readonly ProgrammeKind[] = ['ACI', 'AI', 'EI', 'ETTI', 'EA'];
const FORCED_NAMES = ["D'ALMEIDA", 'LEFÈVRE'];
const PROGRAMME_KINDS: readonly (readonly [ProgrammeKind, number])[] = [
  ['ACI', 40],
  ['AI', 15],
  ['EI', 17],
  ['ETTI', 13],
  ['EA', 15],
];

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
const PART_TIME: readonly (readonly [number, number])[] = [
  [6500, 10],
  [8667, 30],
  [10400, 30],
  [12133, 20],
  [13000, 10],
];
const CDI_ENDS: readonly (readonly [string, number])[] = [
  ['059', 45],
  ['043', 28],
  ['020', 20],
  ['014', 3],
  ['034', 4],
];
const STAY_MONTHS: readonly (readonly [readonly [number, number], number])[] = [
  [[4, 6], 30],
  [[7, 12], 45],
  [[13, 18], 15],
  [[19, 24], 10],
];
const CDD_MONTHS: readonly (readonly [readonly [number, number], number])[] = [
  [[1, 3], 40],
  [[4, 6], 30],
  [[7, 12], 25],
  [[13, 18], 5],
];

const between = (random: Random, range: readonly [number, number]) => random.int(range[0], range[1]);

export class Planner {
  readonly passes: PassRecord[] = [];
  readonly participants: ParticipantRecord[] = [];
  private readonly staffing: Establishment[] = [];
  private staffed = 0;
  private passCount = 0;

  constructor(
    private readonly seed: number,
    private readonly window: MonthWindow,
    private readonly employers: Employers,
    private readonly people: PersonFactory,
    private readonly factory: ContractFactory,
    private readonly events: EventPlanner,
  ) {
    const random = new Random(seed, 'staffing');
    for (const structure of employers.structures) for (let i = random.int(1, 3); i > 0; i--) this.staffing.push(structure);
  }

  planPerson(index: number): Person {
    const random = new Random(this.seed, `person:${index}`);
    const forcedKind = FORCED_KINDS[index];
    const person =
      forcedKind !== undefined
        ? this.programme(index, random, forcedKind, true)
        : index === FORCED_KINDS.length
          ? this.worker(index, random, true, true)
          : random.chance(0.5)
            ? this.programme(index, random, random.weighted(PROGRAMME_KINDS), false)
            : this.worker(index, random, random.chance(0.004), null);
    return person;
  }

  private create(index: number, random: Random, profile: 'programme' | 'worker' | 'young', ntt = false): Person {
    const person = this.people.create(index, random, profile, { ntt });
    const forcedName = FORCED_NAMES[index];
    if (forcedName !== undefined) person.lastName = forcedName;
    return person;
  }

  private hire(person: Person, employer: Establishment, terms: Terms, random: Random): void {
    this.factory.hire(person, employer, terms, random);
  }

  private programme(index: number, random: Random, kind: ProgrammeKind, forced: boolean): Person {
    const person = this.create(index, random, 'programme');
    const { window } = this;
    if (kind === 'EA') person.boeth = random.chance(0.95);
    const entry = forced ? window.first - random.int(0, 40) : random.int(window.first - 300, window.after - 45);
    if (!forced && entry - window.first > 90 && random.chance(0.3)) this.precarious(person, random, entry);
    const structure = this.employers.pick(random, kind, person.department);
    let stint = this.stint(person, random, kind, structure, entry, forced, 24);
    if (kind !== 'EA') {
      const start = random.chance(0.5) ? entry : entry - random.int(1, 30);
      const number = `99999${String((1_234_567 + this.passCount++ * 7919) % 10_000_000).padStart(7, '0')}`;
      this.passes.push({ number, person, siret: structure.siret, start, end: start + 729 });
      // Some move on to another kind of structure under the same PASS.
      if (stint.exit !== null && !stint.toJob && random.chance(0.07)) {
        const other = random.pick(IAE_KINDS.filter((k) => k !== kind));
        const again = stint.exit + random.int(10, 60);
        if (again < window.after)
          stint = this.stint(person, random, other, this.employers.pick(random, other, person.department), again, false, 10);
      }
    }
    if (random.chance(0.15)) this.register(person, random, 'rsa', entry - random.int(30, 700));
    if (stint.exit === null) return person;
    const next = stint.toJob ? stint.exit + 1 : random.chance(0.62) ? stint.exit + 1 + this.searchDays(random) : null;
    if (next !== null) this.career(person, random, next, 'leaver');
    return person;
  }

  /** One passage in a structure: a CDDI (renewed when longer than its first term), a series of ETTI missions, or an EA contract. */
  private stint(
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
        this.hire(person, structure, { ...terms, complement, quotity, rate, fragile: true }, random);
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
      this.hire(person, structure, base, random);
    } else {
      const firstPlanned = Math.min(finalPlanned, addMonths(entry, random.pick([4, 6, 6, 12])) - 1);
      const renewal =
        firstPlanned < finalPlanned && end > firstPlanned ? { month: window.monthOf(firstPlanned), plannedEnd: finalPlanned } : null;
      // Associations intermédiaires place people for a variable number of hours, half of them under a CDD d'usage.
      const usage = kind === 'AI' && random.chance(0.5);
      const scheme = kind === 'EA' || usage ? '99' : '71';
      const terms: Terms = { ...base, scheme, plannedEnd: firstPlanned, renewal, variableHours: kind === 'AI' };
      this.hire(person, structure, usage ? { ...terms, fixedTermReason: '05', quotity: 8667 } : terms, random);
    }
    return { exit: end < window.after ? end : null, toJob };
  }

  /** Short jobs before entering a programme. */
  private precarious(person: Person, random: Random, entry: number): void {
    const end = entry - random.int(30, 90);
    const start = end - random.int(20, 90) + 1;
    if (ageAt(person, start) < 17) return;
    if (random.chance(0.5)) this.job(person, random, start, 'leaver', 'INTERIM', 0, end);
    else this.job(person, random, start, 'leaver', 'CDD', 0, end);
  }

  private worker(index: number, random: Random, ntt: boolean, employedAtStart: boolean | null): Person {
    const young = random.chance(0.1);
    const person = this.create(index, random, young ? 'young' : 'worker', ntt);
    const { window } = this;
    const adult = addMonths(person.birthDay, 16 * 12);
    const employed = employedAtStart ?? random.chance(0.8);
    if (!ntt && ageAt(person, window.first) < 36 && random.chance(0.05)) {
      this.geiq(person, random);
      return person;
    }
    if (employed && window.first - adult > 60) {
      const structure = ageAt(person, window.first) >= 22 ? this.staffing[this.staffed] : undefined;
      if (structure) this.staffed++;
      const end = structure ? this.staff(person, random, structure, adult) : this.pastJob(person, random, adult);
      const gap = this.gap(random, 'worker');
      if (end < window.after && gap !== null) this.career(person, random, end + 1 + gap, 'worker');
      return person;
    }
    let from = Math.max(adult, window.first + random.int(0, 365));
    if (random.chance(0.3)) {
      const start = window.first - random.int(0, 90);
      const end = addMonths(start, random.int(3, 9)) - 1;
      this.participants.push({
        person,
        programme: 'formation',
        siret: this.employers.pick(random, 'TRAINING', person.department).siret,
        entry: start,
        exit: end < window.after ? end : null,
      });
      from = Math.max(from, end + 1 + random.int(0, 90));
    }
    if (random.chance(0.2)) this.register(person, random, 'rsa', window.first - random.int(60, 900));
    if (random.chance(0.85)) this.career(person, random, from, 'worker');
    return person;
  }

  private register(person: Person, random: Random, programme: 'rsa', entry: number): void {
    const { window } = this;
    const exit = random.chance(0.5) ? entry + random.int(90, 900) : null;
    const siret = this.employers.pick(random, 'SUPPORT', person.department).siret;
    this.participants.push({ person, programme, siret, entry, exit: exit !== null && exit < window.after ? exit : null });
  }

  /** GEIQ employees are ordinary employees in the DSN: only the register says they are in a programme. */
  private geiq(person: Person, random: Random): void {
    const { window } = this;
    const geiq = this.employers.pick(random, 'GEIQ', person.department);
    const start = Math.max(addMonths(person.birthDay, 16 * 12), window.first + random.int(-200, Math.max(-200, window.count * 30 - 60)));
    const apprentice = ageAt(person, start) < 26 && random.chance(0.3);
    const plannedEnd = addMonths(start, random.int(6, 24)) - 1;
    const early = random.chance(0.1);
    const end = early ? start + random.int(20, Math.max(20, plannedEnd - start - 10)) : plannedEnd;
    const reason = early ? random.pick(['036', '037']) : apprentice ? '081' : '031';
    const terms: Terms = { nature: '02', start, end, endReason: reason, plannedEnd, scheme: apprentice ? '65' : '61' };
    this.hire(person, geiq, { ...terms, fixedTermReason: apprentice ? '11' : '10', rate: random.int(100, 110) }, random);
    this.participants.push({ person, programme: 'geiq', siret: geiq.siret, entry: start, exit: end < window.after ? end : null });
    const gap = this.gap(random, 'worker');
    if (end < window.after && gap !== null) this.career(person, random, end + 1 + gap, 'worker');
  }

  /** Permanent staff of a structure: supervisors and counsellors, not in the programme themselves. */
  private staff(person: Person, random: Random, structure: Establishment, adult: number): number {
    const { window } = this;
    const start = Math.max(adult + 365, window.first - random.int(60, 3650));
    const end = window.first + 30 * random.geometric(90) + random.int(0, 29);
    const terms: Terms = { nature: '01', start, end, endReason: random.weighted(CDI_ENDS.slice(0, 3)), pcs: random.pick(STAFF_JOBS) };
    this.hire(person, structure, { ...terms, rate: random.int(115, 160), quotity: random.chance(0.8) ? FULL_TIME : 12133 }, random);
    return end;
  }

  /** The job held on the first day of the window, started earlier. */
  private pastJob(person: Person, random: Random, adult: number): number {
    const { window } = this;
    const seniority = window.first - adult;
    const roll = random.next();
    if (ageAt(person, window.first) < 26 && roll < 0.25) {
      return this.job(person, random, window.first - random.int(1, Math.min(300, seniority)), 'worker', 'APPRENTICE', window.first + 15);
    }
    if (roll < 0.7)
      return this.job(person, random, window.first - random.int(30, Math.min(7300, seniority)), 'worker', 'CDI', window.first + 1);
    if (roll < 0.88)
      return this.job(person, random, window.first - random.int(1, Math.min(150, seniority)), 'worker', 'CDD', window.first + 15);
    return this.job(person, random, window.first - random.int(0, Math.min(60, seniority)), 'worker', 'INTERIM', window.first + 15);
  }

  private career(person: Person, random: Random, from: number, profile: Profile): void {
    const { window } = this;
    let day = Math.max(from, addMonths(person.birthDay, 16 * 12));
    for (let jobs = 0; day < window.after && jobs < 40; jobs++) {
      const end = this.job(person, random, day, profile);
      const gap = this.gap(random, profile);
      if (end >= window.after || gap === null) return;
      day = end + 1 + gap;
    }
  }

  private jobType(random: Random, profile: Profile, age: number): JobType {
    const young = age < 26 ? 1 : 0;
    if (profile === 'leaver') {
      return random.weighted([
        ['CDI', 22],
        ['CDD', 38],
        ['INTERIM', 26],
        ['PEC', 6],
        ['PRO', 4],
        ['APPRENTICE', 4 * young],
      ]);
    }
    return random.weighted([
      ['CDI', 35],
      ['CDD', 32],
      ['INTERIM', 18],
      ['APPRENTICE', 12 * young],
      ['PRO', 3],
      ['PEC', 2],
    ]);
  }

  /** Hires one job (or a series of missions) from `start`; returns its last day. */
  private job(person: Person, random: Random, start: number, profile: Profile, chosen?: JobType, minEnd = 0, maxEnd?: number): number {
    const type = chosen ?? this.jobType(random, profile, ageAt(person, start));
    const leaver = profile === 'leaver';
    const department = person.department;
    const employer =
      type === 'INTERIM'
        ? this.employers.pick(random, 'TEMP_AGENCY', department)
        : type === 'PEC'
          ? this.employers.pick(random, 'NON_PROFIT', department)
          : this.employers.pick(random, leaver && random.chance(0.85) ? 'LEAVERS' : 'ORDINARY', department);
    const partTime = (type === 'CDI' || type === 'CDD') && random.chance(leaver ? 0.4 : 0.2);
    const common = {
      start,
      quotity: partTime ? random.weighted(PART_TIME) : FULL_TIME,
      rate: random.int(100, leaver ? 110 : 150),
      fragile: leaver,
    };
    const clip = (day: number) => Math.min(Math.max(day, minEnd), maxEnd ?? Number.POSITIVE_INFINITY);
    let end: number;
    switch (type) {
      case 'CDI': {
        const trial = minEnd === 0 && random.chance(0.05);
        end = trial ? start + random.int(5, 45) : clip(addMonths(start, 1 + random.geometric(leaver ? 45 : 80)) + random.int(0, 27));
        if (minEnd > 0 && end === minEnd) end += 30 * random.geometric(leaver ? 45 : 80);
        const endReason = trial ? random.pick(['034', '035']) : random.weighted(CDI_ENDS.slice(0, 4));
        this.hire(person, employer, { ...common, nature: '01', end, endReason }, random);
        break;
      }
      case 'CDD':
        end = this.fixedTerm(person, random, employer, common, clip(addMonths(start, between(random, random.weighted(CDD_MONTHS))) - 1));
        break;
      case 'INTERIM':
        end = this.missions(person, random, employer, common, clip(start + random.int(20, 270) - 1));
        break;
      case 'APPRENTICE': {
        end = clip(addMonths(start, random.pick([12, 24, 24, 36])) - 1);
        const terms: Terms = { ...common, quotity: FULL_TIME, nature: '02', end, endReason: '081', plannedEnd: end, fixedTermReason: '11' };
        this.hire(person, employer, { ...terms, scheme: employer.weight < 11 ? '64' : '65' }, random);
        break;
      }
      case 'PRO':
        end = clip(addMonths(start, random.int(6, 24)) - 1);
        this.hire(
          person,
          employer,
          { ...common, quotity: FULL_TIME, nature: '02', end, endReason: '031', plannedEnd: end, scheme: '61', fixedTermReason: '10' },
          random,
        );
        break;
      case 'PEC':
        end = clip(addMonths(start, random.int(9, 12)) - 1);
        this.hire(
          person,
          employer,
          { ...common, quotity: random.pick([8667, 10400]), nature: '02', end, endReason: '031', plannedEnd: end, scheme: '41' },
          random,
        );
        break;
    }
    // Some part-timers hold a second job at the same time.
    if (partTime && random.chance(0.15)) {
      const second = this.employers.pick(random, 'ORDINARY', department);
      const secondStart = start + random.int(0, 60);
      const secondEnd = addMonths(secondStart, 1 + random.geometric(12)) - 1;
      this.hire(
        person,
        second,
        {
          ...common,
          start: secondStart,
          nature: '01',
          end: secondEnd,
          endReason: random.weighted(CDI_ENDS.slice(0, 3)),
          quotity: random.weighted(PART_TIME),
        },
        random,
      );
    }
    return end;
  }

  /** A CDD, now and then with its end declared by mistake and cancelled when the contract was extended. */
  private fixedTerm(
    person: Person,
    random: Random,
    employer: Establishment,
    common: Omit<Terms, 'nature' | 'end' | 'endReason'>,
    plannedEnd: number,
  ): number {
    const start = common.start;
    const terms: Terms = {
      ...common,
      nature: '02',
      end: plannedEnd,
      endReason: '031',
      plannedEnd,
      fixedTermReason: random.chance(0.6) ? '02' : '01',
    };
    if (random.chance(0.05) && plannedEnd - start > 40) {
      const end = start + random.int(3, 20);
      this.hire(person, employer, { ...terms, end, endReason: random.pick(['034', '035']) }, random);
      return end;
    }
    const extended = addMonths(plannedEnd + 1, random.int(2, 6)) - 1;
    if (plannedEnd - start > 80 && this.events.allowsFalseEnd(plannedEnd, extended, random)) {
      const month = this.window.monthOf(plannedEnd) + 1;
      this.hire(
        person,
        employer,
        { ...terms, end: extended, renewal: { month, plannedEnd: extended }, falseEnd: { day: plannedEnd, reason: '031' } },
        random,
      );
      return extended;
    }
    this.hire(person, employer, terms, random);
    return plannedEnd;
  }

  /** Back-to-back interim missions at one agency; returns the last mission's end. */
  private missions(
    person: Person,
    random: Random,
    agency: Establishment,
    common: Omit<Terms, 'nature' | 'end' | 'endReason'>,
    seriesEnd: number,
  ): number {
    let day = common.start;
    let last = day;
    while (day <= seriesEnd) {
      last = Math.min(day + random.int(3, 30) - 1, seriesEnd);
      this.hire(
        person,
        agency,
        { ...common, nature: '03', start: day, end: last, endReason: '032', plannedEnd: last, fixedTermReason: '02' },
        random,
      );
      day = last + 1 + (random.chance(0.5) ? 0 : random.int(1, 10));
    }
    return last;
  }

  private gap(random: Random, profile: Profile): number | null {
    if (random.chance(profile === 'leaver' ? 0.12 : 0.06)) return null;
    if (random.chance(profile === 'leaver' ? 0.15 : 0.25)) return 0;
    return 7 + random.geometric(profile === 'leaver' ? 100 : 60);
  }

  private searchDays(random: Random): number {
    const roll = random.next();
    if (roll < 0.3) return random.int(0, 30);
    if (roll < 0.7) return random.int(31, 120);
    return random.int(121, 300);
  }
}
