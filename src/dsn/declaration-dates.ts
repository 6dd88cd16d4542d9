import { type DeclarationHeader, MONTHLY_NATURES } from './blocks.js';
import type { ParsedPerson } from './declaration.js';
import { DsnLineError } from './rejection.js';

const monthOf = (isoDate: string) => `${isoDate.slice(0, 7)}-01`;
const latest = (dates: (string | null)[]): string | null =>
  dates.reduce<string | null>((max, date) => (date !== null && (max === null || date > max) ? date : max), null);

// What each signalement reports, and the block that carries its date.
const SIGNALEMENT_EVENTS: Record<string, { what: string; block: string; dates: (persons: ParsedPerson[]) => (string | null)[] }> = {
  '04': {
    what: "signalement d'arrêt de travail (nature 04)",
    block: 'arrêt de travail (S21.G00.60)',
    dates: (persons) => persons.flatMap((p) => p.contracts.flatMap((c) => c.stoppages.map((s) => s.lastWorkedDate))),
  },
  '05': {
    what: 'signalement de reprise (nature 05)',
    block: 'arrêt de travail (S21.G00.60)',
    dates: (persons) => persons.flatMap((p) => p.contracts.flatMap((c) => c.stoppages.map((s) => s.returnDate ?? s.lastWorkedDate))),
  },
  '07': {
    what: 'signalement de fin de contrat (nature 07)',
    block: 'fin du contrat (S21.G00.62)',
    dates: (persons) => persons.flatMap((p) => p.contracts.map((c) => c.end?.endDate ?? null)),
  },
  // Amorçage carries contracts and no event: without a declared month, the latest contract start dates it.
  '08': {
    what: "signalement d'amorçage (nature 08)",
    block: 'contrat (S21.G00.40)',
    dates: (persons) => persons.flatMap((p) => p.contracts.map((c) => c.startDate)),
  },
};

/**
 * The month a declaration's facts belong to. The monthly declaration (and its substitution) must say it
 * (S20.G00.05.005); a signalement takes it from the event it reports, which must be there.
 */
export function declarationDates(
  header: DeclarationHeader,
  persons: ParsedPerson[],
  line: number,
): { month: string; eventDate: string | null } {
  if (MONTHLY_NATURES.includes(header.nature)) {
    if (header.declaredMonth === null) {
      throw new DsnLineError(
        line,
        'S20.G00.05.005',
        `mois déclaré absent(e) : rubrique obligatoire pour une déclaration de nature ${header.nature}`,
      );
    }
    return { month: header.declaredMonth, eventDate: null };
  }
  const event = SIGNALEMENT_EVENTS[header.nature] as (typeof SIGNALEMENT_EVENTS)[string];
  const eventDate = latest(event.dates(persons));
  if (eventDate === null) {
    if (header.nature === '08' && header.declaredMonth !== null) return { month: header.declaredMonth, eventDate: null };
    throw new DsnLineError(line, 'S20.G00.05.001', `${event.what} sans bloc ${event.block} qui le date : rien à charger`);
  }
  return { month: header.nature === '08' && header.declaredMonth !== null ? header.declaredMonth : monthOf(eventDate), eventDate };
}
