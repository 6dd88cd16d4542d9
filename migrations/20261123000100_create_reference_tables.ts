import { type Kysely, sql } from 'kysely';

// Territories and sectors: filled from npm reference packages by `sillage migrate`, never by hand.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table regions (
      code text primary key,
      name text not null
    );
    create table departements (
      code text primary key,
      name text not null,
      region_code text not null references regions
    );
    create table communes (
      insee_code text primary key,
      name text not null,
      departement_code text not null references departements,
      region_code text not null references regions,
      population integer
    );
    create table commune_postal_codes (
      postal_code text not null,
      insee_code text not null references communes,
      primary key (postal_code, insee_code)
    );
    create table naf_codes (
      code text primary key,
      label text not null,
      level text not null check (level in ('section', 'division', 'groupe', 'classe', 'sous-classe')),
      section_code text,
      division_code text
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table naf_codes, commune_postal_codes, communes, departements, regions`.execute(db);
}
