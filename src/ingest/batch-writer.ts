import type pg from 'pg';
import { copyEncoded } from '../db/copy.js';
import { resolveDeclarationStatuses } from './declaration-status.js';
import { type DeclarationMeta, type EncodedBatch, tableSlices } from './encoded-batch.js';
import { COLUMNS, type TableName } from './rows.js';

/** What a batch added: declarations not loaded before, their lines, and the earlier ones they superseded. */
export type BatchResult = { declarations: number; lines: number; replaced: number; cancelled: number };

// Staging for the two tables upserted with a newer-wins guard; temp tables live as long as the connection.
const CREATE_STAGING = `
  create temp table if not exists staging_persons (
    declaration_id bigint, person_key bytea, identified_by text, sex text, birth_year smallint, birth_month smallint,
    birth_date date, last_name text, first_names text, education_level text, declared_month date
  ) on commit delete rows;
  create temp table if not exists staging_establishments (
    declaration_id bigint, siret text, siren text, naf_code text, company_naf_code text, postal_code text, town text,
    declared_month date
  ) on commit delete rows;`;

// Where each kind of row goes: persons and establishments through staging, the rest straight to their table.
const DESTINATIONS: [TableName, string][] = [
  ['declarations', 'declarations'],
  ['persons', 'staging_persons'],
  ['establishments', 'staging_establishments'],
  ['contracts', 'declared_contracts'],
  ['contractEnds', 'declared_contract_ends'],
  ['workStoppages', 'declared_work_stoppages'],
  ['suspensions', 'declared_suspensions'],
  ['hours', 'contract_hours'],
];

const PERSON_ATTRIBUTES = COLUMNS.persons.filter((c) => !['person_key', 'declared_month', 'declaration_id'].includes(c));
const newer = (table: string, column: string) =>
  `${column} = case when excluded.last_declared_month >= coalesce(${table}.last_declared_month, excluded.last_declared_month) then excluded.${column} else ${table}.${column} end`;

const UPSERT_PERSONS = `
  insert into persons (person_key, ${PERSON_ATTRIBUTES.join(', ')}, first_declared_month, last_declared_month)
  select distinct on (person_key) person_key, ${PERSON_ATTRIBUTES.join(', ')},
    min(declared_month) over (partition by person_key), declared_month
  from staging_persons
  order by person_key, declared_month desc, declaration_id desc
  on conflict (person_key) do update set
    ${PERSON_ATTRIBUTES.map((c) => newer('persons', c)).join(',\n    ')},
    first_declared_month = least(persons.first_declared_month, excluded.first_declared_month),
    last_declared_month = greatest(persons.last_declared_month, excluded.last_declared_month)`;

const ESTABLISHMENT_ATTRIBUTES = [
  'siren',
  'naf_code',
  'company_naf_code',
  'postal_code',
  'town',
  'commune_insee_code',
  'departement_code',
  'region_code',
];
const normalizedName = (column: string) =>
  `upper(translate(${column}, 'àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ-''', 'aaaeeeeiioouuucAAAEEEEIIOOUUUC  '))`;

// The commune comes from the postal code; the town label picks among communes sharing it, else the largest.
const UPSERT_ESTABLISHMENTS = `
  insert into establishments (siret, ${ESTABLISHMENT_ATTRIBUTES.join(', ')}, first_declared_month, last_declared_month)
  select s.siret, s.siren, s.naf_code, s.company_naf_code, s.postal_code, s.town,
    commune.insee_code, commune.departement_code, commune.region_code, s.first_month, s.declared_month
  from (
    select distinct on (siret) *, min(declared_month) over (partition by siret) as first_month
    from staging_establishments order by siret, declared_month desc, declaration_id desc
  ) s
  left join lateral (
    select c.insee_code, c.departement_code, c.region_code
    from commune_postal_codes p join communes c using (insee_code)
    where p.postal_code = s.postal_code
    order by ${normalizedName('c.name')} = ${normalizedName('s.town')} desc, c.population desc nulls last
    limit 1
  ) commune on true
  on conflict (siret) do update set
    ${ESTABLISHMENT_ATTRIBUTES.map((c) => newer('establishments', c)).join(',\n    ')},
    first_declared_month = least(establishments.first_declared_month, excluded.first_declared_month),
    last_declared_month = greatest(establishments.last_declared_month, excluded.last_declared_month)`;

export async function prepareBatchConnection(client: pg.PoolClient): Promise<void> {
  await client.query(CREATE_STAGING);
}

/**
 * Writes whole declarations of a batch (all, or those `chosen` by index) in one transaction: each lands
 * entirely or not at all, and one already loaded (same checksum) is skipped, so a re-run changes nothing.
 */
export async function writeBatch(
  client: pg.PoolClient,
  batch: EncodedBatch,
  chosen: number[] = batch.declarations.map((_, i) => i),
): Promise<BatchResult> {
  const result: BatchResult = { declarations: 0, lines: 0, replaced: 0, cancelled: 0 };
  await client.query('begin');
  try {
    // Concurrent ingests would race on which declaration is in force: one batch at a time. A batch need not
    // wait for its commit to reach the disk: a crash may lose the last batches, never half of one, and
    // ingesting the same files again loads them.
    await client.query(`set local synchronous_commit = off; select pg_advisory_xact_lock(hashtext('sillage-ingest'))`);
    const { rows: known } = await client.query<{ checksum: Buffer }>(
      'select checksum from declarations where checksum = any($1::bytea[])',
      [chosen.map((i) => Buffer.from((batch.declarations[i] as DeclarationMeta).checksumHex, 'hex'))],
    );
    const seen = new Set(known.map((row) => row.checksum.toString('hex')));
    const fresh = chosen.filter((i) => {
      const { checksumHex } = batch.declarations[i] as DeclarationMeta;
      if (seen.has(checksumHex)) return false;
      seen.add(checksumHex);
      return true;
    });
    if (fresh.length === 0) {
      await client.query('commit');
      return result;
    }
    const { rows: ids } = await client.query<{ id: number }>(
      `select nextval('declarations_id_seq') as id from generate_series(1, $1::int)`,
      [fresh.length],
    );
    const batchIds = ids.map((row) => row.id);
    for (const [kind, table] of DESTINATIONS) {
      await copyEncoded(client, table, COLUMNS[kind], tableSlices(batch.tables[kind], fresh, batchIds));
    }
    await client.query(UPSERT_PERSONS);
    await client.query(UPSERT_ESTABLISHMENTS);
    const status = await resolveDeclarationStatuses(client, batchIds);
    await client.query('commit');
    result.declarations = fresh.length;
    result.lines = fresh.reduce((sum, i) => sum + (batch.declarations[i] as DeclarationMeta).lineCount, 0);
    result.replaced = status.replaced;
    result.cancelled = status.cancelled;
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
