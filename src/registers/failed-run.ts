import type pg from 'pg';
import type { RegisterKind } from './import.js';

/** After a rollback the import history still tells that this file was tried and why nothing was saved. */
export async function recordFailedRun(client: pg.PoolClient, kind: RegisterKind, file: string, error: unknown): Promise<void> {
  const detail = error instanceof Error ? error.message : String(error);
  await client.query(
    `with run as (
       insert into ingest_runs (kind, status, finished_at, rejected) values ($1, 'failed', now(), 1) returning id
     )
     insert into ingest_rejections (run_id, file, message) select id, $2, $3 from run`,
    [kind, file, `import interrompu, rien n'a été enregistré : ${detail}`],
  );
}
