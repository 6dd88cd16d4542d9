import { type Kysely, sql } from 'kysely';

// The first indicators: what each contract contributes month by month, then one row per person and month.
// Definitions: docs/indicators.md.
// The first definition of person_months; 20261124000200 replaces it with a faster, equivalent one.
export const PERSON_MONTHS_V1 = `
with months as (
  select generate_series(first_month, last_month, interval '1 month')::date as month from dsn_coverage
), active as (
  select s.person_key, m.month, count(distinct s.siret)::int as employers, bool_or(s.durable) as durable
  from contract_spans s
  join months m on s.start_date < m.month + interval '1 month' and s.end_date >= m.month
  group by s.person_key, m.month
), worked as (
  select h.person_key, h.month, sum(h.hours) as hours, coalesce(sum(h.hours) filter (where s.iae), 0) as iae_hours
  from contract_month_hours h join contract_spans s using (contract_key)
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

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Declarations in force: neither replaced nor a cancellation themselves.
    create view declarations_in_force as
    select * from declarations where replaced_by is null and type <> '04';

    -- Months the DSN covers: from the first to the last month any establishment declared.
    create view dsn_coverage as
    select min(declared_month) as first_month, max(declared_month) as last_month
    from declarations_in_force where nature = '01';

    -- Hours per contract and pay-period month, summed over the declarations in force: a negative correction
    -- declared a month later lowers the month it corrects.
    create view contract_month_hours as
    select h.contract_key, h.person_key, h.month, sum(h.hours) as hours
    from contract_hours h join declarations_in_force d on d.id = h.declaration_id
    group by h.contract_key, h.person_key, h.month;

    -- Each contract's span: to its end (declared or implicit), else to the end of its last declared month.
    -- Durable: a CDI, or a fixed term or mission of 6 months or more, planned or actual.
    create view contract_spans as
    select c.contract_key, c.person_key, c.siret, c.nature, c.public_scheme, c.scheme_complement, c.start_date,
      coalesce(c.end_date, (c.last_declared_month + interval '1 month' - interval '1 day')::date) as end_date,
      c.scheme_complement in ('02', '03', '04', '05', '06', '07') as iae,
      c.nature in ('01', '07', '08', '09')
        or greatest(c.planned_end_date, coalesce(c.end_date, (c.last_declared_month + interval '1 month' - interval '1 day')::date))
          >= (c.start_date + interval '6 months' - interval '1 day')::date as durable
    from contracts c;

    -- Stoppages and other suspensions as spans of days: a stoppage from the day after the last day worked to
    -- the day before the return (else the planned end), a suspension from its start to its end; either, when
    -- its end is unknown, to the end of the contract.
    create view absence_periods as
    select 'arret' as kind, w.person_key, w.reason, w.last_worked_date + 1 as first_day,
      coalesce(w.return_date - 1, w.planned_end_date, s.end_date) as last_day
    from work_stoppages w join contract_spans s using (contract_key)
    union all
    select 'suspension', u.person_key, u.reason, u.start_date, coalesce(u.end_date, s.end_date)
    from suspensions u join contract_spans s using (contract_key);

    create materialized view person_months as ${sql.raw(PERSON_MONTHS_V1)};

    -- REFRESH ... CONCURRENTLY needs a unique index: pages keep reading the previous rows meanwhile.
    create unique index person_months_key on person_months (person_key, month);
    create index person_months_month on person_months (month);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop materialized view person_months;
    drop view absence_periods, contract_spans, contract_month_hours, dsn_coverage, declarations_in_force;
  `.execute(db);
}
