import { open } from 'node:fs/promises';
import type pg from 'pg';
import { type CopyValue, copyInto } from '../db/copy.js';
import { INDICATORS_CHANNEL } from '../indicators/refresh.js';
import { finishRun, type RunTotals } from '../ingest/runs.js';
import { detectSeparator, readCsv, type Separator, stripBom } from '../registers/csv.js';
import { NotUtf8Error } from '../registers/utf8.js';

// INSEE's commune to zone d'emploi file (ZE2020) replaces the previous zones as a whole, in one transaction.

export const ZONE_COLUMNS = ['CODGEO', 'ZE2020', 'LIBZE2020'] as const;
type ZoneColumn = (typeof ZONE_COLUMNS)[number];

export type ZoneRejection = { line: number; field: string; message: string };
export type ZonesImportResult = {
  runId: number;
  /** False when the file was refused as a whole: nothing changed, the previous zones are kept. */
  loaded: boolean;
  /** Zones and communes now loaded (0 when refused). */
  zones: number;
  communes: number;
  /** Rejected lines, in line order; when refused, why. */
  rejected: ZoneRejection[];
};

const STAGING = 'zones_staging';
const COPY_BATCH_ROWS = 5_000;
const HEADER_PROBE_BYTES = 64 * 1024;
const MAX_NAME_LENGTH = 200;
const EXPECTED_HEADER = `${ZONE_COLUMNS.join(';')} (d'autres colonnes peuvent s'y ajouter, séparateur ; ou ,)`;

/**
 * INSEE's spreadsheet puts a few title lines above the header: the header is the first line naming CODGEO
 * (else the first line), and the separator is read from it.
 */
async function findHeader(file: string): Promise<{ line: number; separator: Separator }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_PROBE_BYTES, 0);
    const lines = stripBom(buffer.subarray(0, bytesRead).toString('utf8')).split(/\r\n|\n|\r/);
    const index = Math.max(
      0,
      lines.findIndex((text) => /(^|[;,"\s])codgeo([;,"\s]|$)/i.test(text)),
    );
    return { line: index + 1, separator: detectSeparator(lines[index] ?? '') };
  } finally {
    await handle.close();
  }
}

type Header = { positions: Record<ZoneColumn, number>; width: number };

function checkHeader(
  fields: readonly string[],
  separator: Separator,
): { ok: true; header: Header } | { ok: false; rejection: Omit<ZoneRejection, 'line'> } {
  const names = fields.map((field) => field.trim().toUpperCase());
  const positions: Partial<Record<ZoneColumn, number>> = {};
  for (const column of ZONE_COLUMNS) {
    const first = names.indexOf(column);
    if (first !== -1 && names.indexOf(column, first + 1) !== -1) {
      return {
        ok: false,
        rejection: { field: column, message: `colonne « ${column} » présente deux fois dans l'en-tête : gardez-en une seule` },
      };
    }
    if (first !== -1) positions[column] = first;
  }
  const missing = ZONE_COLUMNS.filter((column) => positions[column] === undefined);
  if (missing.length === 0) return { ok: true, header: { positions: positions as Record<ZoneColumn, number>, width: fields.length } };
  const named = missing.map((column) => `« ${column} »`).join(', ');
  return {
    ok: false,
    rejection: {
      field: missing[0] as string,
      message: `${missing.length === 1 ? `colonne ${named} absente` : `colonnes ${named} absentes`} de l'en-tête (séparateur lu : « ${separator} ») : le fichier est refusé, les zones d'emploi précédentes sont conservées ; en-tête attendu ${EXPECTED_HEADER}`,
    },
  };
}

type Checked = { ok: true; row: [string, string, string] } | { ok: false; errors: Omit<ZoneRejection, 'line'>[] };

const quoted = (raw: string) => `« ${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw} »`;

