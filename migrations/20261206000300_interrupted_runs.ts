import { type Kysely, sql } from 'kysely';

// A DSN ingest killed before its end (SIGKILL, lost server) is closed by the next ingest as 'interrupted', once
// its declarations are resolved, so that no later ingest processes them again.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table ingest_runs drop constraint ingest_runs_status_check;
    alter table ingest_runs add constraint ingest_runs_status_check
      check (status in ('running', 'done', 'failed', 'interrupted'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update ingest_runs set status = 'failed' where status = 'interrupted';
    alter table ingest_runs drop constraint ingest_runs_status_check;
    alter table ingest_runs add constraint ingest_runs_status_check check (status in ('running', 'done', 'failed'))`.execute(db);
}
