import type pg from 'pg';
import { type CopyValue, copyInto } from '../db/copy.js';
import { finishRun, type RunTotals } from '../ingest/runs.js';
import { detectSeparator, readCsv, readHeaderLine, type Separator } from '../registers/csv.js';
import { NotUtf8Error } from '../registers/utf8.js';
import { checkChannel, checkExposureDate, checkSiret, todayInFrance } from './fields.js';

// `sillage import exposures`: the days employers were shown their score, one line each (siret,date,canal).

export const EXPOSURE_COLUMNS = ['siret', 'date', 'canal'] as const;
type ExposureColumn = (typeof EXPOSURE_COLUMNS)[number];

export type ExposureRejection = { line: number; field: string; message: string };
export type ExposuresImportResult = {
  runId: number;
  /** False when the file was refused as a whole: nothing was recorded. */
  loaded: boolean;
  /** Exposures recorded by this import. */
  recorded: number;
  /** Good lines already recorded (same SIRET, day and channel), by an earlier import or the form: kept once. */
  already: number;
  /** Rejected lines in line order; when refused, why. */
  rejected: ExposureRejection[];
};

const STAGING = 'exposures_staging';
const EXPECTED_HEADER = `${EXPOSURE_COLUMNS.join(',')} (séparateur , ou ;)`;

type Header = { positions: Record<ExposureColumn, number>; width: number };

function checkHeader(
  fields: readonly string[],
  separator: Separator,
): { ok: true; header: Header } | { ok: false; field: string; message: string } {
  const names = fields.map((field) => field.trim().toLowerCase());
  const positions: Partial<Record<ExposureColumn, number>> = {};
  for (const column of EXPOSURE_COLUMNS) {
    const first = names.indexOf(column);
    if (first !== -1 && names.indexOf(column, first + 1) !== -1) {
      return { ok: false, field: column, message: `colonne « ${column} » présente deux fois dans l'en-tête : gardez-en une seule` };
    }
    if (first !== -1) positions[column] = first;
  }
  const missing = EXPOSURE_COLUMNS.filter((column) => positions[column] === undefined);
  if (missing.length === 0) return { ok: true, header: { positions: positions as Record<ExposureColumn, number>, width: fields.length } };
  const named = missing.map((column) => `« ${column} »`).join(', ');
  return {
    ok: false,
    field: missing[0] as string,
    message: `${missing.length === 1 ? `colonne ${named} absente` : `colonnes ${named} absentes`} de l'en-tête (séparateur lu : « ${separator} ») : le fichier est refusé, rien n'est enregistré ; en-tête attendu ${EXPECTED_HEADER}`,
  };
}

type Read = { refused: ExposureRejection | null; rejected: ExposureRejection[] };

async function readIntoStaging(client: pg.PoolClient, file: string, separator: Separator, today: string): Promise<Read> {
  const rejected: ExposureRejection[] = [];
  const rows: CopyValue[][] = [];
  let header: Header | null = null;
  try {
    for await (const item of readCsv(file, separator)) {
      if (item.kind === 'error') {
        rejected.push({ line: item.line, field: '', message: item.message });
        continue;
      }
      if (header === null) {
        const check = checkHeader(item.fields, separator);
        if (!check.ok) return { refused: { line: item.line, field: check.field, message: check.message }, rejected: [] };
        header = check.header;
        continue;
      }
      if (item.fields.length !== header.width) {
        rejected.push({
          line: item.line,
          field: '',
          message: `la ligne a ${item.fields.length} champ(s) au lieu de ${header.width} comme l'en-tête : vérifiez les séparateurs « ${separator} » et les guillemets`,
        });
        continue;
      }
      const cell = (column: ExposureColumn) => item.fields[(header as Header).positions[column]] ?? '';
      const checks = [
        ['siret', checkSiret(cell('siret'))],
        ['date', checkExposureDate(cell('date'), today)],
        ['canal', checkChannel(cell('canal'))],
      ] as const;
      const errors = checks.flatMap(([field, check]) => (check.ok ? [] : [{ line: item.line, field, message: check.message }]));
      if (errors.length > 0) rejected.push(...errors);
      else rows.push([item.line, ...checks.map(([, check]) => (check.ok ? check.value : ''))]);
    }
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
    return { refused: { line: error.line, field: '', message: error.message }, rejected: [] };
  }
  if (header === null) {
    return {
      refused: {
        line: 1,
        field: '',
        message: `fichier vide : une ligne d'en-tête est attendue (${EXPECTED_HEADER}) puis une ligne par remise de score`,
      },
      rejected: [],
    };
  }
  // Exposure files are a few hundred lines: one COPY.
  await copyInto(client, STAGING, ['line', 'siret', 'exposed_on', 'channel'], rows);
  return { refused: null, rejected };
}

