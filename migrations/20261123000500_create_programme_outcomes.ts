import { type Kysely, sql } from 'kysely';

// Employment 6 and 12 months after a programme exit (DOMAIN.md section 4). Definitions: docs/indicators.md.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The programme a contract belongs to, read from 40.073 (IAE kinds, EA), else from 40.008.
    create view contract_programmes as
    select s.*,
      case
        when s.scheme_complement in ('02', '06') then 'aci'
        when s.scheme_complement = '03' then 'ai'
        when s.scheme_complement in ('04', '07') then 'ei'
        when s.scheme_complement = '05' then 'etti'
        when s.scheme_complement = '01' then 'ea'
        when s.public_scheme in ('64', '65', '81') then 'apprentissage'
        when s.public_scheme = '61' then 'professionnalisation'
        when s.public_scheme = '41' then 'pec'
      end as programme
    from contract_spans s;

    -- Work after an IAE exit in any SIAE is "still in IAE"; after another programme, work in that programme.
    create function programme_family(programme text) returns text language sql immutable parallel safe
      return case when programme in ('aci', 'ai', 'ei', 'etti') then 'iae' else programme end;

    create materialized view programme_outcomes as
    with programme_contracts as (
      select c.person_key, c.siret, c.programme, c.start_date, c.end_date,
        -- An open contract (no end declared or implied) keeps its run open.
        x.end_date is null as open
      from contract_programmes c join contracts x using (contract_key)
      where c.programme is not null
    ), ordered as (
      select *,
        max(case when open then 'infinity'::date else end_date end) over (
          partition by person_key, siret, programme order by start_date, end_date
          rows between unbounded preceding and 1 preceding
        ) as previous_end
      from programme_contracts
    ), runs as (
      -- A parcours: contracts of one programme at one structure, a gap under 3 months merged.
      select *, count(*) filter (where previous_end is null or start_date >= previous_end + interval '3 months') over (
          partition by person_key, siret, programme order by start_date, end_date
        ) as run
      from ordered
    ), exits as (
      select programme, siret as structure_siret, person_key, max(end_date) as exit_date
      from runs
      group by person_key, siret, programme, run
      having not bool_or(open)
      union
      select programme, structure_siret, person_key, exit_date
      from programme_enrolments where exit_date is not null
    ), horizons as (
      -- Observable only in a month the DSN covers: otherwise unknown, never "not employed".
      select e.*, h.months, (e.exit_date + h.months * interval '1 month')::date as day,
        date_trunc('month', e.exit_date + h.months * interval '1 month') between c.first_month and c.last_month as observable
      from exits e cross join (values (6), (12)) h(months) cross join dsn_coverage c
    ), active as (
      -- Contracts active on the day, split between the programme left and everything else.
      select h.programme, h.structure_siret, h.person_key, h.exit_date, h.months, c.siret, c.durable, c.start_date,
        programme_family(c.programme) is not distinct from programme_family(h.programme) as same_programme
      from horizons h
      join contract_programmes c on c.person_key = h.person_key and c.start_date <= h.day and c.end_date >= h.day
      where h.observable
    ), outcomes as (
      select h.programme, h.structure_siret, h.person_key, h.exit_date, h.months,
        case when h.observable then coalesce(bool_or(not a.same_programme), false) end as employed,
        case when h.observable then coalesce(bool_or(a.durable and not a.same_programme), false) end as durable,
        case when h.observable then coalesce(bool_or(a.same_programme), false) end as in_programme,
        -- The employer: a durable contract first, then the latest started.
        (array_agg(a.siret order by a.durable desc, a.start_date desc) filter (where not a.same_programme))[1] as employer_siret
      from horizons h
      left join active a using (programme, structure_siret, person_key, exit_date, months)
      group by h.programme, h.structure_siret, h.person_key, h.exit_date, h.months, h.observable
    ), pivoted as (
      -- One row per exit: each horizon's outcome side by side (one outcome row per horizon).
      select programme, structure_siret, person_key, exit_date,
        bool_and(employed) filter (where months = 6) as employed_m6,
        bool_and(durable) filter (where months = 6) as durable_m6,
        bool_and(in_programme) filter (where months = 6) as in_programme_m6,
        bool_and(employed) filter (where months = 12) as employed_m12,
        bool_and(durable) filter (where months = 12) as durable_m12,
        bool_and(in_programme) filter (where months = 12) as in_programme_m12,
        min(employer_siret) filter (where months = 6) as employer_siret_m6,
        min(employer_siret) filter (where months = 12) as employer_siret_m12
      from outcomes
      group by programme, structure_siret, person_key, exit_date
    )
    select e.programme, e.structure_siret, e.person_key, e.exit_date,
      case p.sex when '01' then 'homme' when '02' then 'femme' end as sex,
      case
        when p.birth_year is null then null
        when age(e.exit_date, coalesce(p.birth_date, make_date(p.birth_year, coalesce(p.birth_month, 7), 1))) < interval '26 years'
          then 'moins_26'
        when age(e.exit_date, coalesce(p.birth_date, make_date(p.birth_year, coalesce(p.birth_month, 7), 1))) < interval '50 years'
          then '26_49'
        else '50_plus'
      end as age_band,
      e.employed_m6, e.durable_m6, e.in_programme_m6, e.employer_siret_m6,
      e.employed_m12, e.durable_m12, e.in_programme_m12, e.employer_siret_m12
    from pivoted e left join persons p using (person_key);

    create unique index programme_outcomes_key on programme_outcomes (programme, structure_siret, person_key, exit_date);
    create index programme_outcomes_exit on programme_outcomes (exit_date);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop materialized view programme_outcomes;
    drop function programme_family(text);
    drop view contract_programmes;
  `.execute(db);
}
