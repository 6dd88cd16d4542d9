import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { cohortRange, type OutcomeFilters } from './filters.js';
import type { OutcomeCounts } from './measures.js';
import type { TerritoryScope } from './territory.js';

// The SQL of the funder journey: PostgreSQL counts the exits of programme_outcomes, grouped by grouping sets.

/** The materialized view programme_outcomes (migrations/20261123000500), one row per exit. */
export type ProgrammeOutcomeView = {
  programme: string;
  structure_siret: string;
  person_key: Buffer;
  exit_date: string;
  sex: 'femme' | 'homme' | null;
  age_band: 'moins_26' | '26_49' | '50_plus' | null;
  employed_m6: boolean | null;
  durable_m6: boolean | null;
  in_programme_m6: boolean | null;
  employer_siret_m6: string | null;
  employed_m12: boolean | null;
  durable_m12: boolean | null;
  in_programme_m12: boolean | null;
  employer_siret_m12: string | null;
};
/** The exit quarter, `AAAA-T1`..`AAAA-T4`. */
export const COHORT = sql<string>`to_char(o.exit_date, 'YYYY-"T"Q')`;

/**
 * Exits in the scope matching the filters, with their structure's establishment and its territory's names. An
 * exit's territory is its structure's establishment: a territory outside the scope yields no row.
 */
export function exitsInScope(db: Kysely<Database>, scope: TerritoryScope, filters: OutcomeFilters) {
  return db
    .withTables<{ programme_outcomes: ProgrammeOutcomeView }>()
    .selectFrom('programme_outcomes as o')
    .leftJoin('establishments as e', 'e.siret', 'o.structure_siret')
    .leftJoin('regions as r', 'r.code', 'e.region_code')
    .leftJoin('departements as d', 'd.code', 'e.departement_code')
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [];
      if (scope.kind !== 'france') {
        const column = scope.kind === 'regions' ? 'e.region_code' : 'e.departement_code';
        conditions.push(scope.codes.length === 0 ? sql<SqlBool>`false` : eb(column, 'in', scope.codes));
      }
      if (filters.programme !== undefined) conditions.push(eb('o.programme', '=', filters.programme));
      if (filters.region !== undefined) conditions.push(eb('e.region_code', '=', filters.region));
      if (filters.departement !== undefined) conditions.push(eb('e.departement_code', '=', filters.departement));
      if (filters.cohort !== undefined) {
        const { from, to } = cohortRange(filters.cohort);
        conditions.push(eb('o.exit_date', '>=', from), eb('o.exit_date', '<', to));
      }
      if (filters.sex !== undefined) conditions.push(eb('o.sex', '=', filters.sex));
      if (filters.ageBand !== undefined) conditions.push(eb('o.age_band', '=', filters.ageBand));
      return eb.and(conditions);
    });
}

export type CountsRow = {
  exits: number;
  observable_m6: number;
  employed_m6: number;
  durable_m6: number;
  in_programme_m6: number;
  observable_m12: number;
  employed_m12: number;
  durable_m12: number;
  in_programme_m12: number;
};

/** The counts of a group of exits; an outcome is observable when it is not null. */
export const COUNTS = [
  sql<number>`count(*)::int`.as('exits'),
  sql<number>`count(o.employed_m6)::int`.as('observable_m6'),
  sql<number>`count(*) filter (where o.employed_m6)::int`.as('employed_m6'),
  sql<number>`count(*) filter (where o.durable_m6)::int`.as('durable_m6'),
  sql<number>`count(*) filter (where o.in_programme_m6)::int`.as('in_programme_m6'),
  sql<number>`count(o.employed_m12)::int`.as('observable_m12'),
  sql<number>`count(*) filter (where o.employed_m12)::int`.as('employed_m12'),
  sql<number>`count(*) filter (where o.durable_m12)::int`.as('durable_m12'),
  sql<number>`count(*) filter (where o.in_programme_m12)::int`.as('in_programme_m12'),
];

export function toCounts(row: CountsRow): OutcomeCounts {
  return {
    exits: row.exits,
    m6: { observable: row.observable_m6, employed: row.employed_m6, durable: row.durable_m6, inProgramme: row.in_programme_m6 },
    m12: { observable: row.observable_m12, employed: row.employed_m12, durable: row.durable_m12, inProgramme: row.in_programme_m12 },
  };
}

export const NO_EXITS: OutcomeCounts = {
  exits: 0,
  m6: { observable: 0, employed: 0, durable: 0, inProgramme: 0 },
  m12: { observable: 0, employed: 0, durable: 0, inProgramme: 0 },
};
