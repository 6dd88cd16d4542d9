import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MonthWindow } from './calendar.js';
import { ContractFactory } from './contracts.js';
import { DsnWriter } from './dsn-writer.js';
import { Employers } from './employers.js';
import { EventPlanner } from './events.js';
import type { Contract } from './model.js';
import { Planner } from './pathways.js';
import { PersonFactory } from './people.js';
import { hashUnit, Random } from './random.js';
import { registerFiles, writeParticipants, writePasses } from './registers.js';
import { loadSectors } from './sectors.js';
import { loadTerritory } from './territory.js';

// Entry point of the synthetic data set: plan every career, then write the DSN month by month, one file at a time.

export type GenerateOptions = {
  persons: number;
  months: number;
  seed: number;
  outDir: string;
  lastMonth?: string /* 'AAAA-MM', default '2026-10' (fixed, for determinism) */;
};
export type DatasetSummary = {
  files: number;
  declarations: number;
  lines: number;
  bytes: number;
  persons: number;
  establishments: number;
  dsnDir: string;
  participantsFile: string;
  passesFile: string;
};

const DEFAULT_LAST_MONTH = '2026-10';
const MARKER = '.sillage-seed';
const REPLACEMENT_RATE = 0.004;
const REPLACEMENT_SALT = 7;

function checkOptions(options: GenerateOptions): void {
  if (!Number.isInteger(options.persons) || options.persons < 1)
    throw new Error(`nombre de personnes invalide (${options.persons}) : entier positif attendu`);
  if (!Number.isInteger(options.months) || options.months < 1 || options.months > 240) {
    throw new Error(`nombre de mois invalide (${options.months}) : entier de 1 à 240 attendu`);
  }
  if (!Number.isFinite(options.seed)) throw new Error(`graine invalide (${options.seed}) : nombre attendu`);
}

/** Only a folder this generator wrote may be emptied: anything else is refused rather than deleted. */
function prepareFolder(outDir: string, dsnDir: string, registersDir: string): void {
  const marker = path.join(outDir, MARKER);
  if ((existsSync(dsnDir) || existsSync(registersDir)) && !existsSync(marker)) {
    throw new Error(
      `le dossier ${outDir} contient déjà dsn/ ou registres/ sans avoir été produit par le générateur : choisissez un dossier vide`,
    );
  }
  rmSync(dsnDir, { recursive: true, force: true });
  rmSync(registersDir, { recursive: true, force: true });
  mkdirSync(dsnDir, { recursive: true });
  mkdirSync(registersDir, { recursive: true });
  writeFileSync(
    marker,
    'Dossier produit par le générateur de données de Sillage : dsn/ et registres/ sont réécrits à chaque génération.\n',
  );
}

const byEstablishmentThenPerson = (a: Contract, b: Contract) =>
  a.establishment.id - b.establishment.id || a.person.id - b.person.id || a.start - b.start || a.id - b.id;

export async function generateDataset(options: GenerateOptions): Promise<DatasetSummary> {
  checkOptions(options);
  const { persons, seed, outDir } = options;
  const window = new MonthWindow(options.lastMonth ?? DEFAULT_LAST_MONTH, options.months);
  const employers = new Employers(new Random(seed, 'employers'), loadTerritory(), loadSectors(), persons);
  const events = new EventPlanner(window);
  const factory = new ContractFactory(window, events);
  const planner = new Planner(seed, window, employers, new PersonFactory(loadTerritory(), window.after), factory, events);
  for (let index = 0; index < persons; index++) planner.planPerson(index);

  const contracts = factory.contracts.sort(byEstablishmentThenPerson);
  for (const contract of contracts) {
    const establishment = contract.establishment;
    if (contract.firstMonth < establishment.firstMonth) establishment.firstMonth = contract.firstMonth;
  }
  const declaring = employers.all.filter((establishment) => establishment.firstMonth < window.count);

  const dsnDir = path.join(outDir, 'dsn');
  const { participantsFile, passesFile } = registerFiles(outDir);
  prepareFolder(outDir, dsnDir, path.dirname(participantsFile));
  writeParticipants(participantsFile, planner.participants, seed);
  writePasses(passesFile, planner.passes, seed);

  const writer = new DsnWriter(window, seed);
  const groups: Contract[][] = employers.all.map(() => []);
  const summary = { files: 0, lines: 0, bytes: 0 };
  let replaced = false;
  const write = (file: string, text: string, lines: number) => {
    const bytes = Buffer.from(text, 'latin1');
    writeFileSync(file, bytes);
    summary.files++;
    summary.lines += lines;
    summary.bytes += bytes.length;
  };
  for (let month = 0; month < window.count; month++) {
    const folder = path.join(dsnDir, window.labels[month] as string);
    mkdirSync(folder, { recursive: true });
    for (const contract of contracts) {
      if (contract.firstMonth <= month && month <= contract.lastMonth) (groups[contract.establishment.id] as Contract[]).push(contract);
      else if (contract.lastMonth < month && contract.block !== null) {
        // Written blocks of finished contracts are dropped so that memory stays flat over the months.
        contract.block = null;
        contract.renewedBlock = null;
      }
    }
    for (const establishment of declaring) {
      if (establishment.firstMonth > month) continue;
      const group = groups[establishment.id] as Contract[];
      const file = path.join(folder, `${establishment.siret}.dsn`);
      // A few declarations are cancelled and replaced: the first one always, so that every data set has one.
      const replace =
        group.length > 0 &&
        month >= Math.min(1, window.count - 1) &&
        (!replaced || hashUnit(seed, establishment.id, month, REPLACEMENT_SALT) < REPLACEMENT_RATE);
      const type = group.length === 0 ? '02' : '01';
      const original = writer.render(establishment, month, group, { type, sequence: 1, replaces: null, tweak: replace });
      write(file, original.text, original.lines);
      if (replace) {
        replaced = true;
        const replacement = writer.render(establishment, month, group, { type: '03', sequence: 2, replaces: original.id, tweak: false });
        write(path.join(folder, `${establishment.siret}-remplace.dsn`), replacement.text, replacement.lines);
      }
      group.length = 0;
    }
    // Let other work on the event loop run between months.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    files: summary.files,
    declarations: summary.files,
    lines: summary.lines,
    bytes: summary.bytes,
    persons,
    establishments: declaring.length,
    dsnDir,
    participantsFile,
    passesFile,
  };
}
