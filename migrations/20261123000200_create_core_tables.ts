import { type Kysely, sql } from 'kysely';

// Declared facts are kept per declaration (declared_*, contract_hours) so that a cancel-and-replace can
// recompute them; contracts, contract_ends, work_stoppages and suspensions hold the resolved facts.
// Tables updated every month keep free space in their pages so updates stay in place (HOT).
// Every person-level table carries person_key, the HMAC of the NIR, so it can later be distributed by it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ingest_runs (
      id bigserial primary key,
      kind text not null check (kind in ('dsn', 'participants', 'passes')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      status text not null default 'running' check (status in ('running', 'done', 'failed')),
      files integer not null default 0,
      declarations integer not null default 0,
      replaced integer not null default 0,
      cancelled integer not null default 0,
      rows integer not null default 0,
      rejected integer not null default 0
    );
    create table ingest_rejections (
      id bigserial primary key,
      run_id bigint not null references ingest_runs on delete cascade,
      file text,
      line integer,
      rubric text,
      field text,
      message text not null
    );
    create index ingest_rejections_run on ingest_rejections (run_id);

    create table declarations (
      id bigserial primary key,
      checksum bytea not null unique,
      siret text not null,
      declared_month date not null,
      nature text not null,
      type text not null,
      fraction text not null,
      file_name text not null,
      file_checksum bytea not null,
      first_line integer not null,
      line_count integer not null,
      person_count integer not null,
      run_id bigint references ingest_runs on delete set null,
      replaced_by bigint references declarations,
      loaded_at timestamptz not null default now()
    );
    create index declarations_identity on declarations (siret, declared_month, fraction, nature);
    create index declarations_active_month on declarations (siret, declared_month) where replaced_by is null;
    create index declarations_run on declarations (run_id);

    create table establishments (
      siret text primary key,
      siren text not null,
      naf_code text,
      company_naf_code text,
      postal_code text,
      town text,
      commune_insee_code text references communes,
      departement_code text references departements,
      region_code text references regions,
      first_declared_month date not null,
      last_declared_month date not null
    ) with (fillfactor = 80);
    create index establishments_territory on establishments (departement_code, naf_code);

    create table persons (
      person_key bytea primary key,
      identified_by text not null check (identified_by in ('nir', 'ntt')),
      sex text check (sex in ('01', '02')),
      birth_year smallint,
      birth_month smallint,
      birth_date date,
      last_name text,
      first_names text,
      education_level text,
      first_declared_month date,
      last_declared_month date
    ) with (fillfactor = 80);

    create table declared_contracts (
      declaration_id bigint not null references declarations on delete cascade,
      contract_key uuid not null,
      person_key bytea not null,
      siret text not null,
      contract_number text not null,
      start_date date not null,
      pcs text,
      nature text not null,
      public_scheme text,
      planned_end_date date,
      hours_unit text,
      reference_hours numeric(9, 2),
      contract_hours numeric(9, 2),
      time_mode text,
      fixed_term_reason text,
      boeth_status text,
      scheme_complement text,
      primary key (contract_key, declaration_id)
    );
    create index declared_contracts_declaration on declared_contracts (declaration_id);

    create table declared_contract_ends (
      declaration_id bigint not null references declarations on delete cascade,
      contract_key uuid not null,
      person_key bytea not null,
      end_date date not null,
      reason text not null,
      primary key (contract_key, declaration_id)
    );
    create index declared_contract_ends_declaration on declared_contract_ends (declaration_id);

    create table declared_work_stoppages (
      declaration_id bigint not null references declarations on delete cascade,
      contract_key uuid not null,
      person_key bytea not null,
      last_worked_date date not null,
      reason text not null,
      planned_end_date date,
      return_date date,
      primary key (contract_key, last_worked_date, declaration_id)
    );
    create index declared_work_stoppages_declaration on declared_work_stoppages (declaration_id);

    create table declared_suspensions (
      declaration_id bigint not null references declarations on delete cascade,
      contract_key uuid not null,
      person_key bytea not null,
      start_date date not null,
      reason text not null,
      end_date date,
      primary key (contract_key, start_date, declaration_id)
    );
    create index declared_suspensions_declaration on declared_suspensions (declaration_id);

    create table contract_hours (
      declaration_id bigint not null references declarations on delete cascade,
      contract_key uuid not null,
      person_key bytea not null,
      month date not null,
      hours numeric(10, 2) not null,
      primary key (contract_key, month, declaration_id)
    );
    create index contract_hours_declaration on contract_hours (declaration_id);

    create table contracts (
      contract_key uuid primary key,
      person_key bytea not null,
      siret text not null,
      contract_number text not null,
      start_date date not null,
      pcs text,
      nature text not null,
      public_scheme text,
      planned_end_date date,
      hours_unit text,
      reference_hours numeric(9, 2),
      contract_hours numeric(9, 2),
      time_mode text,
      fixed_term_reason text,
      boeth_status text,
      scheme_complement text,
      first_declared_month date not null,
      last_declared_month date not null,
      declaration_id bigint not null,
      end_date date,
      end_kind text check (end_kind in ('declared', 'implicit')),
      unique (siret, person_key, contract_number, start_date)
    ) with (fillfactor = 80);
    create index contracts_person on contracts (person_key, start_date);

    create table contract_ends (
      contract_key uuid primary key,
      person_key bytea not null,
      end_date date not null,
      reason text not null
    );

    create table work_stoppages (
      contract_key uuid not null,
      last_worked_date date not null,
      person_key bytea not null,
      reason text not null,
      planned_end_date date,
      return_date date,
      primary key (contract_key, last_worked_date)
    );
    create index work_stoppages_person on work_stoppages (person_key);

    create table suspensions (
      contract_key uuid not null,
      start_date date not null,
      person_key bytea not null,
      reason text not null,
      end_date date,
      primary key (contract_key, start_date)
    );
    create index suspensions_person on suspensions (person_key);

    create table programme_enrolments (
      id bigserial primary key,
      person_key bytea not null,
      programme text not null,
      structure_siret text not null,
      entry_date date not null,
      exit_date date,
      last_name text,
      first_names text,
      run_id bigint references ingest_runs on delete set null,
      unique (person_key, programme, structure_siret, entry_date),
      check (exit_date is null or exit_date >= entry_date)
    );

    create table iae_passes (
      pass_number text primary key,
      person_key bytea not null,
      structure_siret text not null,
      start_date date not null,
      end_date date,
      last_name text,
      first_names text,
      run_id bigint references ingest_runs on delete set null,
      check (end_date is null or end_date >= start_date)
    );
    create index iae_passes_person on iae_passes (person_key);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table iae_passes, programme_enrolments, suspensions, work_stoppages, contract_ends, contracts,
      contract_hours, declared_suspensions, declared_work_stoppages, declared_contract_ends, declared_contracts,
      persons, establishments, declarations, ingest_rejections, ingest_runs
  `.execute(db);
}
