import { type Kysely, sql } from 'kysely';

// PASS IAE hour counters (DOMAIN.md section 3). Definitions: docs/indicators.md.
// The first definition of iae_pass_months; 20261124000300 replaces it with a faster, equivalent one.
export const IAE_PASS_MONTHS_V1 = `
with passes as (
  select i.pass_number, i.person_key, i.structure_siret,
    greatest(date_trunc('month', i.start_date)::date, c.first_month) as first_month,
    coalesce(e.last_declared_month, c.last_month) as last_declared_month
  from iae_passes i
  cross join dsn_coverage c
  left join establishments e on e.siret = i.structure_siret
), months as (
  select p.pass_number, p.person_key, p.structure_siret, m::date as month
  from passes p, generate_series(p.first_month, p.last_declared_month, interval '1 month') m
), iae_hours as (
  select h.person_key, h.month, s.siret, sum(h.hours) as hours
  from contract_month_hours h join contract_spans s using (contract_key)
  where s.iae and h.person_key in (select person_key from passes)
  group by h.person_key, h.month, s.siret
), reasons as (
  select a.person_key, m.month,
    array_agg(distinct a.reason order by a.reason) filter (where a.kind = 'arret') as stoppage_reasons,
    array_agg(distinct a.reason order by a.reason) filter (where a.kind = 'suspension') as suspension_reasons
  from absence_periods a
  join (select distinct month from months) m on a.first_day < m.month + interval '1 month' and a.last_day >= m.month
  where a.person_key in (select person_key from passes)
  group by a.person_key, m.month
)
select m.pass_number, m.person_key, m.structure_siret, m.month,
  coalesce(sum(h.hours) filter (where h.siret = m.structure_siret), 0)::numeric(10, 2) as hours_structure,
  coalesce(sum(h.hours) filter (where h.siret <> m.structure_siret), 0)::numeric(10, 2) as hours_other_siae,
  coalesce(r.stoppage_reasons, '{}') as stoppage_reasons,
  coalesce(r.suspension_reasons, '{}') as suspension_reasons
from months m
left join iae_hours h on h.person_key = m.person_key and h.month = m.month
left join reasons r on r.person_key = m.person_key and r.month = m.month
group by m.pass_number, m.person_key, m.structure_siret, m.month, r.stoppage_reasons, r.suspension_reasons`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Parameters of the indicators, written from src/indicators/settings.json before every refresh.
    create table indicator_settings (name text primary key, value numeric not null);
    insert into indicator_settings values ('passBudgetHours', 3640);

    -- Per PASS and month, from the PASS's start month (or the first month the DSN covers, if later) to the
    -- last month its structure declared: IAE hours at the structure and at other SIAE, and the reasons of the
    -- stoppages and suspensions overlapping the month.
    create materialized view iae_pass_months as ${sql.raw(IAE_PASS_MONTHS_V1)};

    create unique index iae_pass_months_key on iae_pass_months (pass_number, month);

    -- One row per PASS: its hours budget and what consumed it, its months without hours and whether a
    -- stoppage or suspension explains them, its projected end and an alert.
    create materialized view iae_pass_counters as
    with months as (
      select pass_number, month, hours_structure + hours_other_siae as hours,
        cardinality(stoppage_reasons) + cardinality(suspension_reasons) > 0 as explained,
        max(month) over (partition by pass_number) as last_month
      from iae_pass_months
    ), counted as (
      select i.pass_number, i.person_key, i.structure_siret, i.start_date,
        (select value from indicator_settings where name = 'passBudgetHours') as budget_hours,
        coalesce(sum(m.hours), 0) as hours_worked,
        count(m.month) filter (where m.hours > 0)::int as months_worked,
        count(m.month) filter (where m.hours <= 0)::int as months_without_hours,
        count(m.month) filter (where m.hours <= 0 and m.explained)::int as months_explained,
        max(m.month) as last_declared_month,
        -- The last two months without hours and unexplained: the pathway may be breaking.
        count(*) filter (where m.month >= m.last_month - interval '1 month' and m.hours <= 0 and not m.explained) = 2
          as silent_last_2_months
      from iae_passes i
      left join months m using (pass_number)
      group by i.pass_number, i.person_key, i.structure_siret, i.start_date
    ), projected as (
      select c.*, c.budget_hours - c.hours_worked as hours_remaining,
        (c.start_date + (24 + c.months_without_hours) * interval '1 month' - interval '1 day')::date as projected_end_date
      from counted c
    )
    select pass_number, person_key, structure_siret, start_date, budget_hours::numeric(10, 2) as budget_hours,
      hours_worked::numeric(10, 2) as hours_worked, hours_remaining::numeric(10, 2) as hours_remaining,
      months_worked, months_without_hours, months_explained, projected_end_date, last_declared_month,
      case
        when hours_remaining <= 0 then 'budget_exhausted'
        when silent_last_2_months then 'no_hours_2_months'
        when projected_end_date < last_declared_month + interval '4 months' then 'ending_soon'
      end as alert
    from projected;

    create unique index iae_pass_counters_key on iae_pass_counters (pass_number);
    create index iae_pass_counters_structure on iae_pass_counters (structure_siret);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop materialized view iae_pass_counters;
    drop materialized view iae_pass_months;
    drop table indicator_settings;
  `.execute(db);
}
