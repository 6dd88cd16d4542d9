import { type Kysely, sql } from 'kysely';

// One row per hire, with the hired person's profile and the contract's quality. Definitions: docs/indicators.md.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A hire looks back for programme exits of the same person.
    create index programme_outcomes_person on programme_outcomes (person_key, exit_date);

    create materialized view employer_hires as
    with coverage as (select * from dsn_coverage), hires as (
      select c.contract_key, c.siret, c.person_key, c.start_date as hire_date, c.nature, c.planned_end_date, c.end_date,
        c.time_mode, c.boeth_status, p.sex,
        coalesce(p.birth_date, make_date(p.birth_year, coalesce(p.birth_month, 7), 1)) as birth_date
      from contracts c left join persons p using (person_key)
    )
    select h.siret, h.person_key, h.hire_date,
      h.sex = '02' as woman,
      age(h.hire_date, h.birth_date) < interval '26 years' as under_26,
      age(h.hire_date, h.birth_date) >= interval '50 years' as over_50,
      not exists (select 1 from contracts o where o.person_key = h.person_key and o.start_date < h.hire_date) as no_prior_contract,
      -- No contract over the 365 days before: unknown when the DSN does not reach back that far.
      case when h.hire_date - 365 >= (select first_month from coverage) then not exists (
        select 1 from contract_spans o
        where o.person_key = h.person_key and o.contract_key <> h.contract_key
          and o.start_date < h.hire_date and o.end_date >= h.hire_date - 365
      ) end as long_unemployed,
      -- A stoppage of 6 months or more (day after the last day worked to the day before the return) that
      -- ended within the 12 months before the hire.
      exists (
        select 1 from work_stoppages w
        where w.person_key = h.person_key
          and coalesce(w.return_date - 1, w.planned_end_date) >= (w.last_worked_date + 1 + interval '6 months' - interval '1 day')::date
          and coalesce(w.return_date - 1, w.planned_end_date) between h.hire_date - 365 and h.hire_date - 1
      ) as after_long_stoppage,
      coalesce(h.boeth_status between '01' and '12', false) as boeth,
      exists (
        select 1 from programme_outcomes x
        where x.person_key = h.person_key and x.exit_date < h.hire_date and x.exit_date >= (h.hire_date - interval '6 months')::date
      ) as from_programme,
      h.nature,
      h.nature in ('01', '07', '08', '09') as is_cdi,
      case when h.nature not in ('01', '07', '08', '09') then coalesce(h.end_date, h.planned_end_date) - h.hire_date + 1 end
        as fixed_term_days,
      coalesce(h.time_mode = '10', false) as full_time,
      -- Still at this establishment, under any contract, 6 and 12 months after the hire; unknown until the
      -- DSN covers that month.
      case when date_trunc('month', h.hire_date + interval '6 months') <= (select last_month from coverage) then exists (
        select 1 from contract_spans s
        where s.person_key = h.person_key and s.siret = h.siret
          and s.start_date <= (h.hire_date + interval '6 months')::date and s.end_date >= (h.hire_date + interval '6 months')::date
      ) end as retained_6m,
      case when date_trunc('month', h.hire_date + interval '12 months') <= (select last_month from coverage) then exists (
        select 1 from contract_spans s
        where s.person_key = h.person_key and s.siret = h.siret
          and s.start_date <= (h.hire_date + interval '12 months')::date and s.end_date >= (h.hire_date + interval '12 months')::date
      ) end as retained_12m,
      h.contract_key
    from hires h;

    create unique index employer_hires_key on employer_hires (contract_key);
    create index employer_hires_siret on employer_hires (siret, hire_date);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop materialized view employer_hires; drop index programme_outcomes_person`.execute(db);
}
