// The period of a report, read from its URL: a month `AAAA-MM` or a year `AAAA`, never in the future.

export type ReportPeriod = {
  kind: 'mensuel' | 'annuel';
  /** As written in the URL: `2024-03` or `2024`. */
  code: string;
  /** First day of the period and first day after it, `AAAA-MM-JJ`. */
  from: string;
  to: string;
  /** First day of each month of the period, `AAAA-MM-01`. */
  months: string[];
  /** "mars 2024" or "année 2024". */
  label: string;
};

export class InvalidPeriod extends Error {
  statusCode = 400;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;
const pad = (n: number) => String(n).padStart(2, '0');
const firstOf = (year: number, month: number) => `${year}-${pad(month)}-01`;
const monthName = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The period, or InvalidPeriod (400) naming what was asked and what is expected; `today` decides what is future. */
export function parsePeriod(kind: ReportPeriod['kind'], code: string, today = new Date()): ReportPeriod {
  const currentMonth = firstOf(today.getUTCFullYear(), today.getUTCMonth() + 1);
  if (kind === 'mensuel') {
    const match = MONTH.exec(code);
    const month = match ? Number(match[2]) : 0;
    if (!match || month < 1 || month > 12 || Number(match[1]) < 2000) {
      throw new InvalidPeriod(`Période invalide : « ${code} » n’est pas un mois. Attendu AAAA-MM, par exemple 2024-03.`);
    }
    const year = Number(match[1]);
    const from = firstOf(year, month);
    if (from > currentMonth) throw new InvalidPeriod(`Période invalide : le mois ${code} n’est pas encore commencé.`);
    const label = monthName.format(new Date(`${from}T00:00:00Z`));
    return { kind, code, from, to: month === 12 ? firstOf(year + 1, 1) : firstOf(year, month + 1), months: [from], label };
  }
  const match = YEAR.exec(code);
  if (!match || Number(match[1]) < 2000) {
    throw new InvalidPeriod(`Période invalide : « ${code} » n’est pas une année. Attendu AAAA, par exemple 2024.`);
  }
  const year = Number(match[1]);
  if (year > today.getUTCFullYear()) throw new InvalidPeriod(`Période invalide : l’année ${code} n’est pas encore commencée.`);
  const months = Array.from({ length: 12 }, (_, i) => firstOf(year, i + 1));
  return { kind, code, from: firstOf(year, 1), to: firstOf(year + 1, 1), months, label: `année ${year}` };
}
