import { z } from 'zod';
import { PARTICIPANT_ALERTS, type ParticipantAlert } from './labels.js';

// The participants list's query string: French parameter names and values in the URL, English in code.

/** URL value of `tri` (without its `_asc`/`_desc` suffix) -> the column it sorts on. */
export const SORT_KEYS = {
  nom: 'name',
  pass: 'passNumber',
  heures: 'hoursWorked',
  restant: 'hoursRemaining',
  fin: 'projectedEndDate',
  sans_heures: 'monthsWithoutHours',
} as const;
export type SortParameter = keyof typeof SORT_KEYS;
export type ParticipantSort = (typeof SORT_KEYS)[SortParameter];
export type SortDirection = 'asc' | 'desc';

const SORT_VALUES = Object.keys(SORT_KEYS).flatMap((key) => [`${key}_asc`, `${key}_desc`]);
const ALERT_VALUES: readonly string[] = [...PARTICIPANT_ALERTS, 'toutes'];

// An empty field of a submitted form means "not chosen".
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const participantFiltersSchema = z
  .object({
    alerte: optional(
      z.string().refine((value) => ALERT_VALUES.includes(value), {
        message: `alerte inconnue : valeurs possibles ${ALERT_VALUES.join(', ')}, ou vide pour toutes les personnes`,
      }),
    ),
    tri: optional(
      z.string().refine((value) => SORT_VALUES.includes(value), {
        message: `tri inconnu : valeurs possibles ${SORT_VALUES.join(', ')}`,
      }),
    ),
    page: optional(
      z.coerce
        .number({ message: 'page : un nombre entier est attendu' })
        .int({ message: 'page : un nombre entier est attendu' })
        .min(1, { message: 'page : 1 ou plus est attendu' })
        .max(100_000, { message: 'page : 100 000 au plus' }),
    ),
  })
  .transform(({ alerte, tri = 'nom_asc', page = 1 }) => {
    const cut = tri.lastIndexOf('_');
    return {
      /** null: every participant; 'any': those with an alert; else that alert only. */
      alert: alerte === undefined ? null : alerte === 'toutes' ? ('any' as const) : (alerte as ParticipantAlert),
      sort: SORT_KEYS[tri.slice(0, cut) as SortParameter],
      direction: tri.slice(cut + 1) as SortDirection,
      page: Number(page),
    };
  });

export type ParticipantFilters = z.output<typeof participantFiltersSchema>;

export const DEFAULT_PARTICIPANT_FILTERS: ParticipantFilters = { alert: null, sort: 'name', direction: 'asc', page: 1 };

/** The query string (without `?`) of these filters with some changed: for sort headers and page links. */
export function participantsQuery(filters: ParticipantFilters, changes: Partial<ParticipantFilters> = {}): string {
  const next = { ...filters, ...changes };
  const parameter = (Object.keys(SORT_KEYS) as SortParameter[]).find((key) => SORT_KEYS[key] === next.sort) ?? 'nom';
  const query = new URLSearchParams();
  if (next.alert !== null) query.set('alerte', next.alert === 'any' ? 'toutes' : next.alert);
  query.set('tri', `${parameter}_${next.direction}`);
  if (next.page > 1) query.set('page', String(next.page));
  return query.toString();
}
