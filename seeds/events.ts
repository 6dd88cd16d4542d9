import type { MonthWindow } from './calendar.js';
import type { Contract, Stoppage, Suspension } from './model.js';
import { ageAt } from './people.js';
import type { Random } from './random.js';

// What happens during a contract: sick leaves and other stoppages, suspensions, pay corrections, back pay after the end.
// The first contract that allows it always gets one of each rare event, so that even a small data set shows them all.

const REST_DAYS = 7;
const FRAGILE_SICKNESS_RATE = 0.035;

type Absence = {
  reason: string;
  stoppage: boolean;
  rate: number;
  concerns: (woman: boolean, age: number) => boolean;
  days: (random: Random) => number;
};

const anyone = () => true;

// Sick leave (01), work accident (06), maternity (02); unpaid leave (501), short-time work (602), parental leave (632).
const ABSENCES: readonly Absence[] = [
  { reason: '01', stoppage: true, rate: 0.022, concerns: anyone, days: sicknessDays },
  { reason: '06', stoppage: true, rate: 0.0025, concerns: anyone, days: (random) => 3 + random.geometric(20) },
  { reason: '02', stoppage: true, rate: 0.003, concerns: (woman, age) => woman && age >= 20 && age <= 42, days: () => 112 },
  { reason: '501', stoppage: false, rate: 0.005, concerns: anyone, days: (random) => random.int(1, 20) },
  { reason: '602', stoppage: false, rate: 0.002, concerns: anyone, days: (random) => random.int(14, 90) },
  { reason: '632', stoppage: false, rate: 0.0015, concerns: (_, age) => age >= 22 && age <= 45, days: (random) => random.int(60, 365) },
];

export class EventPlanner {
  private forcedStoppage = false;
  private forcedCorrection = false;
  private forcedFalseEnd = false;

  constructor(private readonly window: MonthWindow) {}

  plan(contract: Contract, random: Random, fragile: boolean): void {
    this.planAbsences(contract, random, fragile);
    this.planCorrections(contract, random);
  }

  /** A fixed-term end declared in month k may be cancelled (`099`) in month k + 1 when the contract went on. */
  allowsFalseEnd(day: number, finalEnd: number | null, random: Random): boolean {
    const month = this.window.monthOf(day);
    if (month < 0 || month > this.window.count - 2) return false;
    if (finalEnd !== null && finalEnd < this.window.startOf(month + 2)) return false;
    if (this.forcedFalseEnd && !random.chance(0.03)) return false;
    this.forcedFalseEnd = true;
    return true;
  }

  private planAbsences(contract: Contract, random: Random, fragile: boolean): void {
    const { window } = this;
    const last = contract.end ?? window.after + 365;
    let busyUntil = Math.max(contract.start + REST_DAYS, window.first - 62);
    if (!this.forcedStoppage && window.count >= 3 && contract.start < window.first - REST_DAYS && last > window.endOf(2)) {
      // A sick leave across the first month end: declared without, then with its return date.
      const firstDayOff = window.endOf(0) - 4;
      contract.stoppages.push({ reason: '01', firstDayOff, returnDay: window.startOf(1) + 7, returnMonth: 1, returnKnownLate: false });
      busyUntil = window.startOf(1) + 7 + REST_DAYS;
      this.forcedStoppage = true;
    }
    const person = contract.person;
    const lastMonth = Math.min(window.count - 1, window.monthOf(last));
    for (let month = window.monthOf(busyUntil); month <= lastMonth; month++) {
      const monthEnd = window.endOf(month);
      if (busyUntil > monthEnd) continue;
      const day = random.int(Math.max(busyUntil, window.startOf(month)), monthEnd);
      if (day >= last) break;
      const event = this.absence(random, day, last, fragile, person.sex === '02', ageAt(person, day));
      if (event === null) continue;
      if ('returnDay' in event) {
        contract.stoppages.push(event);
        busyUntil = event.returnDay + REST_DAYS;
      } else {
        contract.suspensions.push(event);
        busyUntil = event.end + 1 + REST_DAYS;
      }
    }
  }

  /** At most one new absence a month, each kind with its monthly rate and the people it may concern. */
  private absence(random: Random, day: number, last: number, fragile: boolean, woman: boolean, age: number): Stoppage | Suspension | null {
    let roll = random.next();
    for (const absence of ABSENCES) {
      const rate = absence.reason === '01' && fragile ? FRAGILE_SICKNESS_RATE : absence.rate;
      if (roll < rate) {
        if (!absence.concerns(woman, age)) return null;
        const days = absence.days(random);
        return absence.stoppage ? this.stoppage(absence.reason, day, days, last, random) : suspension(absence.reason, day, days, last);
      }
      roll -= rate;
    }
    return null;
  }

  private stoppage(reason: string, firstDayOff: number, days: number, last: number, random: Random): Stoppage | null {
    // A stoppage that would outlast the contract ends with it: the return is on its last day.
    const returnDay = Math.min(firstDayOff + Math.max(1, days), last);
    if (returnDay <= firstDayOff) return null;
    const { window } = this;
    const returnMonth = window.monthOf(returnDay);
    const declaredAfter = returnMonth < window.count - 1 && last >= window.startOf(returnMonth + 1);
    return { reason, firstDayOff, returnDay, returnMonth, returnKnownLate: declaredAfter && random.chance(0.25) };
  }

  private planCorrections(contract: Contract, random: Random): void {
    const { window } = this;
    const activeLast = contract.end === null ? window.count - 1 : Math.min(window.count - 1, window.monthOf(contract.end));
    const monthly = contract.quotity >= 8000 && !contract.variableHours;
    for (let month = Math.max(1, contract.firstMonth + 1); monthly && month <= activeLast; month++) {
      if (!this.forcedCorrection && month === 1 && contract.start < window.first - REST_DAYS && activeLast >= 2) {
        contract.corrections.push({ month, hundredths: -700 });
        this.forcedCorrection = true;
        continue;
      }
      const roll = random.next();
      if (roll < 0.004) contract.corrections.push({ month, hundredths: -random.pick([350, 700, 1050, 1400]) });
      else if (roll < 0.008) contract.corrections.push({ month, hundredths: random.pick([350, 700, 1050, 1400, 2100]) });
    }
    // Hours found after the end are paid the next month, with the contract declared again to carry them.
    if (contract.end !== null && contract.endReason !== null && activeLast >= 0 && activeLast <= window.count - 2 && random.chance(0.03)) {
      contract.corrections.push({ month: activeLast + 1, hundredths: random.pick([350, 700, 1050, 1400]) });
      contract.lastMonth = activeLast + 1;
    }
  }
}

function sicknessDays(random: Random): number {
  const roll = random.next();
  if (roll < 0.65) return random.int(1, 7);
  if (roll < 0.9) return random.int(8, 30);
  return random.int(31, 180);
}

function suspension(reason: string, start: number, days: number, last: number): Suspension | null {
  const end = Math.min(start + days - 1, last);
  return end >= start ? { reason, start, end } : null;
}
