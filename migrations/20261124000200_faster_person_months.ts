import { type Kysely, sql } from 'kysely';
import { PERSON_MONTHS_V1 } from './20261123000300_create_person_months.js';

// The same person_months, computed in about two thirds of the time (checked row for row on 2.4 million
// person-months): months of employment come from each contract's own span of months instead of a range
// join of every contract with every month, and hours are summed straight from contract_hours.
const PERSON_MONTHS_V2 = `
with months as (
  select generate_series(first_month, last_month, interval '1 month')::date as month from dsn_coverage
), active as (
  select s.person_key, m::date as month, count(distinct s.siret)::int as employers, bool_or(s.durable) as durable
  from contract_spans s
  cross join dsn_coverage c
  cross join generate_series(
    greatest(date_trunc('month', s.start_date), c.first_month),
    least(date_trunc('month', s.end_date), c.last_month),
    interval '1 month'
  ) m
  group by s.person_key, m
), worked as (
  select h.person_key, h.month, sum(h.hours) as hours, coalesce(sum(h.hours) filter (where s.iae), 0) as iae_hours
  from contract_hours h
  join declarations_in_force d on d.id = h.declaration_id
  join contract_spans s using (contract_key)
  group by h.person_key, h.month
), absent as (
  select a.person_key, m.month, bool_or(a.kind = 'arret') as stoppage, bool_or(a.kind = 'suspension') as suspension
  from absence_periods a join months m on a.first_day < m.month + interval '1 month' and a.last_day >= m.month
  group by a.person_key, m.month
)
select p.person_key, m.month,
  coalesce(w.hours, 0)::numeric(10, 2) as hours,
  coalesce(w.iae_hours, 0)::numeric(10, 2) as iae_hours,
  a.person_key is not null as employed,
  coalesce(a.durable, false) as durable,
  coalesce(a.employers, 0) as employers,
  coalesce(ab.stoppage, false) as in_stoppage,
  coalesce(ab.suspension, false) as in_suspension
from persons p
cross join months m
left join active a on a.person_key = p.person_key and a.month = m.month
left join worked w on w.person_key = p.person_key and w.month = m.month
left join absent ab on ab.person_key = p.person_key and ab.month = m.month`;

// No other view reads person_months: it can be replaced alone.
const replacePersonMonths = (query: string) => sql`
  drop materialized view person_months;
  create materialized view person_months as ${sql.raw(query)};
  create unique index person_months_key on person_months (person_key, month);
  create index person_months_month on person_months (month)`;

export async function up(db: Kysely<any>): Promise<void> {
  await replacePersonMonths(PERSON_MONTHS_V2).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await replacePersonMonths(PERSON_MONTHS_V1).execute(db);
}
