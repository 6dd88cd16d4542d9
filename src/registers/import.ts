import type pg from 'pg';
import type { CopyValue } from '../db/copy.js';
import { maskedNote } from '../dsn/rejection.js';
import { finishRun, startRun } from '../ingest/runs.js';
import { detectSeparator, readCsv, readHeaderLine, type Separator } from './csv.js';
import { recordFailedRun } from './failed-run.js';
import { type ColumnPositions, cellsOf, checkHeader, expectedHeader } from './header.js';
import { personFromNir } from './person.js';
import { checkRow } from './schemas.js';
import { copyToStaging, createStaging, removeDuplicates, stagingValues, upsertStaging } from './store.js';
import { NotUtf8Error } from './utf8.js';

// Import of a register uploaded by a structure: participants of a programme, or PASS IAE agréments.

export type RegisterKind = 'participants' | 'passes';
export type RegisterRejection = { line: number; field: string; message: string };
export type RegisterImportResult = { runId: number; rows: number; rejected: RegisterRejection[] };

/** Rows per COPY: enough to be fast, few enough that memory stays flat on large files. */
const COPY_BATCH_ROWS = 5_000;

type Loaded = { rows: number; rejected: RegisterRejection[] };

/**
 * Loads a register file in one transaction with its ingest run: good rows are upserted, every bad row is
 * reported with its line, column and a French message. A file that cannot be read as a whole (no header,
 * missing column, not UTF-8) loads nothing and gets one rejection. `rows` counts the register rows this run
 * inserted or changed, so re-importing the same file gives 0.
 */
export async function importRegister(pool: pg.Pool, kind: RegisterKind, file: string, nirKey: string): Promise<RegisterImportResult> {
  // Read before the transaction: a missing file is the caller's error, not an import to record.
  const separator = detectSeparator(await readHeaderLine(file));
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    const runId = await startRun(client, kind);
    const loaded = await loadFile(client, kind, file, separator, nirKey, runId);
    // A NIR typed in any column must not come back in clear: every rejection is masked before it is recorded.
    loaded.rejected = loaded.rejected.map(maskedNote).sort((a, b) => a.line - b.line);
    await finishRun(client, runId, 'done', { rows: loaded.rows, rejected: loaded.rejected.map((r) => ({ file, ...r })) });
    await client.query('commit');
    return { runId, ...loaded };
  } catch (error) {
    try {
      await client.query('rollback');
      // On the same connection: with a pool of one, asking for another would wait forever.
      await recordFailedRun(client, kind, file, error).catch(() => undefined);
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    // A connection that cannot even roll back is not given back to the pool.
    client.release(broken);
  }
}

async function loadFile(
  client: pg.PoolClient,
  kind: RegisterKind,
  file: string,
  separator: Separator,
  nirKey: string,
  runId: number,
): Promise<Loaded> {
  await createStaging(client, kind);
  const rejected: RegisterRejection[] = [];
  let header: { positions: ColumnPositions; width: number } | null = null;
  let batch: CopyValue[][] = [];
  try {
    for await (const item of readCsv(file, separator)) {
      if (item.kind === 'error') {
        rejected.push({ line: item.line, field: '', message: item.message });
        continue;
      }
      if (header === null) {
        const check = checkHeader(kind, item.fields, separator);
        if (!check.ok) return { rows: 0, rejected: [{ line: item.line, field: check.field, message: check.message }] };
        header = check;
        continue;
      }
      if (item.fields.length !== header.width) {
        rejected.push({ line: item.line, field: '', message: fieldCountMessage(item.fields.length, header.width, separator) });
        continue;
      }
      const result = checkRow(kind, cellsOf(item.fields, header.positions));
      if (!result.ok) {
        for (const error of result.errors) rejected.push({ line: item.line, ...error });
        continue;
      }
      const { row } = result;
      const person = personFromNir(nirKey, row.nir13, row.kind === 'participants' ? row.entryDate : row.startDate);
      batch.push(stagingValues(item.line, row, person));
      if (batch.length >= COPY_BATCH_ROWS) {
        await copyToStaging(client, kind, batch);
        batch = [];
      }
    }
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
    return { rows: 0, rejected: [{ line: error.line, field: '', message: error.message }] };
  }
  if (header === null) {
    return {
      rows: 0,
      rejected: [
        {
          line: 1,
          field: '',
          message: `fichier vide : une ligne d'en-tête est attendue (${expectedHeader(kind)}) puis une ligne par ${kind === 'participants' ? 'participant' : 'PASS IAE'}`,
        },
      ],
    };
  }
  await copyToStaging(client, kind, batch);
  for (const duplicate of await removeDuplicates(client, kind)) rejected.push(duplicate);
  return { rows: await upsertStaging(client, kind, runId), rejected };
}

function fieldCountMessage(count: number, expected: number, separator: Separator): string {
  return `la ligne a ${count} champ${count > 1 ? 's' : ''} au lieu de ${expected} comme l'en-tête : vérifiez les séparateurs « ${separator} » et les guillemets autour des valeurs qui en contiennent`;
}
