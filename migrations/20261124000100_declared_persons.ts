import { type Kysely, sql } from 'kysely';

// What each declaration says of its persons and of its establishment is kept with it, like the other
// declared facts: persons and establishments are then resolved once per run instead of once per batch.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table declared_persons (
      declaration_id bigint not null references declarations on delete cascade,
      person_key bytea not null,
      identified_by text not null check (identified_by in ('nir', 'ntt')),
      sex text check (sex in ('01', '02')),
      birth_year smallint,
      birth_month smallint,
      birth_date date,
      last_name text,
      first_names text,
      education_level text,
      primary key (declaration_id, person_key)
    );
    alter table declarations
      add column siren text,
      add column naf_code text,
      add column company_naf_code text,
      add column postal_code text,
      add column town text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table declared_persons;
    alter table declarations drop column siren, drop column naf_code, drop column company_naf_code,
      drop column postal_code, drop column town`.execute(db);
}
