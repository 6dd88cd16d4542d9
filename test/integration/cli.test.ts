import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, individual, manyDeclarations, tempDir, writeDsn } from '../helpers/dsn-builder.js';

let database: TestDatabase;
let generated: string;
let env: NodeJS.ProcessEnv;

const scalar = async (text: string) => Object.values((await database.pool.query(text)).rows[0] as object)[0];

beforeAll(async () => {
  database = await createTestDatabase();
  env = cliEnv(database.url);
  generated = await tempDir('sillage-cli-');
  const seeded = await runCli(['seed', '--persons', '80', '--months', '4', '--seed', '7', '--out', generated], env);
  expect(seeded.code, seeded.stderr).toBe(0);
});
afterAll(async () => {
  await database.drop();
});

describe('sillage ingest and stats on generated files', () => {
  it('loads the generated DSN, reports the JSON summary, and stats agrees with the database', async () => {
    const months = await readdir(path.join(generated, 'dsn'));
    expect(months).toHaveLength(4);
    const ingest = await runCli(['ingest', path.join(generated, 'dsn'), '--json'], env);
    expect(ingest.code, ingest.stderr).toBe(0);
    const summary = JSON.parse(ingest.stdout);
    expect(Object.keys(summary)).toEqual([
      'files',
      'declarations',
      'replaced',
      'cancelled',
      'persons',
      'contracts',
      'rejected',
      'warnings',
      'establishments',
    ]);
    expect(summary.warnings).toEqual([]);
    expect(summary.establishments).toEqual({ placedByFallback: 0, unplaced: 0 });
    expect(summary.rejected).toEqual([]);
    expect(summary.declarations).toBe(await scalar('select count(*)::int from declarations'));
    expect(summary.replaced).toBe(await scalar('select count(*)::int from declarations where replaced_by is not null'));
    expect(summary.persons).toBe(await scalar('select count(*)::int from persons'));
    expect(summary.contracts).toBe(await scalar('select count(*)::int from contracts'));
    // The indicators were refreshed after the ingest: every person has each of the 4 months.
    expect(await scalar('select count(*)::int from person_months')).toBe(summary.persons * 4);
    const refresh = await runCli(['refresh'], env);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.stdout).toMatch(
      /^Indicateurs recalculés en \d+,\d s \(person_months \d+,\d s, iae_pass_months \d+,\d s, iae_pass_counters \d+,\d s, programme_outcomes \d+,\d s, employer_hires \d+,\d s, employer_engagement \d+,\d s, employer_engagement_history \d+,\d s\)\.\n$/,
    );

    const stats = await runCli(['stats', '--json'], env);
    expect(stats.code).toBe(0);
    const totals = JSON.parse(stats.stdout);
    expect(Object.keys(totals)).toEqual([
      'declarations',
      'establishments',
      'persons',
      'contracts',
      'workStoppages',
      'suspensions',
      'contractEnds',
      'hours',
    ]);
    expect(totals).toEqual({
      declarations: await scalar(`select count(*)::int from declarations where replaced_by is null and type <> '04'`),
      establishments: await scalar('select count(*)::int from establishments'),
      persons: summary.persons,
      contracts: summary.contracts,
      workStoppages: await scalar('select count(*)::int from work_stoppages'),
      suspensions: await scalar('select count(*)::int from suspensions'),
      contractEnds: await scalar('select count(*)::int from contract_ends'),
      hours: await scalar(
        `select sum(hours)::float8 from contract_hours h join declarations d on d.id = h.declaration_id where d.replaced_by is null`,
      ),
    });
    expect(totals.hours).toBeGreaterThan(1000);

    const again = await runCli(['ingest', path.join(generated, 'dsn'), '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ declarations: 0, replaced: 0, cancelled: 0, persons: 0, contracts: 0, rejected: [] });
    expect(JSON.parse((await runCli(['stats', '--json'], env)).stdout)).toEqual(totals);
  });

  it('imports the generated registers', async () => {
    for (const [kind, file] of [
      ['participants', 'participants.csv'],
      ['passes', 'pass-iae.csv'],
    ] as const) {
      const result = await runCli(['import', kind, path.join(generated, 'registres', file), '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      const parsed = JSON.parse(result.stdout);
      expect(Object.keys(parsed)).toEqual(['rows', 'rejected']);
      expect(parsed.rows).toBeGreaterThan(0);
      expect(parsed.rejected).toEqual([]);
    }
    expect(await scalar('select count(*)::int from iae_passes')).toBeGreaterThan(0);
  });
});

describe('sillage on bad input', () => {
  it('exits 2 and names file, line, rubric and reason; the good declaration loads', async () => {
    const folder = await tempDir();
    const company = { siren: '987654321', nic: '00010', month: '2024-06' };
    const good = declaration(
      company,
      individual({ nir: '1750675123001', lastName: 'ROUX', birth: '01061975' }),
      contract({ start: '2024-06-03', number: 'R1' }),
    );
    const bad = declaration({ ...company, nic: '00028' }, individual({ nir: '1750675123002', lastName: 'ROUX', birth: '31021975' }));
    const text = envoi(good, bad);
    const line = text.split('\n').indexOf("S21.G00.30.006,'31021975'") + 1;
    const file = await writeDsn(folder, 'mixte.dsn', text);
    const result = await runCli(['ingest', file, '--json'], env);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      declarations: 1,
      rejected: [{ file, line, rubric: 'S21.G00.30.006', message: expect.stringContaining('date de naissance') }],
    });
    const human = await runCli(['ingest', file], env);
    expect(human.code).toBe(2);
    expect(human.stdout).toContain(`${file}, ligne ${line}, S21.G00.30.006 : date de naissance`);
  });

  it('exits 2 on a register row with a bad NIR key, and 1 on a missing file or an unknown command', async () => {
    const folder = await tempDir();
    const csv = path.join(folder, 'passes.csv');
    await writeFile(
      csv,
      'numero_pass,nir,nom,prenom,siret_structure,date_debut,date_fin\n999990000001,185075912345600,ROUX,LÉA,98765432100010,2024-01-01,2025-12-31\n',
    );
    const register = await runCli(['import', 'passes', csv, '--json'], env);
    expect(register.code).toBe(2);
    expect(JSON.parse(register.stdout)).toMatchObject({
      rows: 0,
      rejected: [{ line: 2, field: 'nir', message: expect.stringContaining('clé du NIR') }],
    });

    const missing = await runCli(['ingest', path.join(folder, 'absent.dsn')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('fichier ou dossier introuvable');
    const unknown = await runCli(['ingère'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('commande inconnue : ingère');
  });
});

describe('an ingest killed in the middle of a file', () => {
  it('leaves no partial declaration, and a re-run loads everything exactly once', async () => {
    const folder = await tempDir();
    const file = await writeDsn(folder, 'gros.dsn', manyDeclarations('111222333', 300));
    const killed = await createTestDatabase();
    try {
      const child = startCli(['ingest', file], cliEnv(killed.url, { SILLAGE_INGEST_BATCH_LINES: '2000' }));
      const exited = new Promise((resolve) => child.on('close', resolve));
      let loaded = 0;
      while (loaded === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        loaded = (await killed.pool.query('select count(*)::int as n from declarations')).rows[0].n;
      }
      child.kill('SIGKILL');
      await exited;
      const partial = await killed.pool.query(`
        select count(*)::int as declarations,
          count(*) filter (where person_count <> 25
            or (select count(*) from declared_contracts c where c.declaration_id = d.id) <> 25
            or (select count(*) from contract_hours h where h.declaration_id = d.id) <> 25)::int as incomplete
        from declarations d`);
      expect(partial.rows[0].declarations).toBeGreaterThan(0);
      expect(partial.rows[0].declarations).toBeLessThan(300);
      expect(partial.rows[0].incomplete).toBe(0);

      const rerun = await runCli(['ingest', file, '--json'], cliEnv(killed.url));
      expect(rerun.code).toBe(0);
      expect(JSON.parse(rerun.stdout).declarations).toBe(300 - partial.rows[0].declarations);
      const totals = JSON.parse((await runCli(['stats', '--json'], cliEnv(killed.url))).stdout);
      // 300 declarations x 25 persons, one contract and 10 hours each.
      expect(totals).toEqual({
        declarations: 300,
        establishments: 300,
        persons: 7500,
        contracts: 7500,
        workStoppages: 0,
        suspensions: 0,
        contractEnds: 0,
        hours: 75000,
      });
    } finally {
      await killed.drop();
    }
  });
});

describe('sillage serve', () => {
  it('serves /healthz and the sign-in page, and stops on SIGTERM', async () => {
    const child = startCli(['serve'], cliEnv(database.url, { PORT: '0' }));
    const address = await new Promise<string>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = /écoute sur (http:\/\/[^/\s]+)\//.exec(chunk.toString());
        if (match) resolve(match[1] as string);
      });
    });
    const health = await fetch(`${address}/healthz`);
    expect(health.status).toBe(200);
    const home = await (await fetch(`${address}/`)).text();
    expect(home).toContain('Connexion à Sillage');
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
