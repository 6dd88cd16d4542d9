import { decimal, dsnDate, type MonthWindow } from './calendar.js';
import { FULL_TIME } from './contracts.js';
import type { Contract, Establishment, Person } from './model.js';
import { hashUnit } from './random.js';

// NEODeS lines: one envoi per establishment and month, one declaration in it. Blocks that do not change from one month
// to the next (individu, contrat, entreprise) are written once and reused, which keeps generation fast.

export type DeclarationOptions = { type: '01' | '02' | '03'; sequence: number; replaces: string | null; tweak: boolean };
export type Rendered = { text: string; lines: number; id: string };

const line = (id: string, value: string) => `${id},'${value}'\n`;

// Gross hourly minimum wage in cents by year; the 2026 figure is an assumption (+1.2 %), later years grow likewise.
const MINIMUM_WAGE: Record<number, number> = {
  2019: 1003,
  2020: 1015,
  2021: 1025,
  2022: 1057,
  2023: 1127,
  2024: 1165,
  2025: 1188,
  2026: 1202,
};

function minimumWage(year: number): number {
  if (year < 2019) return 998;
  return MINIMUM_WAGE[year] ?? Math.round(1202 * 1.012 ** (year - 2026));
}

const OVERTIME_SALT = 1;
const OVERTIME_HOURS_SALT = 2;
const VARIABLE_SALT = 3;

export class DsnWriter {
  private readonly wages: number[];
  private text = '';
  private lines = 0;

  constructor(
    private readonly window: MonthWindow,
    private readonly seed: number,
  ) {
    this.wages = window.years.map(minimumWage);
  }

  /** The whole envoi of one establishment for one month; `contracts` are sorted by person. */
  render(establishment: Establishment, month: number, contracts: readonly Contract[], options: DeclarationOptions): Rendered {
    const { window } = this;
    this.text = this.header(establishment);
    this.lines = 12;
    const label = window.labels[month] as string;
    const id = `${establishment.siret}${label.replace('-', '')}${options.sequence}`;
    const declared = `01${label.slice(5, 7)}${label.slice(0, 4)}`;
    this.add('S20.G00.05.001', '01');
    this.add('S20.G00.05.002', options.type);
    this.add('S20.G00.05.003', '11');
    this.add('S20.G00.05.004', String(options.sequence));
    this.add('S20.G00.05.005', declared);
    if (options.replaces !== null) this.add('S20.G00.05.006', options.replaces);
    this.add('S20.G00.05.007', dsnDate((window.ends[month] as number) + 4 + options.sequence * 5));
    this.add('S20.G00.05.008', '01');
    this.add('S20.G00.05.009', id);
    this.add('S20.G00.05.010', '01');
    this.text += this.company(establishment);
    this.lines += 11;
    let persons = 0;
    for (let i = 0; i < contracts.length; i++)
      if (i === 0 || (contracts[i] as Contract).person !== (contracts[i - 1] as Contract).person) persons++;
    this.add('S21.G00.11.008', String(persons));
    let tweak = options.tweak;
    for (let first = 0; first < contracts.length; ) {
      const person = (contracts[first] as Contract).person;
      let last = first + 1;
      while (last < contracts.length && (contracts[last] as Contract).person === person) last++;
      if (this.person(person, contracts, first, last, month, tweak)) tweak = false;
      first = last;
    }
    this.add('S90.G00.90.001', String(this.lines + 2));
    this.add('S90.G00.90.002', '1');
    const text = this.text;
    this.text = '';
    return { text, lines: this.lines, id };
  }

  private add(id: string, value: string): void {
    this.text += `${id},'${value}'\n`;
    this.lines++;
  }

  private header(e: Establishment): string {
    e.header ??=
      line('S10.G00.00.001', 'SILLAGE GENERATEUR') +
      line('S10.G00.00.002', 'SILLAGE') +
      line('S10.G00.00.003', '1.0.0') +
      line('S10.G00.00.005', '02') +
      line('S10.G00.00.006', 'P26V01') +
      line('S10.G00.00.008', '01') +
      line('S10.G00.01.001', e.siren) +
      line('S10.G00.01.002', e.nic) +
      line('S10.G00.01.003', e.name) +
      line('S10.G00.01.004', e.street) +
      line('S10.G00.01.005', e.postalCode) +
      line('S10.G00.01.006', e.town);
    return e.header;
  }

  private company(e: Establishment): string {
    e.company ??=
      line('S21.G00.06.001', e.siren) +
      line('S21.G00.06.002', e.headNic) +
      line('S21.G00.06.003', e.naf) +
      line('S21.G00.06.004', e.street) +
      line('S21.G00.06.005', e.postalCode) +
      line('S21.G00.06.006', e.town) +
      line('S21.G00.11.001', e.nic) +
      line('S21.G00.11.002', e.naf) +
      line('S21.G00.11.003', e.street) +
      line('S21.G00.11.004', e.postalCode) +
      line('S21.G00.11.005', e.town);
    return e.company;
  }

