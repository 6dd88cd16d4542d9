import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedDeclaration } from '../../src/dsn/declaration.js';
import { readDsnFile } from '../../src/dsn/read-file.js';
import type { DsnRejection } from '../../src/dsn/rejection.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import {
  contract,
  contractEnd,
  declaration,
  envoi,
  individual,
  pay,
  stoppage,
  suspension,
  tempDir,
  writeDsn,
} from '../helpers/dsn-builder.js';
import { FUZZ_SEED, isDeclarationStart, layout, mutate, mutation, type Segment, segmentAt } from '../helpers/dsn-mutations.js';

const RUNS = 40;

// A's and B's SIRET and NIRs differ in 8 digits or more: random damage of a few bytes to B cannot name A's.
const A = { siren: '123456789', nic: '00012', naf: '8899B', postalCode: '59000', town: 'LILLE' };
const B = { siren: '987654321', nic: '00098', naf: '8810A', postalCode: '42000', town: 'SAINT-ÉTIENNE' };
const A_SIRET = `${A.siren}${A.nic}`;

const ALICE = { nir: '2850759123456', lastName: "D'ALMEIDA", firstNames: 'HÉLÈNE', birth: '15071985' };
const ANTOINE = { nir: '1921175000111', lastName: 'MÉRIEUX', firstNames: 'ANTOINE', birth: '03111992' };
const CLAIRE = { nir: '1690413864207', lastName: "L'HÔTE", firstNames: 'CLAIRE-ÉLODIE', birth: '22041969', sex: '02' };
const YANN = { nir: '2750231579318', lastName: 'LE GOFF', firstNames: 'YANN', birth: '31021975' };
const ZOE = { ntt: 'ZX9QW', lastName: "N'GUESSAN", firstNames: 'ZOÉ', birth: '99991999', sex: '02' };

const fileA = envoi(
  declaration(
    { ...A, month: '2024-01' },
    individual(ALICE),
    contract({ start: '2023-11-06', number: 'C1', nature: '02', scheme: '71', complement: '02', plannedEnd: '2024-05-05' }),
    stoppage('01', '2024-01-19', '2024-01-31'),
    pay('C1', '2024-01-01', '2024-01-31', '60.00'),
    individual(ANTOINE),
    contract({ start: '2024-01-08', number: '0001' }),
    suspension('501', '2024-01-22', '2024-01-23'),
    pay('0001', '2024-01-08', '2024-01-31', '120.00'),
  ),
  declaration(
    { ...A, month: '2024-02' },
    individual(ALICE),
    contract({ start: '2023-11-06', number: 'C1', nature: '02', scheme: '71', complement: '02', plannedEnd: '2024-05-05' }),
    contractEnd('2024-02-16', '059'),
    pay('C1', '2024-02-01', '2024-02-16', '48.50'),
    individual(ANTOINE),
    contract({ start: '2024-01-08', number: '0001' }),
    pay('0001', '2024-02-01', '2024-02-29', '151.67'),
  ),
);

const claireCddi = contract({ start: '2023-06-12', number: 'ACI-7', nature: '02', scheme: '71', complement: '03', quotity: '104.00' });
const fileB = envoi(
  declaration(
    { ...B, month: '2024-04' },
    individual(CLAIRE),
    claireCddi,
    stoppage('02', '2024-04-10', '2024-04-20'),
    pay('ACI-7', '2024-04-01', '2024-04-30', '96.00'),
    individual(YANN),
    contract({ start: '2024-04-02', number: '12', plannedEnd: '2024-06-30', nature: '02' }),
    pay('12', '2024-04-02', '2024-04-30', '140.00'),
    individual(ZOE),
    contract({ start: '2024-03-18', number: 'Z1' }),
    pay('Z1', '2024-04-01', '2024-04-30', '18', '12'),
  ),
  declaration(
    { ...B, month: '2024-05' },
    individual(CLAIRE),
    claireCddi,
    stoppage('02', '2024-04-10', '2024-04-20', '2024-04-21'),
    pay('ACI-7', '2024-05-01', '2024-05-31', '104.00'),
    individual(YANN),
    contract({ start: '2024-04-02', number: '12', plannedEnd: '2024-06-30', nature: '02' }),
    suspension('112', '2024-05-13', '2024-05-17'),
    pay('12', '2024-05-01', '2024-05-31', '128.25'),
  ),
  declaration(
    { ...B, month: '2024-06' },
    individual(CLAIRE),
    claireCddi,
    contractEnd('2024-06-14', '031'),
    pay('ACI-7', '2024-06-01', '2024-06-14', '44.00'),
    pay('ACI-7', '2024-05-01', '2024-05-31', '-2.00'),
  ),
);

// Everything an ingest could have changed about A: its declarations, their rows and the facts resolved from them.
const A_FACTS: Record<string, string> = {
  declarations: 'select json_agg(d order by d.id) from declarations d where d.siret = $1',
  declared_persons:
    'select json_agg(p order by p.declaration_id, p.person_key) from declared_persons p join declarations d on d.id = p.declaration_id where d.siret = $1',
  contract_hours:
    'select json_agg(h order by h.contract_key, h.month, h.declaration_id) from contract_hours h join declarations d on d.id = h.declaration_id where d.siret = $1',
  contracts: 'select json_agg(c order by c.contract_key) from contracts c where c.siret = $1',
  work_stoppages:
    'select json_agg(w order by w.contract_key, w.last_worked_date) from work_stoppages w where w.contract_key in (select contract_key from contracts where siret = $1)',
  suspensions:
    'select json_agg(s order by s.contract_key, s.start_date) from suspensions s where s.contract_key in (select contract_key from contracts where siret = $1)',
  contract_ends:
    'select json_agg(e order by e.contract_key) from contract_ends e where e.contract_key in (select contract_key from contracts where siret = $1)',
  persons: `select json_agg(p order by p.person_key) from persons p where p.person_key in
    (select dp.person_key from declared_persons dp join declarations d on d.id = dp.declaration_id where d.siret = $1)`,
  establishments: 'select json_agg(e) from establishments e where e.siret = $1',
};

