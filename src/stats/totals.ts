import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connection.js';

export type DatabaseTotals = {
  declarations: number;
  establishments: number;
  persons: number;
  contracts: number;
  workStoppages: number;
  suspensions: number;
  contractEnds: number;
  hours: number;
};

/** What the database holds: declarations in force only, hours summed over them. */
export async function readTotals({ db }: Pick<DatabaseHandle, 'db'>): Promise<DatabaseTotals> {
  const { rows } = await sql<DatabaseTotals>`
    select
      (select count(*) from declarations where replaced_by is null and type <> '04')::int as "declarations",
      (select count(*) from establishments)::int as "establishments",
      (select count(*) from persons)::int as "persons",
      (select count(*) from contracts)::int as "contracts",
      (select count(*) from work_stoppages)::int as "workStoppages",
      (select count(*) from suspensions)::int as "suspensions",
      (select count(*) from contract_ends)::int as "contractEnds",
      (select coalesce(sum(h.hours), 0) from contract_hours h
        join declarations d on d.id = h.declaration_id and d.replaced_by is null)::float8 as "hours"
  `.execute(db);
  return rows[0] as DatabaseTotals;
}
