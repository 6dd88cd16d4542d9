import { type Kysely, sql } from 'kysely';

// When each indicator view was last refreshed, and against which loads and settings: a refresh killed midway
// leaves some views behind, and this says which ones (`sillage refresh` catches them up).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- What the indicators must reflect now: the loads that feed them (zones and exposures feed no view) once
    -- finished, counted (a load finishing after a later one still counts), and the parameters of indicator_settings.
    create view indicator_inputs as
    select
      (select count(*)::int from ingest_runs where kind in ('dsn', 'participants', 'passes') and status <> 'running') as loads,
      (select max(id)::int from ingest_runs where kind in ('dsn', 'participants', 'passes') and status <> 'running') as last_run_id,
      (select md5(coalesce(string_agg(name || '=' || value::text, ';' order by name), '')) from indicator_settings) as settings_checksum;

    -- Written in the same transaction as the view's refresh, with the inputs read before it began.
    create table indicator_refreshes (
      view_name text primary key,
      refreshed_at timestamptz not null,
      loads int not null,
      last_run_id int,
      settings_checksum text not null
    );

    -- Every indicator view, stale when unpopulated (a restored dump), never refreshed since this table exists,
    -- or refreshed before a load finished or the parameters changed.
    create view indicator_freshness as
    select m.matviewname::text as view_name, r.refreshed_at, r.last_run_id,
      (not m.ispopulated or r.view_name is null or r.loads < i.loads or r.settings_checksum <> i.settings_checksum) as stale
    from pg_matviews m
    cross join indicator_inputs i
    left join indicator_refreshes r on r.view_name = m.matviewname::text
    where m.schemaname = current_schema();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop view indicator_freshness;
    drop table indicator_refreshes;
    drop view indicator_inputs;
  `.execute(db);
}
