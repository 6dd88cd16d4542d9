import type pg from 'pg';
import { type DsnRejection, maskedNote } from '../dsn/rejection.js';
import { type BatchResult, writeBatch } from './batch-writer.js';
import type { DeclarationMeta, EncodedBatch } from './encoded-batch.js';
import { countRunPlacements } from './establishments.js';
import { resolveRunFacts } from './facts.js';
import { surveyInputs } from './files.js';
import { parseInWorker } from './parse-source.js';
import { finishRun, startLockedRun, unlockRun } from './runs.js';

export type IngestProgress = { bytesRead: number; bytesTotal: number; declarations: number };

export type IngestOptions = {
  nirKey: string;
  /** Declarations are written in transactions of about this many DSN lines. */
  batchLines?: number;
  onProgress?: (progress: IngestProgress) => void;
};

export type IngestSummary = {
  runId: number;
  files: number;
  declarations: number;
  replaced: number;
  cancelled: number;
  persons: number;
  contracts: number;
  lines: number;
  rejected: DsnRejection[];
  warnings: DsnRejection[];
  placement: { placedByFallback: number; unplaced: number };
};

const DEFAULT_BATCH_LINES = 200_000;
const ANALYZE_LOADED_TABLES = `analyze declarations, declared_persons, declared_contracts, declared_contract_ends,
  declared_work_stoppages, declared_suspensions, contract_hours`;

/** Files and folders of DSN into the database; bad files and declarations are reported, good ones load. */
export async function ingestDsn(pool: pg.Pool, inputs: string[], options: IngestOptions): Promise<IngestSummary> {
  const survey = await surveyInputs(inputs);
  const client = await pool.connect();
  const runId = await startLockedRun(client);
  const summary: IngestSummary = {
    runId,
    files: survey.files,
    declarations: 0,
    replaced: 0,
    cancelled: 0,
    persons: 0,
    contracts: 0,
    lines: 0,
    rejected: [],
    warnings: [],
    placement: { placedByFallback: 0, unplaced: 0 },
  };
  const batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
  const absorb = (result: BatchResult) => {
    summary.declarations += result.declarations;
    summary.lines += result.lines;
    summary.replaced += result.replaced;
    summary.cancelled += result.cancelled;
  };
  let batches = 0;
  let nextAnalyzeAt = 2;
  const declarationsBefore = await estimatedDeclarations(client);
  const write = async (batch: EncodedBatch) => {
    // Tables that grow from empty need fresh statistics, or the planner keeps its empty-table plans. Tables
    // the run has not yet doubled keep plans that still fit, and sampling them costs seconds.
    if (++batches === nextAnalyzeAt) {
      nextAnalyzeAt *= 4;
      if (summary.declarations >= declarationsBefore) await client.query(ANALYZE_LOADED_TABLES);
    }
    try {
      absorb(await writeBatch(client, batch));
    } catch {
      // One faulty declaration must not sink its neighbours: retry them one by one to find it.
      for (const [index, declaration] of batch.declarations.entries()) {
        try {
          absorb(await writeBatch(client, batch, [index]));
        } catch (error) {
          summary.rejected.push(maskedNote(databaseRejection(declaration, error)));
        }
      }
    }
  };

  try {
    // Parsing runs in a worker thread a few batches ahead: the database and the parser work at once.
    const request = { inputs, runId, nirKey: options.nirKey, batchLines };
    const parsed = parseInWorker(request, survey.largest, (bytesRead, declarations) =>
      options.onProgress?.({ bytesRead, bytesTotal: survey.bytes, declarations }),
    );
    for await (const { batch, rejected, warnings } of parsed) {
      // Every rejection and warning is masked here, before it is recorded, printed or shown.
      for (const rejection of rejected) summary.rejected.push(maskedNote(rejection));
      for (const warning of warnings) summary.warnings.push(maskedNote(warning));
      if (batch.declarations.length > 0) await write(batch);
    }
    await resolveRunFacts(client, runId);
    Object.assign(summary, await countRunFacts(client, runId));
    summary.placement = await countRunPlacements(client, runId);
    await finishRun(client, runId, 'done', summary);
    return summary;
  } catch (error) {
    await finishRun(client, runId, 'failed', summary).catch(() => undefined);
    throw error;
  } finally {
    // A connection that cannot free the run's lock is closed, which frees it.
    const unlocked = await unlockRun(client, runId).then(
      () => true,
      () => false,
    );
    client.release(!unlocked);
  }
}

/** The planner's count of declarations already loaded: 0 for a table never analysed. */
async function estimatedDeclarations(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ count: number }>(
    `select greatest(reltuples, 0)::float8 as count from pg_class where oid = 'declarations'::regclass`,
  );
  return rows[0]?.count ?? 0;
}

/** Distinct persons and contracts in the declarations this run loaded, counted by the database. */
async function countRunFacts(client: pg.PoolClient, runId: number): Promise<{ persons: number; contracts: number }> {
  const { rows } = await client.query<{ persons: number; contracts: number }>(
    `select count(distinct c.person_key)::int as persons, count(distinct c.contract_key)::int as contracts
     from declarations d join declared_contracts c on c.declaration_id = d.id where d.run_id = $1`,
    [runId],
  );
  return rows[0] ?? { persons: 0, contracts: 0 };
}

function databaseRejection(declaration: DeclarationMeta, error: unknown): DsnRejection {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    file: declaration.file,
    line: declaration.line,
    rubric: 'S20.G00.05.001',
    message: `déclaration refusée par la base de données (${detail}) ; rien n'en a été enregistré`,
  };
}
