import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachLineBatch } from '../../src/dsn/lines.js';
import { cliEnv, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, identityChange, individual, lineOf, pay, tempDir, writeDsn } from '../helpers/dsn-builder.js';

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

describe('text longer than the norm allows', () => {
  it('rejects a declaration whose surname, first names, town, PCS-ESE or contract number is too long, naming the rubric and the lengths', async () => {
    const cases = [
      {
        nic: '00021',
        person: { lastName: 'A'.repeat(81) },
        rubric: 'S21.G00.30.002',
        message: 'nom de famille : 81 caractères, 80 au plus',
      },
      {
        nic: '00022',
        person: { lastName: 'MARTIN', firstNames: 'B'.repeat(81) },
        rubric: 'S21.G00.30.004',
        message: 'prénoms : 81 caractères, 80 au plus',
      },
      { nic: '00023', town: 'C'.repeat(51), rubric: 'S21.G00.11.005', message: 'localité : 51 caractères, 50 au plus' },
    ];
    const person = (options: { lastName?: string; firstNames?: string }) =>
      individual({ nir: '1850775123456', lastName: options.lastName ?? 'MARTIN', firstNames: options.firstNames, birth: '01011985' });
    const declarations = cases.map((c) =>
      declaration(
        { siren: '222333444', nic: c.nic, month: '2024-04', town: c.town },
        person(c.person ?? {}),
        contract({ start: '2024-01-02', number: 'A1' }),
      ),
    );
    const pcs = declaration(
      { siren: '222333444', nic: '00024', month: '2024-04' },
      person({}),
      contract({ start: '2024-01-02', number: 'A1' }),
    );
    pcs[pcs.findIndex((l) => l.startsWith('S21.G00.40.004'))] = "S21.G00.40.004,'684ab'";
    const usage = declaration(
      { siren: '222333444', nic: '00025', month: '2024-04' },
      [...person({}), `S21.G00.30.003,'${'D'.repeat(81)}'`].sort(),
      contract({ start: '2024-01-02', number: 'A1' }),
    );
    const number = declaration(
      { siren: '222333444', nic: '00027', month: '2024-04' },
      person({}),
      contract({ start: '2024-01-02', number: 'A1' }),
      pay('K'.repeat(21), '2024-04-01', '2024-04-30', '10.00'),
    );
    const good = declaration(
      { siren: '222333444', nic: '00026', month: '2024-04' },
      person({}),
      contract({ start: '2024-01-02', number: 'A1' }),
    );
    const text = envoi(...declarations, pcs, usage, number, good);
    const file = await writeDsn(folder, 'longueurs.dsn', text);
    const result = await runCli(['ingest', file, '--json'], cliEnv(database.url));
    expect(result.code, result.stderr).toBe(2);
    const summary = JSON.parse(result.stdout) as { declarations: number; rejected: { line: number; rubric: string; message: string }[] };
    expect(summary.declarations).toBe(1);
    expect(summary.rejected.map((r) => [r.rubric, r.message.split(' ; ')[0]])).toEqual([
      ...cases.map((c) => [c.rubric, expect.stringContaining(c.message)]),
      ['S21.G00.40.004', expect.stringContaining('PCS-ESE : 5 caractères, 4 au plus')],
      ['S21.G00.30.003', expect.stringContaining("nom d'usage : 81 caractères, 80 au plus")],
      ['S21.G00.51.010', expect.stringContaining('numéro du contrat : 21 caractères, 20 au plus')],
    ]);
  });

  it('rejects a register row whose nom or prenom is longer than 80 characters, without quoting it', async () => {
    const csv = path.join(folder, 'noms.csv');
    await writeFile(
      csv,
      [
        'nir,nom,prenom,programme,siret_structure,date_entree,date_sortie',
        `1850775123456,${'N'.repeat(81)},Paul,aci,12345678900012,2024-02-01,`,
        `1850775123456,MARTIN,${'P'.repeat(5_000_000)},aci,12345678900012,2024-02-01,`,
        '1850775123456,MARTIN,Paul,aci,12345678900012,2024-02-01,',
      ].join('\n'),
    );
    const result = await runCli(['import', 'participants', csv, '--json'], cliEnv(database.url));
    expect(result.code, result.stderr).toBe(2);
    const summary = JSON.parse(result.stdout) as { rows: number; rejected: { line: number; field: string; message: string }[] };
    expect(summary.rows).toBe(1);
    expect(summary.rejected.map((r) => [r.line, r.field, r.message.split(' ; ')[0]])).toEqual([
      [2, 'nom', 'nom : 81 caractères, 80 au plus'],
      [3, 'prenom', expect.stringMatching(/^prenom : 5\s000\s000 caractères, 80 au plus/u)],
    ]);
    expect(result.stdout.length).toBeLessThan(2000);
  });
});

describe('a line of 10 MB', () => {
  const person = (lastName: string) => individual({ nir: '1850775123456', lastName, birth: '01011985' });
  const text = envoi(
    declaration(
      { siren: '333444555', nic: '00031', month: '2024-04' },
      person('X'.repeat(10 * 1024 * 1024)),
      contract({ start: '2024-01-02', number: 'A1' }),
    ),
    declaration({ siren: '333444555', nic: '00032', month: '2024-04' }, person('MARTIN'), contract({ start: '2024-01-02', number: 'A1' })),
  );

  it('is never held whole by the reader: no line handed over is longer than the cap and one more character', async () => {
    let longest = 0;
    let lines = 0;
    await forEachLineBatch(
      'memoire.dsn',
      (batch) => {
        lines += batch.length;
        for (const line of batch) longest = Math.max(longest, line.length);
      },
      Buffer.from(text, 'latin1'),
    );
    expect(lines).toBe(text.split('\n').length - 1);
    expect(longest).toBe(1001);
  });

  it('rejects its declaration with its line number, and loads the others', async () => {
    const file = await writeDsn(folder, 'ligne-longue.dsn', text);
    const result = await runCli(['ingest', file, '--json'], cliEnv(database.url));
    expect(result.code, result.stderr).toBe(2);
    const summary = JSON.parse(result.stdout) as { declarations: number; rejected: { line: number; rubric: string; message: string }[] };
    expect(summary.declarations).toBe(1);
    expect(summary.rejected).toEqual([
      {
        file,
        line: lineOf(text, 'S21.G00.30.002'),
        rubric: 'S21.G00.30.002',
        message: expect.stringMatching(/^ligne de plus de 1\s000 caractères/u),
      },
    ]);
    expect(result.stdout.length).toBeLessThan(2000);
  });
});