function checkLine(fields: readonly string[], { positions }: Header): Checked {
  const commune = (fields[positions.CODGEO] ?? '').trim().toUpperCase();
  const zone = (fields[positions.ZE2020] ?? '').trim();
  const name = (fields[positions.LIBZE2020] ?? '').trim().replace(/\s+/g, ' ');
  const errors: Omit<ZoneRejection, 'line'>[] = [];
  if (!/^(\d{5}|2[AB]\d{3})$/.test(commune)) {
    errors.push({
      field: 'CODGEO',
      message:
        commune === ''
          ? 'CODGEO manquant : le code INSEE de la commune (5 caractères) est attendu'
          : `CODGEO : ${quoted(commune)} n'est pas un code de commune : 5 caractères attendus, par exemple 59350 ou 2A004 (un tableur retire parfois le zéro de tête)`,
    });
  }
  if (!/^\d{4}$/.test(zone)) {
    errors.push({
      field: 'ZE2020',
      message:
        zone === ''
          ? "ZE2020 manquant : le code de la zone d'emploi (4 chiffres) est attendu"
          : `ZE2020 : ${quoted(zone)} n'est pas un code de zone d'emploi : 4 chiffres attendus, par exemple 0051 (un tableur retire parfois le zéro de tête)`,
    });
  }
  if (name === '') errors.push({ field: 'LIBZE2020', message: "LIBZE2020 manquant : le nom de la zone d'emploi est attendu" });
  else if (name.length > MAX_NAME_LENGTH)
    errors.push({ field: 'LIBZE2020', message: `LIBZE2020 trop long : ${MAX_NAME_LENGTH} caractères au plus` });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, row: [commune, zone, name] };
}

type Read = { refused: ZoneRejection | null; rejected: ZoneRejection[] };

/** Checks every line and copies the good ones into the staging table. */
async function readIntoStaging(client: pg.PoolClient, file: string, start: { line: number; separator: Separator }): Promise<Read> {
  const { separator } = start;
  const rejected: ZoneRejection[] = [];
  let header: Header | null = null;
  let batch: CopyValue[][] = [];
  try {
    for await (const item of readCsv(file, separator)) {
      if (item.line < start.line) continue;
      if (item.kind === 'error') {
        rejected.push({ line: item.line, field: '', message: item.message });
        continue;
      }
      if (header === null) {
        const check = checkHeader(item.fields, separator);
        if (!check.ok) return { refused: { line: item.line, ...check.rejection }, rejected: [] };
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
      const checked = checkLine(item.fields, header);
      if (!checked.ok) {
        for (const error of checked.errors) rejected.push({ line: item.line, ...error });
        continue;
      }
      batch.push([item.line, ...checked.row]);
      if (batch.length >= COPY_BATCH_ROWS) {
        await copyInto(client, STAGING, ['line', 'insee_code', 'zone_code', 'zone_name'], batch);
        batch = [];
      }
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
        message: `fichier vide : une ligne d'en-tête est attendue (${EXPECTED_HEADER}) puis une ligne par commune`,
      },
      rejected: [],
    };
  }
  await copyInto(client, STAGING, ['line', 'insee_code', 'zone_code', 'zone_name'], batch);
  return { refused: null, rejected };
}

/** Lines the database refuses, taken out of staging: repeated commune, unknown commune, zone named two ways. */
async function rejectInStaging(client: pg.PoolClient): Promise<ZoneRejection[]> {
  const repeated = await client.query<{ line: number; insee_code: string; first_line: number }>(`
    delete from ${STAGING} s
    using (select line, min(line) over (partition by insee_code) as first_line from ${STAGING}) d
    where s.line = d.line and d.line <> d.first_line
    returning s.line, s.insee_code, d.first_line`);
  const unknown = await client.query<{ line: number; insee_code: string }>(`
    delete from ${STAGING} s where not exists (select 1 from communes c where c.insee_code = s.insee_code)
    returning s.line, s.insee_code`);
  const renamed = await client.query<{ line: number; zone_code: string; zone_name: string; first_name: string; first_line: number }>(`
    delete from ${STAGING} s
    using (
      select line, first_value(zone_name) over w as first_name, first_value(line) over w as first_line
      from ${STAGING} window w as (partition by zone_code order by line)
    ) d
    where s.line = d.line and s.zone_name <> d.first_name
    returning s.line, s.zone_code, s.zone_name, d.first_name, d.first_line`);
  return [
    ...repeated.rows.map((r) => ({
      line: r.line,
      field: 'CODGEO',
      message: `commune ${r.insee_code} déjà rattachée à une zone ligne ${r.first_line} : une seule ligne par commune est attendue`,
    })),
    ...unknown.rows.map((r) => ({
      line: r.line,
      field: 'CODGEO',
      message: `commune ${r.insee_code} inconnue du référentiel des communes : vérifiez le code, ou le millésime du fichier (communes fusionnées ou créées depuis)`,
    })),
    ...renamed.rows.map((r) => ({
      line: r.line,
      field: 'LIBZE2020',
      message: `zone ${r.zone_code} nommée ${quoted(r.zone_name)} alors qu'elle s'appelle ${quoted(r.first_name)} ligne ${r.first_line} : un seul nom par zone est attendu`,
    })),
  ];
}

