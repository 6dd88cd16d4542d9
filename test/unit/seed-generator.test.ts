import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatasetSummary, generateDataset } from '../../seeds/generate.js';
import type { ParsedDeclaration } from '../../src/dsn/declaration.js';
import { checkEnvelope } from '../../src/dsn/envelope.js';
import { forEachLineBatch } from '../../src/dsn/lines.js';
import { DsnParser } from '../../src/dsn/parser.js';
import type { DsnRejection } from '../../src/dsn/rejection.js';
import { checkNir } from '../../src/persons/nir.js';

const OPTIONS = { persons: 150, months: 6, seed: 20260 };

let root: string;
let first: DatasetSummary;
let dsnFiles: string[];
const declarations: ParsedDeclaration[] = [];
const rejections: DsnRejection[] = [];

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function parse(file: string): Promise<void> {
  const parser = new DsnParser(file, { declaration: (d) => declarations.push(d), rejection: (r) => rejections.push(r) });
  await forEachLineBatch(file, (lines, firstLine) => parser.push(lines, firstLine));
  parser.end();
}

const allPersons = () => declarations.flatMap((d) => d.persons);
const allContracts = () => allPersons().flatMap((p) => p.contracts);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'sillage-seed-'));
  first = await generateDataset({ ...OPTIONS, outDir: path.join(root, 'a') });
  dsnFiles = (await listFiles(first.dsnDir)).map((file) => path.join(first.dsnDir, file));
  for (const file of dsnFiles) await parse(file);
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('synthetic DSN data set', () => {
  it('is byte-identical for the same seed and differs for another seed', async () => {
    const again = await generateDataset({ ...OPTIONS, outDir: path.join(root, 'b') });
    const other = await generateDataset({ ...OPTIONS, seed: OPTIONS.seed + 1, outDir: path.join(root, 'c') });
    const filesA = await listFiles(path.join(root, 'a'));
    expect(await listFiles(path.join(root, 'b'))).toEqual(filesA);
    for (const file of filesA) {
      const [a, b] = await Promise.all([readFile(path.join(root, 'a', file)), readFile(path.join(root, 'b', file))]);
      expect(a.equals(b), file).toBe(true);
    }
    expect(again).toEqual({ ...first, dsnDir: again.dsnDir, participantsFile: again.participantsFile, passesFile: again.passesFile });
    const filesC = await listFiles(path.join(root, 'c'));
    let differs = filesC.join() !== filesA.join();
    for (const file of filesA) {
      if (differs) break;
      const [a, c] = await Promise.all([readFile(path.join(root, 'a', file)), readFile(path.join(root, 'c', file))]);
      differs = !a.equals(c);
    }
    expect(differs).toBe(true);
    expect(other.lines).toBeGreaterThan(0);
  }, 60_000);

  it('writes one file per establishment and month, each with a valid envelope and no rejected declaration', async () => {
    expect(dsnFiles.length).toBe(first.files);
    expect(first.declarations).toBe(first.files);
    expect(new Set(dsnFiles.map((file) => path.basename(path.dirname(file))))).toEqual(
      new Set(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']),
    );
    let lines = 0;
    let bytes = 0;
    for (const file of dsnFiles) {
      const envelope = await checkEnvelope(file);
      expect(envelope, file).toMatchObject({ ok: true, encoding: 'latin1', envois: [{ rejection: null }] });
      const content = await readFile(file);
      bytes += content.length;
      lines += content.toString('latin1').split('\n').length - 1;
      expect(path.basename(file)).toMatch(/^\d{14}(-remplace)?\.dsn$/);
    }
    expect({ lines, bytes }).toEqual({ lines: first.lines, bytes: first.bytes });
    expect(rejections).toEqual([]);
    expect(declarations.length).toBe(first.declarations);
  });

  it('holds the cases the product must handle', () => {
    const replacement = declarations.find((d) => d.header.type === '03');
    expect(replacement?.file).toMatch(/-remplace\.dsn$/);
    expect(
      declarations.some(
        (d) => d.header.type === '01' && d.siret === replacement?.siret && d.header.declaredMonth === replacement?.header.declaredMonth,
      ),
    ).toBe(true);

    const persons = allPersons();
    expect(persons.some((p) => p.nir === null && p.ntt !== null)).toBe(true);
    expect(persons.some((p) => p.lastName.includes("'"))).toBe(true);
    expect(persons.some((p) => /[àâäçéèêëîïôöùûüÿ]/i.test(`${p.lastName}${p.firstNames ?? ''}`))).toBe(true);
    expect(persons.some((p) => p.hours.some((h) => h.hundredths < 0))).toBe(true);

    const contracts = allContracts();
    expect(contracts.some((c) => c.end?.reason === '099')).toBe(true);
    const complements = new Set(contracts.map((c) => c.schemeComplement));
    for (const complement of ['01', '02', '03', '04', '05']) expect(complements, complement).toContain(complement);
    expect(contracts.some((c) => c.nature === '02' && c.publicScheme === '71')).toBe(true);
    expect(contracts.some((c) => c.nature === '03' && c.schemeComplement === '05')).toBe(true);
  });

  it('declares a stoppage again once its return date is known', () => {
    const seen = new Map<string, { without: boolean; with: boolean }>();
    for (const d of declarations) {
      for (const p of d.persons) {
        for (const c of p.contracts) {
          for (const s of c.stoppages) {
            const key = `${d.siret}|${p.nir ?? p.ntt}|${c.number}|${s.lastWorkedDate}`;
            const state = seen.get(key) ?? { without: false, with: false };
            if (s.returnDate === null) state.without = true;
            else if (state.without) state.with = true;
            seen.set(key, state);
          }
        }
      }
    }
    expect([...seen.values()].some((state) => state.without && state.with)).toBe(true);
  });

  it('writes registers with their headers and valid NIRs', async () => {
    const participants = (await readFile(first.participantsFile, 'utf8')).split('\n').filter((row) => row.length > 0);
    expect(participants[0]).toBe('nir,nom,prenom,programme,siret_structure,date_entree,date_sortie');
    for (const row of participants.slice(1)) {
      const [nir, , , programme, siret] = row.split(',');
      expect(checkNir(nir ?? '').ok, row).toBe(true);
      expect(['geiq', 'rsa', 'formation']).toContain(programme);
      expect(siret).toMatch(/^\d{14}$/);
    }

    const passes = await readFile(first.passesFile, 'utf8');
    expect(passes.startsWith('\uFEFF')).toBe(true);
    const rows = passes
      .slice(1)
      .split('\n')
      .filter((row) => row.length > 0);
    expect(rows[0]).toBe('numero_pass;nir;nom;prenom;siret_structure;date_debut;date_fin');
    expect(rows.length).toBeGreaterThan(1);
    const lengths = new Set<number>();
    for (const row of rows.slice(1)) {
      const [number, nir, , , , start, end] = row.split(';');
      expect(number).toMatch(/^99999\d{7}$/);
      expect(checkNir(nir ?? '').ok, row).toBe(true);
      lengths.add((nir ?? '').length);
      const days = (Date.parse(end ?? '') - Date.parse(start ?? '')) / 86_400_000;
      expect(days).toBe(729);
    }
    expect(lengths).toEqual(new Set([13, 15]));
  });
});
