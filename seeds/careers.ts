import { addMonths, type MonthWindow } from './calendar.js';
import { type ContractFactory, FULL_TIME, type Terms } from './contracts.js';
import type { Employers } from './employers.js';
import type { EventPlanner } from './events.js';
import type { Establishment, Person } from './model.js';
import { ageAt } from './people.js';
import type { Random } from './random.js';

// Working lives outside the programmes: CDI, CDD, interim missions, apprenticeship, professionalisation, PEC, and the gaps between.

export type Profile = 'worker' | 'leaver';
export type JobType = 'CDI' | 'CDD' | 'INTERIM' | 'APPRENTICE' | 'PRO' | 'PEC';

// Part-time monthly hours, 15 h to 30 h a week.
const PART_TIME: readonly (readonly [number, number])[] = [
  [6500, 10],
  [8667, 30],
  [10400, 30],
  [12133, 20],
  [13000, 10],
];
// CDI ends: resignation, rupture conventionnelle, dismissal, economic dismissal, trial period.
export const CDI_ENDS: readonly (readonly [string, number])[] = [
  ['059', 45],
  ['043', 28],
  ['020', 20],
  ['014', 3],
  ['034', 4],
];
// Most CDD are short.
const CDD_MONTHS: readonly (readonly [readonly [number, number], number])[] = [
  [[1, 3], 40],
  [[4, 6], 30],
  [[7, 12], 25],
  [[13, 18], 5],
];

/** An integer in an inclusive [min, max] range drawn by `random.weighted`. */
export const between = (random: Random, range: readonly [number, number]) => random.int(range[0], range[1]);

export class Careers {
  constructor(
    private readonly window: MonthWindow,
    private readonly employers: Employers,
    private readonly factory: ContractFactory,
    private readonly events: EventPlanner,
  ) {}

  /** The job held on the first day of the window, started earlier. */
  pastJob(person: Person, random: Random, adult: number): number {
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

  /** Jobs and gaps from `from` until the window ends or the person stops working. */
  career(person: Person, random: Random, from: number, profile: Profile): void {
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
  job(person: Person, random: Random, start: number, profile: Profile, chosen?: JobType, minEnd = 0, maxEnd?: number): number {
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
        this.factory.hire(person, employer, { ...common, nature: '01', end, endReason }, random);
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
        this.factory.hire(person, employer, { ...terms, scheme: employer.weight < 11 ? '64' : '65' }, random);
        break;
      }
      case 'PRO':
        end = clip(addMonths(start, random.int(6, 24)) - 1);
        this.factory.hire(
          person,
          employer,
          { ...common, quotity: FULL_TIME, nature: '02', end, endReason: '031', plannedEnd: end, scheme: '61', fixedTermReason: '10' },
          random,
        );
        break;
      case 'PEC':
        end = clip(addMonths(start, random.int(9, 12)) - 1);
        this.factory.hire(
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
      this.factory.hire(
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
      this.factory.hire(person, employer, { ...terms, end, endReason: random.pick(['034', '035']) }, random);
      return end;
    }
    const extended = addMonths(plannedEnd + 1, random.int(2, 6)) - 1;
    if (plannedEnd - start > 80 && this.events.allowsFalseEnd(plannedEnd, extended, random)) {
      const month = this.window.monthOf(plannedEnd) + 1;
      this.factory.hire(
        person,
        employer,
        { ...terms, end: extended, renewal: { month, plannedEnd: extended }, falseEnd: { day: plannedEnd, reason: '031' } },
        random,
      );
      return extended;
    }
    this.factory.hire(person, employer, terms, random);
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
      // Spelled out rather than spread: missions are most contracts and spreading costs here.
      const terms: Terms = { nature: '03', start: day, end: last, endReason: '032', plannedEnd: last, fixedTermReason: '02' };
      terms.quotity = common.quotity;
      terms.rate = common.rate;
      terms.fragile = common.fragile;
      this.factory.hire(person, agency, terms, random);
      day = last + 1 + (random.chance(0.5) ? 0 : random.int(1, 10));
    }
    return last;
  }

  gap(random: Random, profile: Profile): number | null {
    if (random.chance(profile === 'leaver' ? 0.12 : 0.06)) return null;
    if (random.chance(profile === 'leaver' ? 0.15 : 0.25)) return 0;
    return 7 + random.geometric(profile === 'leaver' ? 100 : 60);
  }
}
