import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { PROGRAMME_CODES, PROGRAMME_LABELS, type ProgrammeCode } from '../registers/programmes.js';
import { cohortLabel, type OutcomeFilters } from './filters.js';
import { type LineGroup, type OutcomeCounts, type OutcomeMeasures, protectLines } from './measures.js';
import { COHORT, COUNTS, exitsInScope, NO_EXITS, toCounts } from './queries.js';
import type { TerritoryScope } from './territory.js';

// Outcomes 6 and 12 months after exit, for funders: aggregates only, the statistical secret applied (secret.ts).
// The caller passes the territory the user may see; nothing outside it is ever counted.

export { outcomesCsv } from './csv.js';
export type { Cell, HorizonOutcome, OutcomeMeasures, RateCell } from './measures.js';
export { cohortOptions, departementOptions, type Option, programmeOptions, regionOptions } from './options.js';

/** A line of a table: its measures and one label per dimension of the table (in French). */
export type OutcomeLine = OutcomeMeasures & { labels: string[] };
export type ProgrammeLine = OutcomeLine & { programme: string | null };
/** `programme: null` is every programme of the cohort; `cohort: null` only on the total. */
export type CohortLine = OutcomeLine & { cohort: string | null; programme: string | null };
/** `code: null` on the total, and on exits whose structure's territory is unknown (national scope only). */
export type TerritoryLine = OutcomeLine & { code: string | null };
/** `dimensions`: the French headers of the label columns. */
export type OutcomesTable<L extends OutcomeLine = OutcomeLine> = { dimensions: string[]; lines: L[]; total: L };
export type TerritoryLevel = 'region' | 'departement' | 'structure';

const ALL_PROGRAMMES = 'Ensemble des dispositifs';
const ALL_COHORTS = 'Ensemble des cohortes';
const UNKNOWN_TERRITORY = 'Territoire non renseigné';

export const programmeLabel = (code: string): string => PROGRAMME_LABELS[code as ProgrammeCode] ?? code;
// All programmes first, then the programmes in the order of the register's list, unknown codes last.
function programmeRank(code: string | null): number {
  if (code === null) return -1;
  const rank = PROGRAMME_CODES.indexOf(code as ProgrammeCode);
  return rank < 0 ? PROGRAMME_CODES.length : rank;
}

type CubeLine = { cohort: string | null; programme: string | null; counts: OutcomeCounts; measures?: OutcomeMeasures };

/**
 * Cohort x programme with both margins, protected as one table: the programme table is its margin, so the
 * programme and cohort views of the same filters never tell apart what the other hides.
 */
async function programmeCohortCube(db: Kysely<Database>, scope: TerritoryScope, filters: OutcomeFilters): Promise<Required<CubeLine>[]> {
  const rows = await exitsInScope(db, scope, filters)
    .select([
      COHORT.as('cohort'),
      'o.programme',
      sql<number>`grouping(${COHORT})::int`.as('all_cohorts'),
      sql<number>`grouping(o.programme)::int`.as('all_programmes'),
      ...COUNTS,
    ])
    .groupBy(sql`grouping sets ((${COHORT}, o.programme), (${COHORT}), (o.programme), ())`)
    .execute();
  const lines: CubeLine[] = rows.map((row) => ({
    cohort: row.all_cohorts ? null : row.cohort,
    programme: row.all_programmes ? null : row.programme,
    counts: toCounts(row),
  }));
  if (!lines.some((line) => line.cohort === null && line.programme === null))
    lines.push({ cohort: null, programme: null, counts: NO_EXITS });
  const partsOf = (keep: (line: CubeLine) => boolean) => lines.flatMap((line, i) => (keep(line) ? [i] : []));
  const groups: LineGroup[] = lines.flatMap((line, total) => {
    if (line.cohort !== null && line.programme !== null) return [];
    if (line.cohort !== null) return [{ total, parts: partsOf((l) => l.cohort === line.cohort && l.programme !== null) }];
    if (line.programme !== null) return [{ total, parts: partsOf((l) => l.programme === line.programme && l.cohort !== null) }];
    return [
      { total, parts: partsOf((l) => l.cohort === null && l.programme !== null) },
      { total, parts: partsOf((l) => l.programme === null && l.cohort !== null) },
    ];
  });
  const measures = protectLines(
    lines.map((line) => line.counts),
    groups.filter((group) => group.parts.length > 0),
  );
  return lines
    .map((line, i) => ({ ...line, measures: measures[i] as OutcomeMeasures }))
    .sort((a, b) => (a.cohort ?? '~').localeCompare(b.cohort ?? '~') || programmeRank(a.programme) - programmeRank(b.programme));
}

