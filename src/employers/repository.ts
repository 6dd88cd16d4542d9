import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { CRITERION_COLUMNS, criterionCounts, criterionSecret, criterionValue } from './criteria-columns.js';
import type { CriterionKey, EmployerFilters } from './filters.js';
import { type EmployersDatabase, withEmployerTables } from './tables.js';

// The counsellor's list of employers: filters from the caller, counting and sorting in SQL, no person data out.

export { employersCsv } from './csv.js';
export { type EmployerDetail, employerDetail } from './detail.js';

export const DEFAULT_PAGE_SIZE = 50;

export type EmployerListRow = {
  siret: string;
  /** The DSN carries no establishment name (block S21.G00.11 has none): the SIRET. */
  name: string;
  communeCode: string | null;
  /** The commune's official name, else the town label the establishment declares. */
  communeName: string | null;
  departementCode: string | null;
  departementName: string | null;
  nafCode: string | null;
  nafLabel: string | null;
  /** Hires over the 24 months ending with the last month the DSN covers. */
  hires: number;
  /** 0 to 100; null under the minimum number of hires (settings.json, 5). */
  score: number | null;
  engaged: boolean;
  /** The highlighted criterion, when the filters name one. */
  criterion: {
    key: CriterionKey;
    /**
     * Share from 0 to 1, or days; null when secret (fewer than 5 hires with a value, or a share that gives away 1
     * to 4 people: those it counts or the others) or when no hire has a value.
     */
    value: number | null;
    /** The value is hidden by the statistical secret (not merely missing). */
    secret: boolean;
    /** Percentile rank among peers, 0 to 1 (higher is better); null without a score. */
    rank: number | null;
  } | null;
};

export type EmployerPage = { rows: EmployerListRow[]; total: number; page: number; pages: number };

function fromEngagement(db: Kysely<EmployersDatabase>) {
  return db
    .selectFrom('employer_engagement as g')
    .innerJoin('establishments as e', 'e.siret', 'g.siret')
    .leftJoin('communes as c', 'c.insee_code', 'e.commune_insee_code')
    .leftJoin('departements as d', 'd.code', 'e.departement_code')
    .leftJoin('naf_codes as n', 'n.code', 'e.naf_code')
    .leftJoin('naf_codes as nd', (join) => join.on(sql<boolean>`nd.code = left(e.naf_code, 2)`));
}

function conditions(filters: EmployerFilters): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (filters.region) where.push(sql`e.region_code = ${filters.region}`);
  if (filters.departement) where.push(sql`e.departement_code = ${filters.departement}`);
  if (filters.commune) where.push(sql`e.commune_insee_code = ${filters.commune}`);
  if (filters.zone) {
    where.push(sql`e.commune_insee_code in (select insee_code from commune_employment_zones where zone_code = ${filters.zone})`);
  }
  if (filters.section) where.push(sql`nd.section_code = ${filters.section}`);
  if (filters.division) where.push(sql`left(e.naf_code, 2) = ${filters.division}`);
  if (filters.score_min !== undefined) where.push(sql`g.score >= ${filters.score_min}`);
  if (filters.engagees) where.push(sql`g.label = 'engagee'`);
  return where;
}

