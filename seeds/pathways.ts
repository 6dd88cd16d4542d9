import { addMonths, type MonthWindow } from './calendar.js';
import { Careers, CDI_ENDS } from './careers.js';
import { type ContractFactory, FULL_TIME, type Terms } from './contracts.js';
import type { Employers } from './employers.js';
import type { EventPlanner } from './events.js';
import type { Establishment, IaeKind, Person, ProgrammeKind } from './model.js';
import { ageAt, type PersonFactory } from './people.js';
import { Programmes } from './programmes.js';
import { Random } from './random.js';
import { STAFF_JOBS } from './sectors.js';

// Pathways: half the people go through an insertion programme then look for work, the others are ordinary workers;
// some are in programmes only a register shows (GEIQ, RSA support, training).

export type PassRecord = { number: string; person: Person; siret: string; start: number; end: number };
export type ParticipantRecord = {
  person: Person;
  programme: 'geiq' | 'rsa' | 'formation';
  siret: string;
  entry: number;
  exit: number | null;
};

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

export class Planner {
  readonly passes: PassRecord[] = [];
  readonly participants: ParticipantRecord[] = [];
  private readonly staffing: Establishment[] = [];
  private staffed = 0;
  private passCount = 0;
  private readonly careers: Careers;
  private readonly programmes: Programmes;

  constructor(
    private readonly seed: number,
    private readonly window: MonthWindow,
    private readonly employers: Employers,
    private readonly people: PersonFactory,
    private readonly factory: ContractFactory,
    events: EventPlanner,
  ) {
    this.careers = new Careers(window, employers, factory, events);
    this.programmes = new Programmes(window, factory);
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

  /** A passage in a structure, a PASS for IAE, then a job search that succeeds or not. */
  private programme(index: number, random: Random, kind: ProgrammeKind, forced: boolean): Person {
    const person = this.create(index, random, 'programme');
    const { window } = this;
    if (kind === 'EA') person.boeth = random.chance(0.95);
    const entry = forced ? window.first - random.int(0, 40) : random.int(window.first - 300, window.after - 45);
    if (!forced && entry - window.first > 90 && random.chance(0.3)) this.precarious(person, random, entry);
    const structure = this.employers.pick(random, kind, person.department);
    let stint = this.programmes.stint(person, random, kind, structure, entry, forced, 24);
    if (kind !== 'EA') {
      const start = random.chance(0.5) ? entry : entry - random.int(1, 30);
      const number = `99999${String((1_234_567 + this.passCount++ * 7919) % 10_000_000).padStart(7, '0')}`;
      this.passes.push({ number, person, siret: structure.siret, start, end: start + 729 });
      // Some move on to another kind of structure under the same PASS.
      if (stint.exit !== null && !stint.toJob && random.chance(0.07)) {
        const other = random.pick(IAE_KINDS.filter((k) => k !== kind));
        const again = stint.exit + random.int(10, 60);
        if (again < window.after)
          stint = this.programmes.stint(person, random, other, this.employers.pick(random, other, person.department), again, false, 10);
      }
    }
    if (random.chance(0.15)) this.register(person, random, 'rsa', entry - random.int(30, 700));
    if (stint.exit === null) return person;
    const next = stint.toJob ? stint.exit + 1 : random.chance(0.62) ? stint.exit + 1 + this.searchDays(random) : null;
    if (next !== null) this.careers.career(person, random, next, 'leaver');
    return person;
  }

  /** Short jobs before entering a programme. */
  private precarious(person: Person, random: Random, entry: number): void {
    const end = entry - random.int(30, 90);
    const start = end - random.int(20, 90) + 1;
    if (ageAt(person, start) < 17) return;
    if (random.chance(0.5)) this.careers.job(person, random, start, 'leaver', 'INTERIM', 0, end);
    else this.careers.job(person, random, start, 'leaver', 'CDD', 0, end);
  }

  /** An ordinary worker: in a job on the window's first day (some as staff of a structure) or looking for one, maybe in training. */
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
      const end = structure ? this.staff(person, random, structure, adult) : this.careers.pastJob(person, random, adult);
      const gap = this.careers.gap(random, 'worker');
      if (end < window.after && gap !== null) this.careers.career(person, random, end + 1 + gap, 'worker');
      return person;
    }
    let from = Math.max(adult, window.first + random.int(0, 365));
    if (random.chance(0.3)) {
      const start = random.int(window.first - 90, window.after - 60);
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
    if (random.chance(0.85)) this.careers.career(person, random, from, 'worker');
    return person;
  }

  /** RSA support, known only from the register of the structure that provides it. */
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
    this.factory.hire(person, geiq, { ...terms, fixedTermReason: apprentice ? '11' : '10', rate: random.int(100, 110) }, random);
    this.participants.push({ person, programme: 'geiq', siret: geiq.siret, entry: start, exit: end < window.after ? end : null });
    const gap = this.careers.gap(random, 'worker');
    if (end < window.after && gap !== null) this.careers.career(person, random, end + 1 + gap, 'worker');
  }

  /** Permanent staff of a structure: supervisors and counsellors, not in the programme themselves. */
  private staff(person: Person, random: Random, structure: Establishment, adult: number): number {
    const { window } = this;
    const start = Math.max(adult + 365, window.first - random.int(60, 3650));
    const end = window.first + 30 * random.geometric(90) + random.int(0, 29);
    const terms: Terms = { nature: '01', start, end, endReason: random.weighted(CDI_ENDS.slice(0, 3)), pcs: random.pick(STAFF_JOBS) };
    this.factory.hire(person, structure, { ...terms, rate: random.int(115, 160), quotity: random.chance(0.8) ? FULL_TIME : 12133 }, random);
    return end;
  }

  /** Time from a programme exit to the first job, for those who find one. */
  private searchDays(random: Random): number {
    const roll = random.next();
    if (roll < 0.3) return random.int(0, 30);
    if (roll < 0.7) return random.int(31, 120);
    return random.int(121, 300);
  }
}
