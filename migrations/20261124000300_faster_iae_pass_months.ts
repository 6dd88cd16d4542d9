import { type Kysely, sql } from 'kysely';
import { IAE_PASS_MONTHS_V1 } from './20261123000400_create_iae_pass_indicators.js';

// The same iae_pass_months, faster: IAE hours are summed straight from contract_hours for the persons
// holding a PASS, instead of summing every contract's hours of every person first. And the months the DSN
// covers are read from an index instead of a scan of every declaration, for every indicator.
const PER_CONTRACT = 'from contract_month_hours h join contract_spans s using (contract_key)';
const STRAIGHT = `from contract_hours h
  join declarations_in_force d on d.id = h.declaration_id
  join contract_spans s using (contract_key)`;
if (!IAE_PASS_MONTHS_V1.includes(PER_CONTRACT)) throw new Error('iae_pass_months: definition V1 not recognised');
const IAE_PASS_MONTHS_V2 = IAE_PASS_MONTHS_V1.replace(PER_CONTRACT, STRAIGHT);

type Captured = { definition: string; indexes: string[] };

async function capture(db: Kysely<any>, view: string): Promise<Captured> {
  const { rows } = await sql<{ definition: string }>`select pg_get_viewdef(${view}::regclass, true) as definition`.execute(db);
  const indexes = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = ${view}`.execute(db);
  return { definition: (rows[0] as { definition: string }).definition, indexes: indexes.rows.map((row) => row.indexdef) };
}

async function create(db: Kysely<any>, view: string, { definition, indexes }: Captured): Promise<void> {
  await sql`create materialized view ${sql.id(view)} as ${sql.raw(definition.replace(/;\s*$/, ''))}`.execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
}

// iae_pass_counters reads iae_pass_months: it is dropped, then created again exactly as it was.
async function replaceIaePassMonths(db: Kysely<any>, query: string): Promise<void> {
  const months = await capture(db, 'iae_pass_months');
  const counters = await capture(db, 'iae_pass_counters');
  await sql`drop materialized view iae_pass_counters; drop materialized view iae_pass_months`.execute(db);
  await create(db, 'iae_pass_months', { definition: query, indexes: months.indexes });
  await create(db, 'iae_pass_counters', counters);
}

export async function up(db: Kysely<any>): Promise<void> {
  await replaceIaePassMonths(db, IAE_PASS_MONTHS_V2);
  await sql`create index declarations_coverage on declarations (declared_month)
    where nature = '01' and replaced_by is null and type <> '04'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index declarations_coverage`.execute(db);
  await replaceIaePassMonths(db, IAE_PASS_MONTHS_V1);
}
