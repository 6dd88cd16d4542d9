// Numbers and dates as French readers expect them, for every page.
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
const longDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const asDate = (value: string | Date) => (typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value);

export const formatters = {
  int: (n: number | null | undefined) => (n === null || n === undefined ? '–' : integer.format(n)),
  dec: (n: number | null | undefined) => (n === null || n === undefined ? '–' : decimal.format(n)),
  pct: (share: number | null | undefined) => (share === null || share === undefined ? '–' : percent.format(share)),
  date: (value: string | Date | null | undefined) => (value ? longDate.format(asDate(value)) : '–'),
  month: (value: string | Date | null | undefined) => (value ? monthYear.format(asDate(value)) : '–'),
  /** For `data-*` attributes: Eta escapes it, the chart script parses it back. */
  json: (value: unknown) => JSON.stringify(value),
};
