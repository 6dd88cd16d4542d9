import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../../db/schema.js';
import type { RunKind } from '../../../ingest/runs.js';
import type { RunStatus } from './labels.js';

// The load history the administrator reads: ingest_runs and the rejections each run recorded.

export type RunSummary = {
  id: number;
  kind: RunKind;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  files: number;
  declarations: number;
  replaced: number;
  cancelled: number;
  rows: number;
  rejected: number;
  warnings: number;
  establishmentsByFallback: number;
  establishmentsUnplaced: number;
};

export type RejectionRow = { file: string | null; line: number | null; rubric: string | null; field: string | null; message: string };

const RUN_COLUMNS = [
  'id',
  'kind',
  'status',
  // Generated<Timestamp> is not unwrapped by Kysely: say what the driver returns.
  sql<Date>`started_at`.as('startedAt'),
  'finished_at as finishedAt',
  'files',
  'declarations',
  'replaced',
  'cancelled',
  'rows',
  'rejected',
  'warnings',
  'establishments_by_fallback as establishmentsByFallback',
  'establishments_unplaced as establishmentsUnplaced',
] as const;

export async function listRuns(db: Kysely<Database>, limit: number): Promise<RunSummary[]> {
  return db.selectFrom('ingest_runs').select(RUN_COLUMNS).orderBy('id', 'desc').limit(limit).execute();
}

export async function readRun(db: Kysely<Database>, id: number): Promise<RunSummary | undefined> {
  return db.selectFrom('ingest_runs').select(RUN_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** One page of a run's rejections (or warnings), in the order of the files and their lines. */
export async function listRejections(
  db: Kysely<Database>,
  runId: number,
  page: { offset: number; limit: number },
  kind: 'rejection' | 'warning' = 'rejection',
): Promise<RejectionRow[]> {
  return db
    .selectFrom('ingest_rejections')
    .select(['file', 'line', 'rubric', 'field', 'message'])
    .where('run_id', '=', runId)
    .where('kind', '=', kind)
    .orderBy('file')
    .orderBy('line')
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

/** The latest run id, 0 before any: runs created later have greater ids. */
export async function lastRunId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('ingest_runs').select(sql<number>`coalesce(max(id), 0)`.as('id')).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The loaders record the paths they were given: for an upload, its temporary folder. The runs created after
 * `afterRunId` name their files as the administrator sent them instead (the folder is unique to the upload).
 */
export async function relabelUploadedFiles(pool: pg.Pool, folder: string, afterRunId: number): Promise<void> {
  const prefix = `${folder}/`;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `update ingest_rejections set file = substr(file, length($1) + 1)
       where run_id > $2 and starts_with(file, $1)`,
      [prefix, afterRunId],
    );
    await client.query(
      `update declarations set file_name = substr(file_name, length($1) + 1)
       where run_id > $2 and starts_with(file_name, $1)`,
      [prefix, afterRunId],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