function selectRows(db: Kysely<Database>, filters: EmployerFilters) {
  const criterion = filters.critere;
  const sortValue = {
    score: sql`g.score`,
    embauches: sql`g.hires`,
    siret: sql`g.siret`,
    critere: criterion ? criterionValue(criterion) : sql`g.score`,
  }[filters.tri.replace(/_(asc|desc)$/, '') as 'score' | 'embauches' | 'siret' | 'critere'];
  const descending = filters.tri.endsWith('_desc');
  // The highlighted criterion's counts, for the secret on its value (`k`); none without one.
  const counts = criterion ? criterionCounts(criterion) : sql`lateral (select null::int as known, null::int as count)`;
  return fromEngagement(withEmployerTables(db))
    .leftJoin(counts.as('k'), (join) => join.onTrue())
    .where((eb) => eb.and(conditions(filters)))
    .select([
      'g.siret',
      'e.commune_insee_code as communeCode',
      sql<string | null>`coalesce(c.name, e.town)`.as('communeName'),
      'e.departement_code as departementCode',
      'd.name as departementName',
      'e.naf_code as nafCode',
      'n.label as nafLabel',
      'g.hires',
      sql<number | null>`g.score::float8`.as('score'),
      sql<boolean>`g.label is not distinct from 'engagee'`.as('engaged'),
      (criterion ? criterionValue(criterion) : sql<number | null>`null::float8`).as('criterionValue'),
      (criterion ? criterionSecret : sql<boolean>`false`).as('criterionSecret'),
      (criterion ? sql<number | null>`${sql.ref(`g.${CRITERION_COLUMNS[criterion].rank}`)}` : sql<number | null>`null::float8`).as(
        'criterionRank',
      ),
    ])
    .orderBy(sortValue, (ob) => (descending ? ob.desc() : ob.asc()).nullsLast())
    .orderBy('g.siret');
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof selectRows>['execute']>>[number];

function toListRow(row: SelectedRow, criterion: CriterionKey | undefined): EmployerListRow {
  const { criterionValue: value, criterionRank: rank, criterionSecret: secret, ...rest } = row;
  return { ...rest, name: row.siret, criterion: criterion ? { key: criterion, value, rank, secret } : null };
}

/** One page of the filtered, sorted list; `page` past the last one gives no rows and the real total. */
export async function listEmployers(
  db: Kysely<Database>,
  filters: EmployerFilters,
  { pageSize = DEFAULT_PAGE_SIZE }: { pageSize?: number } = {},
): Promise<EmployerPage> {
  const size = Math.max(1, Math.floor(pageSize));
  const [counted, rows] = await Promise.all([
    fromEngagement(withEmployerTables(db))
      .where((eb) => eb.and(conditions(filters)))
      .select(sql<number>`count(*)::int`.as('total'))
      .executeTakeFirstOrThrow(),
    selectRows(db, filters)
      .limit(size)
      .offset((filters.page - 1) * size)
      .execute(),
  ]);
  return {
    rows: rows.map((row) => toListRow(row, filters.critere)),
    total: counted.total,
    page: filters.page,
    pages: Math.max(1, Math.ceil(counted.total / size)),
  };
}

/** Every row of the filtered list, in the same order, for the CSV export (`page` is ignored). */
export async function listEmployersForCsv(db: Kysely<Database>, filters: EmployerFilters): Promise<EmployerListRow[]> {
  const rows = await selectRows(db, filters).execute();
  return rows.map((row) => toListRow(row, filters.critere));
}

export type Option = { code: string; name: string };

// Alphabetical order, the same under any database collation: accents do not send Île-de-France after Z.
const byName = (column: string) =>
  sql`upper(translate(${sql.ref(column)}, 'àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ', 'aaaeeeeiioouuucAAAEEEEIIOOUUUC')) collate "C"`;

export async function listRegions(db: Kysely<Database>): Promise<Option[]> {
  return db.selectFrom('regions').select(['code', 'name']).orderBy(byName('name')).execute();
}

export async function listDepartements(db: Kysely<Database>, region?: string): Promise<(Option & { regionCode: string })[]> {
  return db
    .selectFrom('departements')
    .select(['code', 'name', 'region_code as regionCode'])
    .$if(region !== undefined, (query) => query.where('region_code', '=', region as string))
    .orderBy('code')
    .execute();
}

export async function listNafSections(db: Kysely<Database>): Promise<Option[]> {
  return db.selectFrom('naf_codes').select(['code', 'label as name']).where('level', '=', 'section').orderBy('code').execute();
}

export async function listNafDivisions(db: Kysely<Database>, section?: string): Promise<(Option & { sectionCode: string })[]> {
  return db
    .selectFrom('naf_codes')
    .select(['code', 'label as name', sql<string>`section_code`.as('sectionCode')])
    .where('level', '=', 'division')
    .$if(section !== undefined, (query) => query.where('section_code', '=', section as string))
    .orderBy('code')
    .execute();
}

/** INSEE's zones d'emploi, empty until `sillage import zones` has loaded them. */
export async function listZones(db: Kysely<Database>): Promise<Option[]> {
  return withEmployerTables(db).selectFrom('employment_zones').select(['code', 'name']).orderBy(byName('name')).execute();
}