/** Per programme: exits and outcomes at 6 and 12 months, with a total line. */
export async function outcomesByProgramme(
  db: Kysely<Database>,
  scope: TerritoryScope,
  filters: OutcomeFilters,
): Promise<OutcomesTable<ProgrammeLine>> {
  const cube = await programmeCohortCube(db, scope, filters);
  const line = (l: Required<CubeLine>): ProgrammeLine => ({
    programme: l.programme,
    labels: [l.programme === null ? ALL_PROGRAMMES : programmeLabel(l.programme)],
    ...l.measures,
  });
  const margin = cube.filter((l) => l.cohort === null).map(line);
  return {
    dimensions: ['Dispositif'],
    lines: margin.filter((l) => l.programme !== null),
    total: margin.find((l) => l.programme === null) as ProgrammeLine,
  };
}

/** Per exit quarter, oldest first: each programme's line, and when no programme is chosen, all programmes' line. */
export async function outcomesByCohort(
  db: Kysely<Database>,
  scope: TerritoryScope,
  filters: OutcomeFilters,
): Promise<OutcomesTable<CohortLine>> {
  const cube = await programmeCohortCube(db, scope, filters);
  const line = (l: Required<CubeLine>): CohortLine => ({
    cohort: l.cohort,
    programme: l.programme,
    labels: [l.cohort === null ? ALL_COHORTS : cohortLabel(l.cohort), l.programme === null ? ALL_PROGRAMMES : programmeLabel(l.programme)],
    ...l.measures,
  });
  const lines = cube.filter((l) => l.cohort !== null && (l.programme !== null || filters.programme === undefined)).map(line);
  const total = cube.find((l) => l.cohort === null && l.programme === null) as Required<CubeLine>;
  return { dimensions: ['Cohorte de sortie', 'Dispositif'], lines, total: line(total) };
}

const TERRITORY_KEYS = {
  region: { header: 'Région', key: sql<string | null>`e.region_code`, name: sql<string | null>`r.name` },
  departement: { header: 'Département', key: sql<string | null>`e.departement_code`, name: sql<string | null>`d.name` },
  structure: { header: 'Structure', key: sql<string | null>`o.structure_siret`, name: sql<string | null>`e.town` },
} as const;

export class MissingDepartementError extends Error {
  constructor() {
    super('Choisissez un département pour voir les résultats par structure.');
  }
}

/**
 * Per région, département, or structure (within `filters.departement`, else MissingDepartementError), with names
 * and a total line.
 */
export async function outcomesByTerritory(
  db: Kysely<Database>,
  scope: TerritoryScope,
  filters: OutcomeFilters,
  level: TerritoryLevel,
): Promise<OutcomesTable<TerritoryLine>> {
  if (level === 'structure' && filters.departement === undefined) throw new MissingDepartementError();
  const { header, key, name } = TERRITORY_KEYS[level];
  const rows = await exitsInScope(db, scope, filters)
    .select([key.as('code'), name.as('name'), sql<number>`grouping(${key})::int`.as('is_total'), ...COUNTS])
    .groupBy(sql`grouping sets ((${key}, ${name}), ())`)
    .execute();
  const total = rows.find((row) => row.is_total);
  const parts = rows.filter((row) => !row.is_total);
  const label = (code: string | null, territoryName: string | null) => {
    if (code === null) return UNKNOWN_TERRITORY;
    if (level === 'structure') return territoryName ? `${territoryName} (SIRET ${code})` : `SIRET ${code}`;
    return territoryName ?? code;
  };
  const measures = protectLines(
    [total ? toCounts(total) : NO_EXITS, ...parts.map(toCounts)],
    [{ total: 0, parts: parts.map((_, i) => i + 1) }],
  );
  const lines = parts
    .map((row, i) => ({ code: row.code, labels: [label(row.code, row.name)], ...(measures[i + 1] as OutcomeMeasures) }))
    .sort((a, b) => {
      if (a.code === null || b.code === null) return a.code === null ? 1 : -1;
      return level === 'structure' ? (a.labels[0] ?? '').localeCompare(b.labels[0] ?? '', 'fr') : a.code.localeCompare(b.code);
    });
  return { dimensions: [header], lines, total: { code: null, labels: ['Ensemble'], ...(measures[0] as OutcomeMeasures) } };
}
