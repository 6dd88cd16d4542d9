import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { ParsedDeclaration } from '../dsn/declaration.js';
import { checkEnvelope } from '../dsn/envelope.js';
import { forEachLineBatch } from '../dsn/lines.js';
import { DsnParser } from '../dsn/parser.js';
import { DsnLineError, type DsnRejection } from '../dsn/rejection.js';
import { type BatchResult, type PendingDeclaration, prepareBatchConnection, writeBatch } from './batch-writer.js';
import { resolveEndDates } from './facts.js';
import { expandInputs } from './files.js';
import { finishRun, startRun } from './runs.js';

export type IngestProgress = { bytesRead: number; bytesTotal: number; declarations: number; file: string };

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
};

const DEFAULT_BATCH_LINES = 50_000;
const IN_MEMORY_FILE_BYTES = 8 * 1024 * 1024;
const ANALYZE_LOADED_TABLES = `analyze declarations, persons, establishments, declared_contracts, declared_contract_ends,
  declared_work_stoppages, declared_suspensions, contract_hours, contracts, contract_ends, work_stoppages, suspensions`;

/** Files and folders of DSN into the database; bad files and declarations are reported, good ones load. */
export async function ingestDsn(pool: pg.Pool, inputs: string[], options: IngestOptions): Promise<IngestSummary> {
  const files = await expandInputs(inputs);
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const client = await pool.connect();
  const runId = await startRun(client, 'dsn');
  const summary: IngestSummary = {
    runId,
    files: files.length,
    declarations: 0,
    replaced: 0,
    cancelled: 0,
    persons: 0,
    contracts: 0,
    lines: 0,
    rejected: [],
  };
  let pending: PendingDeclaration[] = [];
  let pendingLines = 0;
  let bytesDone = 0;
  const batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;

  const absorb = (result: BatchResult) => {
    summary.declarations += result.declarations;
    summary.lines += result.lines;
    summary.replaced += result.replaced;
    summary.cancelled += result.cancelled;
  };
  let batches = 0;
  let nextAnalyzeAt = 2;
  const write = async (batch: PendingDeclaration[]) => {
    // Tables that grow from empty need fresh statistics, or the planner keeps its empty-table plans.
    if (++batches === nextAnalyzeAt) {
      nextAnalyzeAt *= 4;
      await client.query(ANALYZE_LOADED_TABLES);
    }
    try {
      absorb(await writeBatch(client, batch, runId, options.nirKey));
    } catch {
      // One faulty declaration must not sink its neighbours: retry them one by one to find it.
      for (const one of batch) {
        try {
          absorb(await writeBatch(client, [one], runId, options.nirKey));
        } catch (error) {
          summary.rejected.push(databaseRejection(one.declaration, error));
        }
      }
    }
  };
  // The database writes one batch while the next one is parsed: both cores work.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    if (pending.length === 0) return;
    writing = write(pending);
    pending = [];
    pendingLines = 0;
  };

  try {
    await prepareBatchConnection(client);
    for (const file of files) {
      // Small files (most DSN: one establishment, one month) are read once, for both passes.
      const preloaded = file.size <= IN_MEMORY_FILE_BYTES ? readFileSync(file.path) : undefined;
      const envelope = await checkEnvelope(file.path, preloaded);
      if (!envelope.ok) {
        summary.rejected.push(envelope.rejection);
        bytesDone += file.size;
        continue;
      }
      const parser = new DsnParser(file.path, {
        declaration: (declaration) => {
          pending.push({ declaration, fileChecksum: envelope.checksum });
          pendingLines += declaration.lineCount;
        },
        rejection: (rejection) => summary.rejected.push(rejection),
      });
      let fileBytes = 0;
      try {
        await forEachLineBatch(
          file.path,
          async (lines, first, chunkBytes) => {
            parser.push(lines, first);
            fileBytes += chunkBytes;
            if (pendingLines >= batchLines) await flush();
            options.onProgress?.({
              bytesRead: bytesDone + fileBytes,
              bytesTotal,
              declarations: summary.declarations + pending.length,
              file: file.path,
            });
          },
          preloaded,
        );
        parser.end();
      } catch (error) {
        if (!(error instanceof DsnLineError)) throw error;
        summary.rejected.push({
          file: file.path,
          line: error.line,
          rubric: error.rubric,
          message: `en-tête d'envoi illisible : ${error.message}`,
        });
      }
      bytesDone += file.size;
    }
    await flush();
    await writing;
    await resolveEndDates(client);
    Object.assign(summary, await countRunFacts(client, runId));
    await finishRun(client, runId, 'done', summary);
    return summary;
  } catch (error) {
    await finishRun(client, runId, 'failed', summary).catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
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

function databaseRejection(declaration: ParsedDeclaration, error: unknown): DsnRejection {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    file: declaration.file,
    line: declaration.line,
    rubric: 'S20.G00.05.001',
    message: `déclaration refusée par la base de données (${detail}) ; rien n'en a été enregistré`,
  };
}
