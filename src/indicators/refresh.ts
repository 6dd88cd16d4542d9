import type pg from 'pg';
import { readIndicatorSettings, writeIndicatorSettings } from './settings.js';

/** Materialized views, each after those it reads. */
export const MATERIALIZED_VIEWS = [
  'person_months',
  'iae_pass_months',
  'iae_pass_counters',
  'programme_outcomes',
  'employer_hires',
  'employer_engagement',
  'employer_engagement_history',
] as const;

/**
 * Recomputes every indicator. CONCURRENTLY: pages keep reading the previous rows until each view is swapped,
 * at the cost of a diff against them. Returns the seconds each view took.
 */
export async function refreshIndicators(pool: pg.Pool): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const client = await pool.connect();
  try {
    // Two refreshes at once would each wait on the other's locks: one at a time.
    await client.query(`select pg_advisory_lock(hashtext('sillage-refresh'))`);
    try {
      await writeIndicatorSettings(client, readIndicatorSettings());
      for (const view of MATERIALIZED_VIEWS) {
        const started = performance.now();
        await client.query(`refresh materialized view concurrently ${view}`);
        timings[view] = (performance.now() - started) / 1000;
      }
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('sillage-refresh'))`);
    }
  } finally {
    client.release();
  }
  return timings;
}
