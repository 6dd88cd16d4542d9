import { type Kysely, sql } from 'kysely';

// Real DSN shapes (issue 11): signalements beside the monthly declaration, the DSN de substitution, changes of
// identity (a NIR corrected, an NTT replaced by the NIR), and warnings kept with the import report.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A declaration's identity for cancel-and-replace: SIRET, month, fraction and subject. The monthly
    -- declaration and its substitution (nature 09) share the empty subject; a signalement's subject is what it
    -- reports, for whom (a hash), so two signalements of one month never replace each other.
    alter table declarations add column subject text not null default '';
    drop index declarations_identity;
    create index declarations_identity on declarations (siret, declared_month, fraction, subject);

    -- Identifiers a declaration says its persons had before (keys only, never the NIR).
    create table declared_identity_changes (
      declaration_id bigint not null references declarations on delete cascade,
      former_key bytea not null,
      person_key bytea not null,
      change_date date,
      primary key (declaration_id, former_key)
    );

    -- Resolved links: every former key points to the person's current key, itself never a former key.
    create table person_links (
      former_key bytea primary key,
      person_key bytea not null,
      declared_month date not null,
      declaration_id bigint not null,
      check (former_key <> person_key)
    );
    create index person_links_person on person_links (person_key);

    -- The contract identity of src/ingest/rows.ts (SIRET, person, number, start), for contracts moved to a person's current key.
    create function contract_key_of(siret text, person_key bytea, contract_number text, start_date date) returns uuid
    language sql immutable strict parallel safe
    return substr(encode(sha256(convert_to(
      siret || '|' || encode(person_key, 'hex') || '|' || contract_number || '|' || to_char(start_date, 'YYYY-MM-DD'), 'UTF8')), 'hex'), 1, 32)::uuid;

    alter table ingest_rejections add column kind text not null default 'rejection' check (kind in ('rejection', 'warning'));
    alter table ingest_runs add column warnings integer not null default 0,
      add column establishments_by_fallback integer not null default 0,
      add column establishments_unplaced integer not null default 0;

    -- The DSN de substitution (nature 09) covers its month as the monthly declaration does.
    create or replace view dsn_coverage as
    select min(declared_month) as first_month, max(declared_month) as last_month
    from declarations_in_force where nature in ('01', '09');
    drop index declarations_coverage;
    create index declarations_coverage on declarations (declared_month)
      where nature in ('01', '09') and replaced_by is null and type <> '04';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index declarations_coverage;
    create index declarations_coverage on declarations (declared_month)
      where nature = '01' and replaced_by is null and type <> '04';
    create or replace view dsn_coverage as
    select min(declared_month) as first_month, max(declared_month) as last_month
    from declarations_in_force where nature = '01';
    alter table ingest_runs drop column warnings, drop column establishments_by_fallback, drop column establishments_unplaced;
    alter table ingest_rejections drop column kind;
    drop function contract_key_of(text, bytea, text, date);
    drop table person_links, declared_identity_changes;
    drop index declarations_identity;
    create index declarations_identity on declarations (siret, declared_month, fraction, nature);
    alter table declarations drop column subject;
  `.execute(db);
}