/** Previous zones out, staged ones in: readers see either the old or the new content, never a mix. */
async function replaceZones(client: pg.PoolClient): Promise<{ zones: number; communes: number }> {
  await client.query('delete from commune_employment_zones');
  await client.query('delete from employment_zones');
  const zones = await client.query(
    `insert into employment_zones (code, name) select distinct on (zone_code) zone_code, zone_name from ${STAGING} order by zone_code, line`,
  );
  const communes = await client.query(
    `insert into commune_employment_zones (insee_code, zone_code) select insee_code, zone_code from ${STAGING}`,
  );
  return { zones: zones.rowCount ?? 0, communes: communes.rowCount ?? 0 };
}

async function startZonesRun(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ id: number }>(`insert into ingest_runs (kind, files) values ('zones', 1) returning id`);
  return (rows[0] as { id: number }).id;
}

/** A refused or interrupted import leaves its trace in the import history, outside the rolled-back transaction. */
async function recordFailedRun(client: pg.PoolClient, file: string, rejected: RunTotals['rejected']): Promise<number> {
  const runId = await startZonesRun(client);
  await finishRun(client, runId, 'failed', { files: 1, rejected: rejected.map((r) => ({ file, ...r })) });
  return runId;
}

/**
 * Loads INSEE's commune to zone d'emploi file (columns CODGEO, ZE2020, LIBZE2020; others ignored; `;` or `,`;
 * optional BOM). Bad lines are rejected with their line and a French message, the others replace the previous
 * zones in one transaction recorded in ingest_runs. A file without one of the columns, not in UTF-8, or without
 * any good line is refused as a whole: the previous zones stay.
 */
export async function importZones(pool: pg.Pool, file: string): Promise<ZonesImportResult> {
  // Read before the transaction: a missing file is the caller's error, not an import to record.
  const start = await findHeader(file);
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    const runId = await startZonesRun(client);
    await client.query(
      `create temp table ${STAGING} (line integer primary key, insee_code text not null, zone_code text not null, zone_name text not null) on commit drop`,
    );
    const read = await readIntoStaging(client, file, start);
    const rejected = read.refused ? [read.refused] : [...read.rejected, ...(await rejectInStaging(client))].sort((a, b) => a.line - b.line);
    const staged = read.refused ? 0 : Number((await client.query<{ n: number }>(`select count(*)::int as n from ${STAGING}`)).rows[0]?.n);
    if (staged === 0) {
      await client.query('rollback');
      const refusal = read.refused
        ? rejected
        : [
            {
              line: start.line,
              field: '',
              message: "aucune ligne valable : le fichier est refusé, les zones d'emploi précédentes sont conservées",
            },
            ...rejected,
          ];
      return { runId: await recordFailedRun(client, file, refusal), loaded: false, zones: 0, communes: 0, rejected: refusal };
    }
    const loaded = await replaceZones(client);
    const totals: RunTotals = { files: 1, rows: loaded.communes, rejected: rejected.map((r) => ({ file, ...r })) };
    await finishRun(client, runId, 'done', totals);
    // Employer lists filtered by zone change: servers drop what they keep in memory (sent at commit).
    await client.query(`notify ${INDICATORS_CHANNEL}`);
    await client.query('commit');
    return { runId, loaded: true, ...loaded, rejected };
  } catch (error) {
    try {
      await client.query('rollback');
      const detail = error instanceof Error ? error.message : String(error);
      await recordFailedRun(client, file, [{ message: `import interrompu, rien n'a été enregistré : ${detail}` }]).catch(() => undefined);
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    // A connection that cannot even roll back is not given back to the pool.
    client.release(broken);
  }
}
