import { type Kysely, sql } from 'kysely';

// Every view of a named person's data leaves a row here (DOMAIN.md section 5). No foreign key to users: a
// row must outlive the account that wrote it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      user_id integer not null,
      action text not null,
      pass_number text,
      person_key bytea,
      detail jsonb
    );
    create index audit_log_user on audit_log (user_id, at);
    create index audit_log_pass on audit_log (pass_number, at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table audit_log`.execute(db);
}
