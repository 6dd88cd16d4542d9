import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { withEmployerTables } from '../employers/tables.js';
import { type OutcomeMeasures, protectLines } from '../outcomes/measures.js';
import { COUNTS, exitsInScope, NO_EXITS, toCounts } from '../outcomes/queries.js';
import type { OutcomeLine, OutcomesTable } from '../outcomes/repository.js';

// The public dashboard's own counts: outcomes by exit year (the funders' tables have quarters), and engaged
// employers by région and NAF section. National scope, no filter, nothing about a person.

export type YearLine = OutcomeLine & { year: string | null };

/** Per exit year, oldest first, with a total line; the secret applied over the years and their total, as one table. */
export async function outcomesByExitYear(db: Kysely<Database>): Promise<OutcomesTable<YearLine>> {
  const year = sql<string>`to_char(o.exit_date, 'YYYY')`;
  const rows = await exitsInScope(db, { kind: 'france' }, {})
    .select([year.as('year'), sql<number>`grouping(${year})::int`.as('is_total'), ...COUNTS])
    .groupBy(sql`grouping sets ((${year}), ())`)
    .execute();
  const total = rows.find((row) => row.is_total);
  const parts = rows.filter((row) => !row.is_total).sort((a, b) => a.year.localeCompare(b.year));
  const measures = protectLines(
    [total ? toCounts(total) : NO_EXITS, ...parts.map(toCounts)],
    [{ total: 0, parts: parts.map((_, i) => i + 1) }],
  );
  return {
    dimensions: ['Année de sortie'],
    lines: parts.map((row, i) => ({ year: row.year, labels: [row.year], ...(measures[i + 1] as OutcomeMeasures) })),
    total: { year: null, labels: ['Toutes les années'], ...(measures[0] as OutcomeMeasures) },
  };
}

/** Establishments with a score (5 hires or more), and those of them labelled engaged. */
export type EmployerCountLine = { code: string | null; label: string; engaged: number; scored: number };
export type EmployerCounts = { dimension: string; lines: EmployerCountLine[]; total: EmployerCountLine };

// Counts of establishments, not of people: published as they are, 1 to 4 included. Each score already rests on
// 5 hires or more, and whether an employer is engaged is no one's personal data.
async function engagedEmployersBy(
  db: Kysely<Database>,
  group: { dimension: string; key: RawBuilder<string | null>; name: RawBuilder<string | null>; unknown: string },
): Promise<EmployerCounts> {
  const rows = await withEmployerTables(db)
    .selectFrom('employer_engagement as g')
    .innerJoin('establishments as e', 'e.siret', 'g.siret')
    .leftJoin('regions as r', 'r.code', 'e.region_code')
    .leftJoin('naf_codes as nd', (join) => join.on(sql<boolean>`nd.code = left(e.naf_code, 2)`))
    .leftJoin('naf_codes as ns', (join) => join.on(sql<boolean>`ns.code = nd.section_code and ns.level = 'section'`))
    .where('g.score', 'is not', null)
    .select([
      group.key.as('code'),
      group.name.as('name'),
      sql<number>`grouping(${group.key})::int`.as('is_total'),
      sql<number>`count(*) filter (where g.label = 'engagee')::int`.as('engaged'),
      sql<number>`count(*)::int`.as('scored'),
    ])
    .groupBy(sql`grouping sets ((${group.key}, ${group.name}), ())`)
    .execute();
  const total = rows.find((row) => row.is_total);
  const lines = rows
    .filter((row) => !row.is_total)
    .map((row) => ({
      code: row.code,
      label: row.code === null ? group.unknown : (row.name ?? row.code),
      engaged: row.engaged,
      scored: row.scored,
    }))
    .sort((a, b) => (a.code === null || b.code === null ? (a.code === null ? 1 : -1) : a.code.localeCompare(b.code)));
  return {
    dimension: group.dimension,
    lines,
    total: { code: null, label: 'France entière', engaged: total?.engaged ?? 0, scored: total?.scored ?? 0 },
  };
}

export const engagedEmployersByRegion = (db: Kysely<Database>) =>
  engagedEmployersBy(db, {
    dimension: 'Région',
    key: sql<string | null>`e.region_code`,
    name: sql<string | null>`r.name`,
    unknown: 'Région non renseignée',
  });

export const engagedEmployersBySection = (db: Kysely<Database>) =>
  engagedEmployersBy(db, {
    dimension: 'Secteur d’activité (section NAF)',
    key: sql<string | null>`nd.section_code`,
    name: sql<string | null>`nd.section_code || ' – ' || ns.label`,
    unknown: 'Secteur non renseigné',
  });
