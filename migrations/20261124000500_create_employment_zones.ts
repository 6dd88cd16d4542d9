import { type Kysely, sql } from 'kysely';

// INSEE's zones d'emploi (ZE2020) and the commune each covers: loaded by `sillage import zones`, never by hand.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table employment_zones (
      code text primary key,
      name text not null
    );
    create table commune_employment_zones (
      insee_code text primary key references communes,
      zone_code text not null references employment_zones
    );
    create index commune_employment_zones_zone on commune_employment_zones (zone_code);

    -- Zone imports are recorded in the import history like the registers.
    alter table ingest_runs drop constraint ingest_runs_kind_check;
    alter table ingest_runs add constraint ingest_runs_kind_check check (kind in ('dsn', 'participants', 'passes', 'zones'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    delete from ingest_runs where kind = 'zones';
    alter table ingest_runs drop constraint ingest_runs_kind_check;
    alter table ingest_runs add constraint ingest_runs_kind_check check (kind in ('dsn', 'participants', 'passes'));
    drop table commune_employment_zones, employment_zones;
  `.execute(db);
}
