import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { AGE_BANDS, AGE_LABELS, cohortLabel, type OutcomeFilters, SEX_LABELS, SEXES } from '../../../outcomes/filters.js';
import {
  cohortOptions,
  departementOptions,
  type Option,
  programmeLabel,
  programmeOptions,
  regionOptions,
} from '../../../outcomes/repository.js';
import type { TerritoryScope } from '../../../outcomes/territory.js';

// The filter form of /resultats: only choices within the user's territory, the current values selected, and each
// refused value's French message under its field (DSFR error state).

export type FilterOptions = { programmes: Option[]; regions: Option[]; departements: Option[]; cohorts: Option[] };

export async function loadFilterOptions(db: Kysely<Database>, scope: TerritoryScope): Promise<FilterOptions> {
  const [programmes, regions, departements, cohorts] = await Promise.all([
    programmeOptions(db, scope),
    regionOptions(db, scope),
    departementOptions(db, scope),
    cohortOptions(db, scope),
  ]);
  return { programmes, regions, departements, cohorts };
}

/** The query-string names of the filters (French, as in the URL). */
export type FieldName = 'programme' | 'region' | 'departement' | 'cohorte' | 'sexe' | 'age';

export type FilterField = {
  name: FieldName;
  id: string;
  label: string;
  hint?: string;
  options: { value: string; label: string; selected: boolean }[];
  error?: string;
};

/** A filter's value as a string per query-string name, for the form (valid filters or the raw query). */
export type FieldValues = Partial<Record<FieldName, string>>;

export const fieldValues = (filters: OutcomeFilters): FieldValues => ({
  programme: filters.programme,
  region: filters.region,
  departement: filters.departement,
  cohorte: filters.cohort,
  sexe: filters.sex,
  age: filters.ageBand,
});

/** What the browser sent, strings only: a refused value is shown again where it can be. */
export function rawValues(query: unknown): FieldValues {
  const values: FieldValues = {};
  if (typeof query !== 'object' || query === null) return values;
  for (const name of ['programme', 'region', 'departement', 'cohorte', 'sexe', 'age'] as const) {
    const value = (query as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim();
  }
  return values;
}

export const fieldId = (name: string) => `filtre-${name}`;

/** A value asked for but not offered (a cohort without exits, say) stays selectable, so a new submit keeps it. */
function withCurrent(options: Option[], current: string | undefined, label: (code: string) => string): Option[] {
  if (current === undefined || options.some((o) => o.code === current)) return options;
  return [...options, { code: current, label: label(current) }];
}

export function filterFields(options: FilterOptions, values: FieldValues, errors: Partial<Record<string, string>> = {}): FilterField[] {
  const field = (name: FieldName, label: string, all: string, choices: Option[], hint?: string): FilterField => ({
    name,
    id: fieldId(name),
    label,
    ...(hint ? { hint } : {}),
    options: [
      { value: '', label: all, selected: values[name] === undefined },
      ...choices.map((o) => ({ value: o.code, label: o.label, selected: o.code === values[name] })),
    ],
    ...(errors[name] ? { error: errors[name] } : {}),
  });
  const valid = (name: FieldName) => (errors[name] ? undefined : values[name]);
  const fields = [
    field(
      'programme',
      'Dispositif',
      'Tous les dispositifs',
      withCurrent(options.programmes, valid('programme'), (code) => programmeLabel(code)),
    ),
    field(
      'region',
      'Région',
      'Toutes les régions',
      withCurrent(options.regions, valid('region'), (code) => `Région ${code}`),
    ),
    field(
      'departement',
      'Département',
      'Tous les départements',
      withCurrent(options.departements, valid('departement'), (code) => code),
    ),
    field(
      'cohorte',
      'Cohorte de sortie',
      'Toutes les cohortes',
      withCurrent(options.cohorts, valid('cohorte'), cohortLabel),
      'Année ou trimestre de la sortie du dispositif',
    ),
    field(
      'sexe',
      'Sexe',
      'Femmes et hommes',
      SEXES.map((code) => ({ code, label: SEX_LABELS[code] })),
    ),
    field(
      'age',
      'Âge à la sortie',
      'Tous les âges',
      AGE_BANDS.map((code) => ({ code, label: AGE_LABELS[code] })),
    ),
  ];
  // A funder of some départements has no whole région to choose: no région field, unless one was asked for.
  return fields.filter((f) => f.name !== 'region' || options.regions.length > 0 || values.region !== undefined);
}
