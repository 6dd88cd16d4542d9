import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { MATERIALIZED_VIEWS } from './refresh.js';

export type IndicatorFreshness = { view: string; refreshedAt: Date | null; lastRunId: number | null; stale: boolean };

/** Each indicator view, in refresh order: when it was refreshed, the latest load it reflects, and whether it is behind. */
export async function indicatorFreshness(db: Kysely<Database>): Promise<IndicatorFreshness[]> {
  const rows = await db.selectFrom('indicator_freshness').selectAll().execute();
  const order = (view: string) => (MATERIALIZED_VIEWS as readonly string[]).indexOf(view);
  return rows
    .sort((a, b) => order(a.view_name) - order(b.view_name))
    .map((row) => ({ view: row.view_name, refreshedAt: row.refreshed_at, lastRunId: row.last_run_id, stale: row.stale }));
}
