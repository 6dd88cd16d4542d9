import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { PROGRAMME_CODES, PROGRAMME_LABELS, type ProgrammeCode } from '../registers/programmes.js';
import { cohortLabel } from './filters.js';
import { COHORT, exitsInScope } from './queries.js';
import { departementWithinScope, regionWithinScope, type TerritoryScope } from './territory.js';

// The choices of the filter form: only what the scope lets the user ask for.

export type Option = { code: string; label: string };

/** Programmes with at least one exit in the scope, in the register's order. */
export async function programmeOptions(db: Kysely<Database>, scope: TerritoryScope): Promise<Option[]> {
  const rows = await exitsInScope(db, scope, {}).select('o.programme').distinct().execute();
  const rank = (code: string) =>
    PROGRAMME_CODES.includes(code as ProgrammeCode) ? PROGRAMME_CODES.indexOf(code as ProgrammeCode) : Infinity;
  return rows
    .map((row) => row.programme)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((code) => ({ code, label: PROGRAMME_LABELS[code as ProgrammeCode] ?? code }));
}

/** Régions lying within the scope (for a scope of départements: those whose every département is in it), by name. */
export async function regionOptions(db: Kysely<Database>, scope: TerritoryScope): Promise<Option[]> {
  // Collectivities without départements (Clipperton, TAAF...) hold no establishment: not offered.
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('departements as d').select('d.code').whereRef('d.region_code', '=', 'regions.code')),
    )
    .execute();
  return rows
    .filter((row) => regionWithinScope(scope, row.code))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
    .map((row) => ({ code: row.code, label: row.name }));
}

/** Départements within the scope, of one région when given, by code; labels `59 - Nord`. */
export async function departementOptions(db: Kysely<Database>, scope: TerritoryScope, region?: string): Promise<Option[]> {
  let query = db.selectFrom('departements').select(['code', 'name']).orderBy('code');
  if (region !== undefined) query = query.where('region_code', '=', region);
  const rows = await query.execute();
  return rows
    .filter((row) => departementWithinScope(scope, row.code))
    .map((row) => ({ code: row.code, label: `${row.code} - ${row.name}` }));
}

/** Each year with exits in the scope, followed by its quarters with exits, oldest first. */
export async function cohortOptions(db: Kysely<Database>, scope: TerritoryScope): Promise<Option[]> {
  const rows = await exitsInScope(db, scope, {}).select(COHORT.as('cohort')).distinct().orderBy('cohort').execute();
  const options: Option[] = [];
  for (const { cohort } of rows) {
    const year = cohort.slice(0, 4);
    if (options.at(-1)?.code.slice(0, 4) !== year) options.push({ code: year, label: cohortLabel(year) });
    options.push({ code: cohort, label: cohortLabel(cohort) });
  }
  return options;
}