  /** Individu, its contracts with their events, then one versement with every pay line; true when `tweak` was used. */
  private person(person: Person, contracts: readonly Contract[], first: number, last: number, month: number, tweak: boolean): boolean {
    if (person.block === null) {
      let block = '';
      if (person.nir !== null) block += line('S21.G00.30.001', person.nir);
      block += line('S21.G00.30.002', person.lastName) + line('S21.G00.30.004', person.firstNames);
      // Sex is declared only when no NIR carries it.
      if (person.nir === null) block += line('S21.G00.30.005', person.sex);
      block += line('S21.G00.30.006', person.birth);
      if (person.ntt !== null) block += line('S21.G00.30.020', person.ntt);
      if (person.education !== null) block += line('S21.G00.30.024', person.education);
      person.block = block;
      person.blockLines = block.split('\n').length - 1;
    }
    this.text += person.block;
    this.lines += person.blockLines;
    for (let i = first; i < last; i++) this.contract(contracts[i] as Contract, month);
    const before = this.text;
    const beforeLines = this.lines;
    this.text = '';
    let total = 0;
    let used = false;
    for (let i = first; i < last; i++) {
      const contract = contracts[i] as Contract;
      let hours = this.hours(contract, month);
      if (tweak && !used && hours > 0) {
        hours += 700;
        used = true;
      }
      if (hours > 0) total += this.pay(contract, month, hours);
      for (const correction of contract.corrections)
        if (correction.month === month) total += this.correction(contract, month, correction.hundredths);
    }
    const pay = this.text;
    this.text = before;
    if (pay.length > 0) {
      const { window } = this;
      this.text += `S21.G00.50.001,'${dsnDate(window.ends[month] as number)}'\nS21.G00.50.002,'${decimal(Math.round(total * 0.8))}'\nS21.G00.50.004,'${decimal(Math.round(total * 0.78))}'\n${pay}`;
      this.lines += 3;
    } else this.lines = beforeLines;
    return used;
  }

  private contract(contract: Contract, month: number): void {
    const { window } = this;
    const renewed = contract.renewal !== null && month >= contract.renewal.month;
    if (renewed) {
      contract.renewedBlock ??= this.contractBlock(contract, contract.renewal?.plannedEnd ?? null);
      this.text += contract.renewedBlock;
    } else {
      contract.block ??= this.contractBlock(contract, contract.plannedEnd);
      this.text += contract.block;
    }
    this.lines += contract.blockLines;
    const start = window.starts[month] as number;
    const end = window.ends[month] as number;
    for (const s of contract.stoppages) {
      const late = s.returnKnownLate && s.returnMonth === month - 1;
      if (!late && (s.firstDayOff > end || s.returnDay < start)) continue;
      this.add('S21.G00.60.001', s.reason);
      this.add('S21.G00.60.002', dsnDate(s.firstDayOff - 1));
      this.add('S21.G00.60.003', dsnDate(s.returnDay - 1));
      // The return date is known once it has passed, sometimes only the month after.
      if (s.returnDay <= end && !(s.returnKnownLate && s.returnMonth === month)) this.add('S21.G00.60.010', dsnDate(s.returnDay));
    }
    if (contract.end !== null && contract.endReason !== null && contract.end >= start && contract.end <= end) {
      this.add('S21.G00.62.001', dsnDate(contract.end));
      this.add('S21.G00.62.002', contract.endReason);
    } else if (contract.falseEnd !== null) {
      const day = contract.falseEnd.day;
      if (day >= start && day <= end) {
        this.add('S21.G00.62.001', dsnDate(day));
        this.add('S21.G00.62.002', contract.falseEnd.reason);
      } else if (month > 0 && day >= (window.starts[month - 1] as number) && day <= (window.ends[month - 1] as number)) {
        this.add('S21.G00.62.001', dsnDate(day));
        this.add('S21.G00.62.002', '099');
      }
    }
    for (const s of contract.suspensions) {
      if (s.start > end || s.end < start) continue;
      this.add('S21.G00.65.001', s.reason);
      this.add('S21.G00.65.002', dsnDate(s.start));
      this.add('S21.G00.65.003', dsnDate(s.end));
    }
  }