let database: TestDatabase;
let fileAPath: string;

async function snapshotA(): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  for (const [table, sql] of Object.entries(A_FACTS))
    snapshot[table] = (await database.pool.query(sql, [A_SIRET])).rows[0]?.json_agg ?? null;
  return snapshot;
}

/** What the reader alone makes of the file, for comparison with what ingest loaded. */
async function readAlone(file: string): Promise<ParsedDeclaration[]> {
  const declarations: ParsedDeclaration[] = [];
  const sink = { declaration: (d: ParsedDeclaration) => declarations.push(d), rejection: () => undefined, warning: () => undefined };
  await readDsnFile(file, sink);
  return declarations;
}

beforeAll(async () => {
  database = await createTestDatabase();
  fileAPath = await writeDsn(await tempDir('sillage-ingest-fuzz-a-'), 'a.dsn', fileA);
});
afterAll(async () => {
  await database?.drop();
});

describe('ingest of randomly damaged files', () => {
  it('loads whole declarations or rejects them, and never touches another establishment', async () => {
    const loadedA = await ingestDsn(database.pool, [fileAPath], { nirKey: TEST_NIR_KEY });
    expect(loadedA.rejected).toEqual([]);
    expect(loadedA.declarations).toBe(2);
    const before = await snapshotA();
    for (const table of ['declarations', 'contracts', 'contract_hours', 'work_stoppages', 'suspensions', 'contract_ends', 'persons']) {
      expect((before[table] as unknown[] | null)?.length, table).toBeGreaterThan(0);
    }
    const bytesB = Buffer.from(fileB, 'latin1');
    const counts = { runs: 0, loaded: 0, rejected: 0 };

    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const bytes = mutate(bytesB, m);
        const file = path.join(await tempDir('sillage-ingest-fuzz-b-'), 'b.dsn');
        await writeFile(file, bytes);
        const shape = layout(bytes);
        // An empty file still has a line 1 for its rejection to point at.
        const lineCount = Math.max(1, shape.lines.length);
        try {
          const summary = await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY });
          const warnings = 'warnings' in summary ? (summary.warnings as Pick<DsnRejection, 'line' | 'message'>[]) : [];
          for (const refusal of [...summary.rejected, ...warnings]) {
            expect(refusal.line >= 1 && refusal.line <= lineCount, `line ${refusal.line} of ${lineCount}: ${refusal.message}`).toBe(true);
            expect(refusal.message.trim()).not.toBe('');
          }
          const { rows: loaded } = await database.pool.query<{
            first_line: number;
            person_count: number;
            persons: number;
            checksum: Buffer;
          }>(
            `select d.first_line, d.person_count, d.checksum,
               (select count(*)::int from declared_persons p where p.declaration_id = d.id) as persons
             from declarations d where d.file_name = $1 order by d.first_line`,
            [file],
          );
          expect(summary.declarations).toBe(loaded.length);
          const delivered = await readAlone(file);
          for (const row of loaded) {
            expect(isDeclarationStart(shape.lines[row.first_line - 1] ?? ''), `loaded declaration at line ${row.first_line}`).toBe(true);
            const segment = segmentAt(shape.segments, row.first_line) as Segment;
            const inside = summary.rejected.filter((r) => segment.first <= r.line && r.line <= segment.last);
            expect(inside, `declaration of lines ${segment.first}-${segment.last} loaded and rejected`).toEqual([]);
            // Nothing partial: as many person blocks and distinct persons as the reader read in that declaration.
            const parsed = delivered.find((d) => d.line === row.first_line);
            expect(parsed?.checksum.toString('hex'), `loaded declaration at line ${row.first_line} not delivered by the reader`).toBe(
              row.checksum.toString('hex'),
            );
            const persons = parsed?.persons ?? [];
            expect(row.person_count).toBe(persons.length);
            expect(row.persons).toBe(new Set(persons.map((p) => (p.nir ? `nir ${p.nir}` : `ntt ${p.ntt}`))).size);
          }
          // Every declaration the reader delivers is loaded, refused by the database at its line, or a repeat of one loaded.
          const loadedLines = new Set(loaded.map((row) => row.first_line));
          const loadedChecksums = new Set(loaded.map((row) => row.checksum.toString('hex')));
          for (const d of delivered.filter((d) => !loadedLines.has(d.line))) {
            const accounted = summary.rejected.some((r) => r.line === d.line) || loadedChecksums.has(d.checksum.toString('hex'));
            expect(accounted, `declaration at line ${d.line} delivered by the reader, neither loaded nor rejected`).toBe(true);
          }
          expect(await snapshotA()).toEqual(before);
          counts.runs++;
          if (loaded.length > 0) counts.loaded++;
          if (summary.rejected.length > 0) counts.rejected++;
        } finally {
          // Runs stay independent: B's declarations go (their declared rows with them), A's stay.
          await database.pool.query('delete from declarations where file_name = $1', [file]);
        }
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
    // Not vacuous: some damaged files still load declarations, some are refused.
    expect(counts.loaded).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });
});