/** Lines whose establishment no DSN declares, taken out of staging. */
async function rejectUnknown(client: pg.PoolClient): Promise<ExposureRejection[]> {
  const { rows } = await client.query<{ line: number; siret: string }>(`
    delete from ${STAGING} s where not exists (select 1 from establishments e where e.siret = s.siret)
    returning s.line, s.siret`);
  return rows.map((r) => ({
    line: r.line,
    field: 'siret',
    message: `SIRET ${r.siret} inconnu : aucune DSN reçue ne déclare cet établissement ; vérifiez le numéro`,
  }));
}

async function startExposuresRun(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ id: number }>(`insert into ingest_runs (kind, files) values ('exposures', 1) returning id`);
  return (rows[0] as { id: number }).id;
}

async function recordFailedRun(client: pg.PoolClient, file: string, rejected: RunTotals['rejected']): Promise<number> {
  const runId = await startExposuresRun(client);
  await finishRun(client, runId, 'failed', { files: 1, rejected: rejected.map((r) => ({ file, ...r })) });
  return runId;
}

export type ExposuresImportOptions = { today?: string; recordedBy?: number | null };

/**
 * Loads exposures (columns siret, date, canal; others ignored; `,` or `;`; optional BOM). Bad lines are rejected
 * with their line and a French message (bad or unknown SIRET, bad or future date, empty channel); the others are
 * recorded with source `import` in one transaction recorded in ingest_runs. A file without one of the columns,
 * not in UTF-8, or without any good line is refused as a whole.
 */
export async function importExposures(
  pool: pg.Pool,
  file: string,
  { today = todayInFrance(), recordedBy = null }: ExposuresImportOptions = {},
): Promise<ExposuresImportResult> {
  // Read before the transaction: a missing file is the caller's error, not an import to record.
  const separator = detectSeparator(await readHeaderLine(file));
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    const runId = await startExposuresRun(client);
    await client.query(
      `create temp table ${STAGING} (line integer primary key, siret text not null, exposed_on date not null, channel text not null) on commit drop`,
    );
    const read = await readIntoStaging(client, file, separator, today);
    const rejected = read.refused ? [read.refused] : [...read.rejected, ...(await rejectUnknown(client))].sort((a, b) => a.line - b.line);
    const staged = read.refused ? 0 : Number((await client.query<{ n: number }>(`select count(*)::int as n from ${STAGING}`)).rows[0]?.n);
    if (staged === 0) {
      await client.query('rollback');
      const refusal = read.refused
        ? rejected
        : [{ line: 1, field: '', message: "aucune ligne valable : le fichier est refusé, rien n'est enregistré" }, ...rejected];
      return { runId: await recordFailedRun(client, file, refusal), loaded: false, recorded: 0, already: 0, rejected: refusal };
    }
    const inserted = await client.query(
      `insert into score_exposures (siret, exposed_on, channel, source, recorded_by, run_id)
       select siret, exposed_on, channel, 'import', $1, $2 from ${STAGING} order by line
       on conflict (siret, exposed_on, channel) do nothing`,
      [recordedBy, runId],
    );
    const recorded = inserted.rowCount ?? 0;
    await finishRun(client, runId, 'done', { files: 1, rows: recorded, rejected: rejected.map((r) => ({ file, ...r })) });
    await client.query('commit');
    return { runId, loaded: true, recorded, already: staged - recorded, rejected };
  } catch (error) {
    try {
      await client.query('rollback');
      const detail = error instanceof Error ? error.message : String(error);
      await recordFailedRun(client, file, [
        { line: 1, field: '', message: `import interrompu, rien n'a été enregistré : ${detail}` },
      ]).catch(() => undefined);
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
