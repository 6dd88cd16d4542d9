import { EXIT_STATUS_LABELS, NOT_OBSERVABLE } from '../../../reports/csv.js';
import type { ReportPeriod } from '../../../reports/period.js';
import type { ExitHorizon, ExitStatus, StructureReport } from '../../../reports/repository.js';
import { formatters } from '../../format.js';

// The reports as the templates draw them: French texts computed here, so the templates only lay them out.

const monthName = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The last 12 months and the last 3 years, newest first, for the list of reports. */
export function reportLinks(audience: 'structure' | 'territoire', today = new Date()) {
  const year = today.getUTCFullYear();
  const months = Array.from({ length: 12 }, (_, i) => {
    const date = new Date(Date.UTC(year, today.getUTCMonth() - i, 1));
    const code = date.toISOString().slice(0, 7);
    return { href: `/rapports/${audience}/mensuel/${code}`, label: capitalise(monthName.format(date)) };
  });
  const years = [0, 1, 2].map((i) => ({ href: `/rapports/${audience}/annuel/${year - i}`, label: `Année ${year - i}` }));
  return { audience, months, years };
}

const statusText = (status: ExitStatus | null) => (status === null ? NOT_OBSERVABLE : EXIT_STATUS_LABELS[status]);
const rateText = (rate: number | null, horizon: ExitHorizon) => {
  if (horizon.observable === 0) return '–';
  return rate === null ? 'non calculé' : percent.format(rate);
};

export function structureView(report: StructureReport, period: ReportPeriod) {
  const horizon = (h: ExitHorizon) => [
    formatters.int(h.observable),
    formatters.int(h.employed),
    rateText(h.employedRate, h),
    formatters.int(h.durable),
    rateText(h.durableRate, h),
  ];
  const summaryRow = (line: StructureReport['exits']['total'], total: boolean) => ({
    label: line.label,
    total,
    cells: [formatters.int(line.exits), ...horizon(line.m6), ...horizon(line.m12)],
  });
  return {
    heading: period.kind === 'mensuel' ? `Rapport mensuel : ${period.label}` : `Rapport annuel : ${period.label}`,
    participants: report.participants,
    hours: {
      total: formatters.dec(report.hours.total),
      months: report.hours.months.map((m) => ({
        label: capitalise(monthName.format(new Date(`${m.month}T00:00:00Z`))),
        hours: formatters.dec(m.hours),
      })),
    },
    alerts: report.alerts,
    exitPeople: report.exits.people.map((p) => ({
      ...p,
      exitDate: formatters.date(p.exitDate),
      m6: statusText(p.m6),
      m12: statusText(p.m12),
    })),
    exitRows: [...report.exits.lines.map((line) => summaryRow(line, false)), summaryRow(report.exits.total, true)],
  };
}
