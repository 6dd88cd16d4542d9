import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, identityChange, individual, lineOf, tempDir, writeDsn } from '../helpers/dsn-builder.js';

let database: TestDatabase;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await tempDir('sillage-securite-');
});
afterAll(async () => {
  await database.drop();
});

// Malformed NIR-like values: 13 digits with a first digit no NIR has, 14 digits, a former NIR with a stray letter.
const NIR_13 = '5850775123456';
const NIR_14 = '18507751234567';
const FORMER = '1850775123456x';
// The mask the messages show instead: first character and length.
const masked = (value: string) => `${value[0]}${'•'.repeat(value.length - 1)} (${value.length} caractères)`;

const storedNotes = async (runId: number) =>
  (
    await database.pool.query<{ text: string }>(
      `select concat_ws(' ', file, line, rubric, field, message) as text from ingest_rejections where run_id = $1`,
      [runId],
    )
  ).rows.map((row) => row.text);
const lastRunId = async () =>
  (await database.pool.query<{ id: number }>('select max(id)::int as id from ingest_runs')).rows[0]?.id as number;

describe('a NIR-like value in a rejection', () => {
  it('is masked in the DSN rejections, in ingest_rejections and in the --json output', async () => {
    const person = (nir: string) => individual({ nir, lastName: 'MARTIN', birth: '01011985' });
    const text = envoi(
      declaration({ siren: '111222333', nic: '00011', month: '2024-04' }, person(NIR_13), contract({ start: '2024-01-02', number: 'A1' })),
      declaration({ siren: '111222333', nic: '00012', month: '2024-04' }, person(NIR_14), contract({ start: '2024-01-02', number: 'A1' })),
      declaration(
        { siren: '111222333', nic: '00013', month: '2024-04' },
        person('1850775123456'),
        identityChange('2024-03-01', FORMER),
        contract({ start: '2024-01-02', number: 'A1' }),
      ),
    );
    const file = await writeDsn(folder, 'nir.dsn', text);
    const result = await runCli(['ingest', file, '--json'], cliEnv(database.url));
    expect(result.code, result.stderr).toBe(2);
    const summary = JSON.parse(result.stdout) as { rejected: { line: number; rubric: string; message: string }[] };
    expect(summary.rejected).toEqual([
      {
        file,
        line: lineOf(text, 'S21.G00.30.001'),
        rubric: 'S21.G00.30.001',
        message: `NIR : « ${masked(NIR_13)} » ne respecte pas le format attendu (13 caractères)`,
      },
      {
        file,
        line: lineOf(text, 'S21.G00.30.001', 2),
        rubric: 'S21.G00.30.001',
        message: `NIR : « ${masked(NIR_14)} » ne respecte pas le format attendu (13 caractères)`,
      },
      {
        file,
        line: lineOf(text, 'S21.G00.31.008'),
        rubric: 'S21.G00.31.008',
        message: `ancien identifiant : « ${masked(FORMER)} » ne respecte pas le format attendu (NIR de 13 caractères ou NTT)`,
      },
    ]);
    const stored = await storedNotes(await lastRunId());
    expect(stored).toHaveLength(3);
    for (const output of [result.stdout, ...stored]) {
      expect(output).not.toMatch(/\d{9,}/);
      for (const value of [NIR_13, NIR_14, FORMER]) expect(output).not.toContain(value.slice(0, 9));
    }
  });

  it('is masked in the register rejections, whatever column it was written in', async () => {
    const csv = path.join(folder, 'participants.csv');
    await writeFile(
      csv,
      [
        'nir,nom,prenom,programme,siret_structure,date_entree,date_sortie',
        `${NIR_13},MARTIN,Paul,aci,12345678900012,2024-02-01,`,
        `${NIR_14},MARTIN,Paul,aci,12345678900012,2024-02-01,`,
        `1850775123456,MARTIN,Paul,aci,${NIR_13},2024-02-01,`,
        `1850775123456,MARTIN,Paul,aci,12345678900012,${NIR_14},`,
      ].join('\n'),
    );
    const result = await runCli(['import', 'participants', csv, '--json'], cliEnv(database.url));
    expect(result.code, result.stderr).toBe(2);
    const summary = JSON.parse(result.stdout) as { rejected: { line: number; field: string; message: string }[] };
    expect(summary.rejected.map((r) => [r.line, r.field])).toEqual([
      [2, 'nir'],
      [3, 'nir'],
      [4, 'siret_structure'],
      [5, 'date_entree'],
    ]);
    expect(summary.rejected[2]?.message).toContain(`« ${masked(NIR_13)} »`);
    expect(summary.rejected[3]?.message).toContain(`« ${masked(NIR_14)} »`);
    const stored = await storedNotes(await lastRunId());
    expect(stored).toHaveLength(4);
    for (const output of [result.stdout, ...stored]) {
      expect(output).not.toMatch(/\d{9,}/);
      for (const value of [NIR_13, NIR_14]) expect(output).not.toContain(value.slice(0, 9));
    }
  });
});