  private contractBlock(contract: Contract, plannedEnd: number | null): string {
    let block =
      line('S21.G00.40.001', dsnDate(contract.start)) +
      line('S21.G00.40.002', contract.category) +
      line('S21.G00.40.003', contract.category === '04' ? '01' : '04') +
      line('S21.G00.40.004', contract.pcs) +
      line('S21.G00.40.007', contract.nature) +
      line('S21.G00.40.008', contract.scheme) +
      line('S21.G00.40.009', contract.number);
    if (plannedEnd !== null) block += line('S21.G00.40.010', dsnDate(plannedEnd));
    block +=
      line('S21.G00.40.011', '10') +
      line('S21.G00.40.012', '151.67') +
      line('S21.G00.40.013', decimal(contract.quotity)) +
      line('S21.G00.40.014', contract.quotity < FULL_TIME ? '20' : '10');
    if (contract.fixedTermReason !== null) block += line('S21.G00.40.021', contract.fixedTermReason);
    if (contract.person.boeth) block += line('S21.G00.40.072', '01');
    if (contract.complement !== null) block += line('S21.G00.40.073', contract.complement);
    // A renewed block differs only by its planned end, present in both: one line count serves both.
    contract.blockLines = block.split('\n').length - 1;
    return block;
  }

  /** Hours worked in the month: the quotity, prorated to the days under contract and not off. */
  hours(contract: Contract, month: number): number {
    const { window } = this;
    const start = window.starts[month] as number;
    const end = window.ends[month] as number;
    if (contract.start > end || (contract.end !== null && contract.end < start)) return 0;
    const from = Math.max(start, contract.start);
    const to = contract.end === null ? end : Math.min(end, contract.end);
    let days = to - from + 1;
    for (const s of contract.stoppages) days -= overlap(s.firstDayOff, s.returnDay - 1, from, to);
    // Short-time work (602) halves the hours; other suspensions stop them.
    for (const s of contract.suspensions) days -= overlap(s.start, s.end, from, to) * (s.reason === '602' ? 0.5 : 1);
    let hours = Math.round((contract.quotity * days) / (window.lengths[month] as number));
    if (contract.variableHours && hours > 0) {
      const draw = hashUnit(this.seed, contract.id, month, VARIABLE_SALT);
      // CDDI keep their weekly minimum; CDD d'usage placements vary widely, some months without any.
      const factor = contract.scheme === '71' ? 0.85 + 0.3 * draw : draw < 0.08 ? 0 : 0.2 + draw;
      hours = Math.round(hours * factor);
    }
    return hours;
  }

  private amount(contract: Contract, month: number, hundredths: number, premium = 100): number {
    return Math.round((hundredths * (this.wages[month] as number) * contract.rate * premium) / 1_000_000);
  }

  private pay(contract: Contract, month: number, hours: number): number {
    const { window } = this;
    const from = dsnDate(Math.max(window.starts[month] as number, contract.start));
    const to = dsnDate(contract.end === null ? (window.ends[month] as number) : Math.min(window.ends[month] as number, contract.end));
    const amount = this.amount(contract, month, hours);
    this.text += `S21.G00.51.001,'${from}'\nS21.G00.51.002,'${to}'\nS21.G00.51.010,'${contract.number}'\nS21.G00.51.011,'002'\nS21.G00.51.013,'${decimal(amount)}'\nS21.G00.53.001,'01'\nS21.G00.53.002,'${decimal(hours)}'\nS21.G00.53.003,'10'\n`;
    this.lines += 8;
    if (contract.variableHours || hashUnit(this.seed, contract.id, month, OVERTIME_SALT) >= 0.05) return amount;
    const overtime = 100 * (2 + Math.floor(hashUnit(this.seed, contract.id, month, OVERTIME_HOURS_SALT) * 11));
    const extra = this.amount(contract, month, overtime, contract.quotity < FULL_TIME ? 110 : 125);
    this.text += `S21.G00.51.001,'${from}'\nS21.G00.51.002,'${to}'\nS21.G00.51.010,'${contract.number}'\nS21.G00.51.011,'017'\nS21.G00.51.012,'${decimal(overtime)}'\nS21.G00.51.013,'${decimal(extra)}'\n`;
    this.lines += 6;
    return amount + extra;
  }

  /** Hours of the month before, paid now: negative for a correction, positive for back pay. */
  private correction(contract: Contract, month: number, hundredths: number): number {
    const { window } = this;
    const previousEnd = window.ends[month - 1] as number;
    const from = dsnDate(Math.max(window.starts[month - 1] as number, contract.start));
    const to = dsnDate(contract.end === null ? previousEnd : Math.min(previousEnd, contract.end));
    const amount = this.amount(contract, month, hundredths);
    this.text += `S21.G00.51.001,'${from}'\nS21.G00.51.002,'${to}'\nS21.G00.51.010,'${contract.number}'\nS21.G00.51.011,'002'\nS21.G00.51.013,'${decimal(amount)}'\nS21.G00.53.001,'01'\nS21.G00.53.002,'${decimal(hundredths)}'\nS21.G00.53.003,'10'\n`;
    this.lines += 8;
    return amount;
  }
}

function overlap(from: number, to: number, start: number, end: number): number {
  return Math.max(0, Math.min(to, end) - Math.max(from, start) + 1);
}
