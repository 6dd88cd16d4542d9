import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { CRITERIA, type CriterionKey, type EmployerFilters, SORTS } from '../../../employers/filters.js';
import {
  type EmployerListRow,
  type EmployerPage,
  listDepartements,
  listNafDivisions,
  listNafSections,
  listRegions,
  listZones,
} from '../../../employers/repository.js';
import { formatters } from '../../format.js';
import { SECRET_TEXT } from './secret.js';

// The list page's view model: the filter form (options, values, errors), the rows as read, the pagination.

/** The form's fields, named as the query string (and parseEmployerFilters) names them. */
export const FORM_FIELDS = [
  'region',
  'departement',
  'commune',
  'zone',
  'section',
  'division',
  'score_min',
  'engagees',
  'critere',
  'tri',
] as const;
type FormField = (typeof FORM_FIELDS)[number];

const TRUTHY = ['oui', '1', 'on', 'true'];

export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What the visitor typed, trimmed, so that the form shows it again even when it is wrong. */
export function formValues(query: unknown): Record<FormField, string> {
  const raw = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const value = (field: FormField) => {
    const given = raw[field];
    return typeof given === 'string' ? given.trim() : '';
  };
  return Object.fromEntries(FORM_FIELDS.map((field) => [field, value(field)])) as Record<FormField, string>;
}

/** The query string of a filter set, without defaults, fields in the form's order: the shareable address. */
export function employersQuery(filters: EmployerFilters, changes: Partial<EmployerFilters> = {}): string {
  const next = { ...filters, ...changes };
  const query = new URLSearchParams();
  for (const field of ['region', 'departement', 'commune', 'zone', 'section', 'division'] as const) {
    const value = next[field];
    if (value !== undefined) query.set(field, value);
  }
  if (next.score_min !== undefined) query.set('score_min', String(next.score_min));
  if (next.engagees) query.set('engagees', 'oui');
  if (next.critere !== undefined) query.set('critere', next.critere);
  if (next.tri !== 'score_desc') query.set('tri', next.tri);
  if (next.page > 1) query.set('page', String(next.page));
  return query.toString();
}

type Option = { value: string; label: string; selected: boolean };

const options = (items: { code: string; label: string }[], selected: string): Option[] =>
  items.map((item) => ({ value: item.code, label: item.label, selected: item.code === selected.toUpperCase() }));

/** The lists the form's selects offer, the same for every request until zones or data change. */
export async function loadFormLists(db: Kysely<Database>) {
  const [regions, departements, sections, divisions, zones] = await Promise.all([
    listRegions(db),
    listDepartements(db),
    listNafSections(db),
    listNafDivisions(db),
    listZones(db),
  ]);
  return { regions, departements, sections, divisions, zones };
}

/** Every select of the form; départements narrowed to the chosen région and divisions to the chosen section. */
export function filterForm(lists: Awaited<ReturnType<typeof loadFormLists>>, values: Record<FormField, string>) {
  const { regions, departements, sections, divisions, zones } = lists;
  const region = values.region;
  const section = values.section.toUpperCase();
  return {
    values,
    engagedChecked: TRUTHY.includes(values.engagees.toLowerCase()),
    regions: options(
      regions.map((r) => ({ code: r.code, label: r.name })),
      region,
    ),
    departements: options(
      departements
        .filter((d) => !regions.some((r) => r.code === region) || d.regionCode === region || d.code === values.departement.toUpperCase())
        .map((d) => ({ code: d.code, label: `${d.code} – ${d.name}` })),
      values.departement,
    ),
    sections: options(
      sections.map((s) => ({ code: s.code, label: `${s.code} – ${s.name}` })),
      section,
    ),
    divisions: options(
      divisions
        .filter((d) => !sections.some((s) => s.code === section) || d.sectionCode === section || d.code === values.division)
        .map((d) => ({ code: d.code, label: `${d.code} – ${d.name}` })),
      values.division,
    ),
    zones: options(
      zones.map((z) => ({ code: z.code, label: `${z.name} (${z.code})` })),
      values.zone,
    ),
    criteria: (Object.keys(CRITERIA) as CriterionKey[]).map((key) => ({
      value: key,
      label: capitalise(CRITERIA[key].label),
      selected: key === values.critere,
    })),
    sorts: (Object.keys(SORTS) as (keyof typeof SORTS)[]).map((key) => ({
      value: key,
      label: capitalise(SORTS[key]),
      selected: key === (values.tri || 'score_desc'),
    })),
  };
}

/** Each invalid field's message, for its form control, and the summary above the form (with a link to the control). */
export function formErrors(errors: { field: string; message: string }[]) {
  const byField: Record<string, string> = {};
  for (const error of errors) byField[error.field] = byField[error.field] ? `${byField[error.field]} ; ${error.message}` : error.message;
  return {
    byField,
    summary: errors.map((error) => ({
      message: error.message,
      anchor: (FORM_FIELDS as readonly string[]).includes(error.field) ? `#${error.field}` : null,
    })),
  };
}

function criterionCells(criterion: EmployerListRow['criterion']) {
  if (criterion === null) return null;
  const { unit } = CRITERIA[criterion.key];
  // Without a value and not secret: no hire has one (no fixed-term contract, retention not yet observable).
  const value = criterion.secret
    ? SECRET_TEXT
    : criterion.value === null
      ? 'non mesurable'
      : unit === 'part'
        ? formatters.pct(criterion.value)
        : `${formatters.int(criterion.value)} jours`;
  return { value, secret: criterion.secret, rank: criterion.rank === null ? null : formatters.pct(criterion.rank) };
}

/** Rows as the table shows them: numbers formatted, hidden values replaced by the secret marker. */
export function tableRows(rows: EmployerListRow[], basePath: string) {
  return rows.map((row) => ({
    ...row,
    href: `${basePath}/${row.siret}`,
    scoreText: row.score === null ? null : formatters.dec(row.score),
    criterionCells: criterionCells(row.criterion),
  }));
}

/** First, last, and the pages around the current one; null marks a gap. Every link keeps the filters. */
export function pagination(filters: EmployerFilters, list: EmployerPage, basePath: string) {
  const { page, pages } = list;
  const href = (target: number) => {
    const query = employersQuery(filters, { page: target });
    return query === '' ? basePath : `${basePath}?${query}`;
  };
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  const links: ({ page: number; href: string; current: boolean } | null)[] = [];
  for (const [i, p] of shown.entries()) {
    if (i > 0 && p - (shown[i - 1] ?? p) > 1) links.push(null);
    links.push({ page: p, href: href(p), current: p === page });
  }
  return {
    page,
    pages,
    links,
    first: page > 1 ? href(1) : null,
    previous: page > 1 ? href(Math.min(page - 1, pages)) : null,
    next: page < pages ? href(page + 1) : null,
    last: page < pages ? href(pages) : null,
  };
}
