// Days as integers (days since 1970-01-01, UTC): comparisons and sums stay exact and fast.

const DAY_MS = 86_400_000;

export const dayOf = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;

export type Ymd = { year: number; month: number; day: number };

export function ymdOf(day: number): Ymd {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day of the month, months later, clipped to the month's length (31 January + 1 month = 28 or 29 February). */
export function addMonths(day: number, months: number): number {
  const { year, month, day: dayOfMonth } = ymdOf(day);
  const target = month - 1 + months;
  const targetYear = year + Math.floor(target / 12);
  const targetMonth = (((target % 12) + 12) % 12) + 1;
  return dayOf(targetYear, targetMonth, Math.min(dayOfMonth, daysInMonth(targetYear, targetMonth)));
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

// Formatted dates repeat millions of times over a data set: each day is formatted once.
const CACHE_BASE = dayOf(1900, 1, 1);
const dsnCache: string[] = [];
const isoCache: string[] = [];

/** `JJMMAAAA`, the DSN date format. */
export function dsnDate(day: number): string {
  const index = day - CACHE_BASE;
  const cached = dsnCache[index];
  if (cached !== undefined) return cached;
  const { year, month, day: dayOfMonth } = ymdOf(day);
  const text = `${pad2(dayOfMonth)}${pad2(month)}${year}`;
  if (index >= 0) dsnCache[index] = text;
  return text;
}

/** `AAAA-MM-JJ`, the registers' date format. */
export function isoDate(day: number): string {
  const index = day - CACHE_BASE;
  const cached = isoCache[index];
  if (cached !== undefined) return cached;
  const { year, month, day: dayOfMonth } = ymdOf(day);
  const text = `${year}-${pad2(month)}-${pad2(dayOfMonth)}`;
  if (index >= 0) isoCache[index] = text;
  return text;
}

/** Integer hundredths as a DSN decimal: `151.67`, `-7.00`. */
export function decimal(hundredths: number): string {
  const magnitude = Math.abs(hundredths);
  const cents = magnitude % 100;
  return `${hundredths < 0 ? '-' : ''}${(magnitude - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}

const MARGIN_MONTHS = 60;

/** The declared months: month 0 is the first, `count - 1` is `lastMonth`. */
export class MonthWindow {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly lengths: number[] = [];
  readonly labels: string[] = [];
  readonly years: number[] = [];
  /** First day of month 0. */
  readonly first: number;
  /** First day after the last month. */
  readonly after: number;
  private readonly firstYear: number;
  private readonly firstMonth: number;
  private readonly monthStarts: number[] = [];
  private readonly tableFirstDay: number;
  private readonly monthByDay: Int16Array;

  constructor(
    lastMonth: string,
    readonly count: number,
  ) {
    const match = /^(\d{4})-(\d{2})$/.exec(lastMonth);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 12)
      throw new Error(`dernier mois « ${lastMonth} » invalide : AAAA-MM attendu`);
    const lastIndex = Number(match[1]) * 12 + Number(match[2]) - 1;
    const firstIndex = lastIndex - count + 1;
    this.firstYear = Math.floor(firstIndex / 12);
    this.firstMonth = (firstIndex % 12) + 1;
    for (let m = 0; m < count; m++) {
      const year = Math.floor((firstIndex + m) / 12);
      const month = ((firstIndex + m) % 12) + 1;
      this.starts.push(dayOf(year, month, 1));
      this.lengths.push(daysInMonth(year, month));
      this.ends.push(dayOf(year, month, daysInMonth(year, month)));
      this.labels.push(`${year}-${pad2(month)}`);
      this.years.push(year);
    }
    this.first = this.starts[0] as number;
    this.after = (this.ends[count - 1] as number) + 1;
    // Planning asks for months around the window millions of times: a table answers without Date.
    for (let m = -MARGIN_MONTHS; m <= count + MARGIN_MONTHS; m++) {
      const index = firstIndex + m;
      this.monthStarts.push(dayOf(Math.floor(index / 12), (index % 12) + 1, 1));
    }
    this.tableFirstDay = this.monthStarts[0] as number;
    this.monthByDay = new Int16Array((this.monthStarts[this.monthStarts.length - 1] as number) - this.tableFirstDay);
    for (let i = 0; i + 1 < this.monthStarts.length; i++) {
      const from = (this.monthStarts[i] as number) - this.tableFirstDay;
      this.monthByDay.fill(i - MARGIN_MONTHS, from, (this.monthStarts[i + 1] as number) - this.tableFirstDay);
    }
  }

  /** Index of the month holding a day: negative before the window, `count` or more after it. */
  monthOf(day: number): number {
    const offset = day - this.tableFirstDay;
    if (offset >= 0 && offset < this.monthByDay.length) return this.monthByDay[offset] as number;
    const { year, month } = ymdOf(day);
    return (year - this.firstYear) * 12 + (month - this.firstMonth);
  }

  /** First day of any month index, inside the window or not. */
  startOf(month: number): number {
    const cached = this.monthStarts[month + MARGIN_MONTHS];
    if (cached !== undefined) return cached;
    const index = this.firstYear * 12 + this.firstMonth - 1 + month;
    return dayOf(Math.floor(index / 12), (index % 12) + 1, 1);
  }

  /** Last day of any month index. */
  endOf(month: number): number {
    return this.startOf(month + 1) - 1;
  }
}
