import type pg from 'pg';
import { copyInto } from '../db/copy.js';

export type RunKind = 'dsn' | 'participants' | 'passes' | 'zones' | 'exposures';

export type RunTotals = {
  files?: number;
  declarations?: number;
  replaced?: number;
  cancelled?: number;
  rows?: number;
  rejected: RunNote[];
  warnings?: RunNote[];
  /** Establishments of the run placed from their postal code prefix or town label, or left without a place. */
  placement?: { placedByFallback: number; unplaced: number };
};

type RunNote = { file?: string; line?: number; rubric?: string; field?: string; message: string };

export type RunStatus = 'running' | 'done' | 'failed' | 'interrupted';

// A DSN ingest holds this session-level lock, keyed by its run id, for its whole life: a run still marked
// running whose lock is free belongs to a dead process (see facts.ts). Two int4 keys: apart from int8 locks.
export const RUN_LOCK_SPACE = `hashtext('sillage-ingest-run')`;

export async function startRun(client: pg.PoolClient, kind: RunKind): Promise<number> {
  const { rows } = await client.query<{ id: number }>('insert into ingest_runs (kind) values ($1) returning id', [kind]);
  return (rows[0] as { id: number }).id;
}

/** A DSN run, locked in the statement that creates it: no other session ever sees it running and unlocked. */
export async function startLockedRun(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `with run as (insert into ingest_runs (kind) values ('dsn') returning id)
     select id, pg_advisory_lock(${RUN_LOCK_SPACE}, id::int) from run`,
  );
  return (rows[0] as { id: number }).id;
}

/** Frees the lock of startLockedRun: a pooled connection would otherwise keep the run looking alive. */
export async function unlockRun(client: pg.PoolClient, runId: number): Promise<void> {
  await client.query(`select pg_advisory_unlock(${RUN_LOCK_SPACE}, $1::int)`, [runId]);
}

/** Closes a run with its totals and its rejections, so the import history tells what happened. */
export async function finishRun(client: pg.PoolClient, runId: number, status: 'done' | 'failed', totals: RunTotals): Promise<void> {
  await client.query(
    `update ingest_runs set status = $2, finished_at = now(), files = $3, declarations = $4, replaced = $5,
       cancelled = $6, rows = $7, rejected = $8, warnings = $9,
       establishments_by_fallback = $10, establishments_unplaced = $11 where id = $1`,
    [
      runId,
      status,
      totals.files ?? 0,
      totals.declarations ?? 0,
      totals.replaced ?? 0,
      totals.cancelled ?? 0,
      totals.rows ?? 0,
      totals.rejected.length,
      totals.warnings?.length ?? 0,
      totals.placement?.placedByFallback ?? 0,
      totals.placement?.unplaced ?? 0,
    ],
  );
  const notes = [
    ...totals.rejected.map((note) => ({ note, kind: 'rejection' })),
    ...(totals.warnings ?? []).map((note) => ({ note, kind: 'warning' })),
  ];
  await copyInto(
    client,
    'ingest_rejections',
    ['run_id', 'kind', 'file', 'line', 'rubric', 'field', 'message'],
    notes.map(({ note: r, kind }) => [runId, kind, r.file ?? null, r.line ?? null, r.rubric ?? null, r.field ?? null, r.message]),
  );
}
