import { z } from 'zod';
import { PROGRAMME_CODES, type ProgrammeCode } from '../registers/programmes.js';
import { departementWithinScope, isDepartementCode, isRegionCode, regionWithinScope, type TerritoryScope } from './territory.js';

// The funder's filters on outcomes, read from the query string: French names and values in the URL, English in code.

export const SEXES = ['femme', 'homme'] as const;
export type Sex = (typeof SEXES)[number];
export const SEX_LABELS: Readonly<Record<Sex, string>> = { femme: 'Femmes', homme: 'Hommes' };

export const AGE_BANDS = ['moins_26', '26_49', '50_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const AGE_LABELS: Readonly<Record<AgeBand, string>> = {
  moins_26: 'Moins de 26 ans',
  '26_49': '26 à 49 ans',
  '50_plus': '50 ans ou plus',
};

const COHORT = /^(\d{4})(?:-T([1-4]))?$/;

/** An empty form field means "no filter": blanks are dropped before validation, other values trimmed. */
function dropBlanks(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(
    Object.entries(query).flatMap(([key, value]) => {
      if (typeof value !== 'string') return [[key, value]];
      const trimmed = value.trim();
      return trimmed === '' ? [] : [[key, trimmed]];
    }),
  );
}

export const outcomeFiltersSchema = z.preprocess(
  dropBlanks,
  z
    .object({
      programme: z
        .enum(PROGRAMME_CODES as [ProgrammeCode, ...ProgrammeCode[]], {
          error: `dispositif inconnu : attendu ${PROGRAMME_CODES.join(', ')}`,
        })
        .optional(),
      region: z
        .string({ error: 'région : un code de région est attendu (par exemple 32)' })
        .refine(isRegionCode, 'région : code inconnu, un code de région INSEE est attendu (par exemple 32)')
        .optional(),
      departement: z
        .string({ error: 'département : un code de département est attendu (par exemple 59, 2A, 971)' })
        .transform((value) => value.toUpperCase())
        .refine(isDepartementCode, 'département : code inconnu, un code de département est attendu (par exemple 59, 2A, 971)')
        .optional(),
      cohorte: z
        .string({ error: 'cohorte : un trimestre AAAA-T1 à AAAA-T4 ou une année AAAA est attendu' })
        .transform((value) => value.toUpperCase())
        .refine(
          (value) => COHORT.test(value),
          'cohorte : un trimestre AAAA-T1 à AAAA-T4 ou une année AAAA est attendu (par exemple 2024-T3)',
        )
        .optional(),
      sexe: z.enum(SEXES, { error: `sexe : attendu ${SEXES.join(' ou ')}` }).optional(),
      age: z.enum(AGE_BANDS, { error: `âge : attendu ${AGE_BANDS.join(', ')}` }).optional(),
    })
    .transform((v) => ({
      programme: v.programme,
      region: v.region,
      departement: v.departement,
      cohort: v.cohorte,
      sex: v.sexe,
      ageBand: v.age,
    })),
);

export type OutcomeFilters = {
  programme?: ProgrammeCode | undefined;
  region?: string | undefined;
  departement?: string | undefined;
  /** Exit quarter `AAAA-T1`..`AAAA-T4`, or year `AAAA`. */
  cohort?: string | undefined;
  sex?: Sex | undefined;
  ageBand?: AgeBand | undefined;
};

/** Query-string filters validated, or each bad field with its French message. */
export function parseOutcomeFilters(
  query: unknown,
): { ok: true; filters: OutcomeFilters } | { ok: false; errors: { field: string; message: string }[] } {
  const parsed = outcomeFiltersSchema.safeParse(query);
  if (parsed.success) return { ok: true, filters: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })) };
}

/** The query string (without `?`) of these filters, in the URL's French names: for links and the CSV download. */
export function outcomesQuery(filters: OutcomeFilters): string {
  const query = new URLSearchParams();
  const entries: [string, string | undefined][] = [
    ['programme', filters.programme],
    ['region', filters.region],
    ['departement', filters.departement],
    ['cohorte', filters.cohort],
    ['sexe', filters.sex],
    ['age', filters.ageBand],
  ];
  for (const [name, value] of entries) if (value !== undefined) query.set(name, value);
  return query.toString();
}

/**
 * Whether the filters ask only for territory inside the scope. The repository restricts to the scope anyway (a
 * territory outside it yields nothing); the caller answers 403 when this is false.
 */
export function isWithinScope(scope: TerritoryScope, filters: OutcomeFilters): boolean {
  if (filters.region !== undefined && !regionWithinScope(scope, filters.region)) return false;
  if (filters.departement !== undefined && !departementWithinScope(scope, filters.departement)) return false;
  return true;
}

/** First day of the cohort and first day after it, `AAAA-MM-JJ`. */
export function cohortRange(cohort: string): { from: string; to: string } {
  const match = COHORT.exec(cohort);
  if (!match) throw new RangeError(`cohorte invalide : ${cohort} (AAAA-T1 à AAAA-T4 ou AAAA attendu)`);
  const year = Number(match[1]);
  if (match[2] === undefined) return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
  const quarter = Number(match[2]);
  const month = (q: number) => String(3 * q - 2).padStart(2, '0');
  return { from: `${year}-${month(quarter)}-01`, to: quarter === 4 ? `${year + 1}-01-01` : `${year}-${month(quarter + 1)}-01` };
}

export function cohortLabel(cohort: string): string {
  const match = COHORT.exec(cohort);
  if (!match) return cohort;
  if (match[2] === undefined) return `Année ${match[1]}`;
  return `${match[2] === '1' ? '1er' : `${match[2]}e`} trimestre ${match[1]}`;
}
