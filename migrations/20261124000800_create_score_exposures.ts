import { type Kysely, sql } from 'kysely';

// The score exposure study (issue 5): when an employer was shown its engagement score, and how its score moved
// afterwards compared with employers never shown theirs. Method: docs/indicators.md, « Étude d'exposition ».

/** Below this many never-exposed peers in the département, the comparison group is taken in the région. */
const MINIMUM_LOCAL_COMPARISON = 5;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table score_exposures (
      id bigserial primary key,
      siret text not null references establishments,
      exposed_on date not null,
      channel text not null check (btrim(channel) <> ''),
      source text not null check (source in ('formulaire', 'import', 'impression')),
      recorded_by integer references users on delete set null,
      run_id bigint references ingest_runs on delete set null,
      created_at timestamptz not null default now()
    );
    -- The same exposure recorded twice (a re-run import, a sheet printed twice the same day) is kept once.
    create unique index score_exposures_once on score_exposures (siret, exposed_on, channel);

    -- Other migrations may have widened the list of kinds: add one to whatever it holds.
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
      where conname = 'ingest_runs_kind_check' and conrelid = 'ingest_runs'::regclass;
      execute 'alter table ingest_runs drop constraint ingest_runs_kind_check';
      execute 'alter table ingest_runs add constraint ingest_runs_kind_check '
        || replace(definition, 'ARRAY[', 'ARRAY[''exposures''::text, ');
    end $$;

    -- Every establishment's score per quarter with where it stands: the study reads scores only through here.
    create view establishment_quarter_scores as
    select h.siret, h.quarter, h.score, left(e.naf_code, 2) as naf_division, e.departement_code, e.region_code
    from employer_engagement_history h
    join establishments e using (siret)
    where h.score is not null;
  `.execute(db);

  await sql
    .raw(`
    create view score_exposure_effects as
    with first_exposures as (
      select distinct on (siret) siret, exposed_on, channel, date_trunc('quarter', exposed_on)::date as quarter
      from score_exposures order by siret, exposed_on, id
    ), scores as (
      -- Score bands of 10 points (0 to 9): the study's « décile » of the 0 to 100 scale.
      select *, least(floor(score / 10), 9)::int as band from establishment_quarter_scores
    ), exposed as (
      select f.siret, f.exposed_on, f.channel, f.quarter, s.naf_division, s.departement_code, s.region_code, s.band,
        s.score as score_at_exposure, s6.score as score_6m, s12.score as score_12m
      from first_exposures f
      left join scores s on s.siret = f.siret and s.quarter = f.quarter
      left join scores s6 on s6.siret = f.siret and s6.quarter = (f.quarter + interval '6 months')::date
      left join scores s12 on s12.siret = f.siret and s12.quarter = (f.quarter + interval '12 months')::date
    ), pool as (
      -- Never exposed, scored at the exposure quarter, same NAF division, région and band.
      select x.siret as exposed_siret, s.siret, s.score, s.departement_code = x.departement_code as same_departement
      from exposed x
      join scores s on s.quarter = x.quarter and s.naf_division = x.naf_division and s.region_code = x.region_code
        and s.band = x.band
      where not exists (select 1 from score_exposures e where e.siret = s.siret)
    ), levels as (
      select x.siret,
        case
          when count(p.siret) filter (where p.same_departement) >= ${MINIMUM_LOCAL_COMPARISON} then 'departement'
          when count(p.siret) > 0 then 'region'
        end as comparison_level
      from exposed x left join pool p on p.exposed_siret = x.siret
      group by x.siret
    ), members as (
      select p.exposed_siret, p.siret, s6.score - p.score as change_6m, s12.score - p.score as change_12m
      from pool p
      join levels l on l.siret = p.exposed_siret
      join exposed x on x.siret = p.exposed_siret
      left join scores s6 on s6.siret = p.siret and s6.quarter = (x.quarter + interval '6 months')::date
      left join scores s12 on s12.siret = p.siret and s12.quarter = (x.quarter + interval '12 months')::date
      where l.comparison_level = 'region' or p.same_departement
    ), groups as (
      select exposed_siret as siret,
        avg(change_6m) as comparison_change_6m, count(change_6m)::int as comparison_size_6m,
        avg(change_12m) as comparison_change_12m, count(change_12m)::int as comparison_size_12m
      from members group by exposed_siret
    ), effects as (
      select x.*, l.comparison_level, x.score_6m - x.score_at_exposure as change_6m, x.score_12m - x.score_at_exposure as change_12m,
        g.comparison_change_6m, coalesce(g.comparison_size_6m, 0) as comparison_size_6m,
        g.comparison_change_12m, coalesce(g.comparison_size_12m, 0) as comparison_size_12m
      from exposed x join levels l using (siret) left join groups g using (siret)
    ), counted as (
      -- An exposed establishment counts at a horizon when its own change and its group's are both observable.
      select *, change_6m is not null and comparison_change_6m is not null as counted_6m,
        change_12m is not null and comparison_change_12m is not null as counted_12m
      from effects
    )
    select 'etablissement'::text as row_kind, siret, exposed_on as first_exposed_on, channel, quarter as exposure_quarter,
      naf_division, departement_code, region_code, band as score_band,
      score_at_exposure::float8, score_6m::float8, score_12m::float8,
      change_6m::float8, change_12m::float8, comparison_level,
      comparison_change_6m::float8, comparison_change_12m::float8,
      counted_6m::int as exposed_size_6m, counted_12m::int as exposed_size_12m, comparison_size_6m, comparison_size_12m,
      (change_6m - comparison_change_6m)::float8 as did_6m, (change_12m - comparison_change_12m)::float8 as did_12m
    from counted
    union all
    select 'ensemble', null, null, null, null, null, null, null, null, null, null, null,
      (avg(change_6m) filter (where counted_6m))::float8, (avg(change_12m) filter (where counted_12m))::float8, null,
      (avg(comparison_change_6m) filter (where counted_6m))::float8, (avg(comparison_change_12m) filter (where counted_12m))::float8,
      (count(*) filter (where counted_6m))::int, (count(*) filter (where counted_12m))::int,
      (select count(distinct m.siret)::int from members m join counted c on c.siret = m.exposed_siret
        where c.counted_6m and m.change_6m is not null),
      (select count(distinct m.siret)::int from members m join counted c on c.siret = m.exposed_siret
        where c.counted_12m and m.change_12m is not null),
      (avg(change_6m - comparison_change_6m) filter (where counted_6m))::float8,
      (avg(change_12m - comparison_change_12m) filter (where counted_12m))::float8
    from counted;
  `)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop view score_exposure_effects;
    drop view establishment_quarter_scores;
    drop table score_exposures;
    delete from ingest_runs where kind = 'exposures';
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
      where conname = 'ingest_runs_kind_check' and conrelid = 'ingest_runs'::regclass;
      execute 'alter table ingest_runs drop constraint ingest_runs_kind_check';
      execute 'alter table ingest_runs add constraint ingest_runs_kind_check ' || replace(definition, '''exposures''::text, ', '');
    end $$;
  `.execute(db);
}
