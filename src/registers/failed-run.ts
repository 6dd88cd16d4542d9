import type pg from 'pg';
import { maskNirLike } from '../dsn/rejection.js';
import { finishRun, startRun } from '../ingest/runs.js';
import type { RegisterKind } from './import.js';

/** After a rollback the import history still tells that this file was tried and why nothing was saved. */
export async function recordFailedRun(client: pg.PoolClient, kind: RegisterKind, file: string, error: unknown): Promise<void> {
  const detail = maskNirLike(error instanceof Error ? error.message : String(error));
  const runId = await startRun(client, kind);
  await finishRun(client, runId, 'failed', { rejected: [{ file, message: `import interrompu, rien n'a été enregistré : ${detail}` }] });
}
