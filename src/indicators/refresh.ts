import type pg from 'pg';
import { readIndicatorSettings, writeIndicatorSettings } from './settings.js';

/**
 * Materialized views in two lanes refreshed side by side, each view after those it reads: `person_months`
 * reads none of the others, and takes about as long as all of them.
 */
export const REFRESH_LANES = [
  ['person_months'],
  ['iae_pass_months', 'iae_pass_counters', 'programme_outcomes', 'employer_hires', 'employer_engagement', 'employer_engagement_history'],
] as const;

/** Every materialized view, each after those it reads. */
export const MATERIALIZED_VIEWS = REFRESH_LANES.flat();

// CONCURRENTLY compares the new rows with the previous ones in one full join: with PostgreSQL's default 4 MB it
// spills to disk (person_months, one month more on 100k x 24: 56 s, 37 s with 256 MB, no better with 1 GB).
const REFRESH_WORK_MEM = '256MB';

const ignoreError = () => undefined;

/** Notified after every refresh: web servers drop the indicator reads they keep in memory. */
export const INDICATORS_CHANNEL = 'sillage_indicators';

export type RefreshTimings = { seconds: number; views: Record<string, number> };
/** Also the views that were behind their loads or settings when it began. */
export type RefreshResult = RefreshTimings & { stale: string[] };

/** What the views reflect once refreshed, read before any of them begins (indicator_inputs, in the migrations). */
type RefreshInputs = { loads: number; last_run_id: number | null; settings_checksum: string };

/**
 * Recomputes every indicator. CONCURRENTLY: pages keep reading the previous rows until each view is swapped,
 * at the cost of a diff against them; a view left unpopulated (a restored dump) is filled plainly, after those
 * it reads. Each view is recorded in indicator_refreshes in its refresh's transaction, so an interrupted refresh
 * leaves the views it did not reach marked stale (indicator_freshness) until the next one.
 */
export async function refreshIndicators(pool: pg.Pool): Promise<RefreshResult> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const stale: string[] = [];
  const client = await pool.connect();
  // A connection ended mid-refresh (pg_terminate_backend) fails its query; its 'error' event must not also crash us.
  client.on('error', ignoreError);
  try {
    // Two refreshes at once would each wait on the other's locks: one at a time.
    await client.query(`select pg_advisory_lock(hashtext('sillage-refresh'))`);
    try {
      await writeIndicatorSettings(client, readIndicatorSettings());
      const behind = await client.query<{ view_name: string }>('select view_name from indicator_freshness where stale');
      stale.push(...MATERIALIZED_VIEWS.filter((view) => behind.rows.some((row) => row.view_name === view)));
      const inputs = (await client.query<RefreshInputs>('select loads, last_run_id, settings_checksum from indicator_inputs'))
        .rows[0] as RefreshInputs;
      // Both lanes end before the lock is released, even when one fails.
      const lanes = await Promise.allSettled(REFRESH_LANES.map((lane, i) => refreshLane(i === 0 ? client : pool, lane, inputs, timings)));
      for (const lane of lanes) if (lane.status === 'rejected') throw lane.reason;
      // Servers keep indicator reads in memory until told the indicators changed.
      await client.query(`notify ${INDICATORS_CHANNEL}`);
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('sillage-refresh'))`);
    }
  } finally {
    client.off('error', ignoreError);
    client.release();
  }
  const views = Object.fromEntries(MATERIALIZED_VIEWS.map((view) => [view, timings[view] as number]));
  return { seconds: (performance.now() - started) / 1000, views, stale };
}

/** One lane's views in order, on its own connection: the lock holder's, or one from the pool. */
async function refreshLane(
  source: pg.PoolClient | pg.Pool,
  lane: readonly string[],
  inputs: RefreshInputs,
  timings: Record<string, number>,
): Promise<void> {
  const client = 'release' in source ? source : await source.connect();
  if (client !== source) client.on('error', ignoreError);
  try {
    await client.query(`set work_mem = '${REFRESH_WORK_MEM}'`);
    for (const view of lane) {
      const started = performance.now();
      await client.query('begin');
      try {
        // A restored database can hold unpopulated views (pg_restore misses dependencies hidden in functions):
        // CONCURRENTLY needs rows to compare with, and nothing can read an unpopulated view meanwhile anyway.
        const { rows } = await client.query<{ populated: boolean }>(
          'select relispopulated as populated from pg_class where oid = $1::regclass',
          [view],
        );
        await client.query(`refresh materialized view ${rows[0]?.populated ? 'concurrently ' : ''}${view}`);
        await client.query(
          `insert into indicator_refreshes (view_name, refreshed_at, loads, last_run_id, settings_checksum) values ($1, now(), $2, $3, $4)
           on conflict (view_name) do update set refreshed_at = excluded.refreshed_at, loads = excluded.loads,
             last_run_id = excluded.last_run_id, settings_checksum = excluded.settings_checksum`,
          [view, inputs.loads, inputs.last_run_id, inputs.settings_checksum],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
      timings[view] = (performance.now() - started) / 1000;
    }
  } finally {
    // Pooled connections go back to serving pages with the server's setting, or are closed.
    const reset = await client.query('reset work_mem').then(
      () => true,
      () => false,
    );
    if (client !== source) {
      client.off('error', ignoreError);
      client.release(!reset);
    }
  }
}
