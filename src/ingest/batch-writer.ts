import type pg from 'pg';
import { copyEncoded } from '../db/copy.js';
import { resolveDeclarationStatuses } from './declaration-status.js';
import { type DeclarationMeta, type EncodedBatch, tableSlices } from './encoded-batch.js';
import { COLUMNS, type TableName } from './rows.js';

/** What a batch added: declarations not loaded before, their lines, and the earlier ones they superseded. */
export type BatchResult = { declarations: number; lines: number; replaced: number; cancelled: number };

// Where each kind of row goes; persons and establishments are resolved from them once per run (facts.ts).
const DESTINATIONS: [TableName, string][] = [
  ['declarations', 'declarations'],
  ['persons', 'declared_persons'],
  ['contracts', 'declared_contracts'],
  ['contractEnds', 'declared_contract_ends'],
  ['workStoppages', 'declared_work_stoppages'],
  ['suspensions', 'declared_suspensions'],
  ['hours', 'contract_hours'],
  ['identityChanges', 'declared_identity_changes'],
];

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
