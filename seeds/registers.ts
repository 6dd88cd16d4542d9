import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isoDate } from './calendar.js';
import type { ParticipantRecord, PassRecord } from './pathways.js';
import { withKey } from './people.js';
import { hashUnit } from './random.js';

// The registers structures upload (UTF-8): participants of programmes the DSN cannot show, and PASS IAE.

const PARTICIPANT_COLUMNS = ['nir', 'nom', 'prenom', 'programme', 'siret_structure', 'date_entree', 'date_sortie'];
const PASS_COLUMNS = ['numero_pass', 'nir', 'nom', 'prenom', 'siret_structure', 'date_debut', 'date_fin'];
const BOM = '\uFEFF';

function cell(value: string, separator: string): string {
  return value.includes(separator) || value.includes('"') || value.includes('\n') ? `"${value.replaceAll('"', '""')}"` : value;
}

const row = (values: readonly string[], separator: string) => `${values.map((value) => cell(value, separator)).join(separator)}\n`;

/** Registers are typed by hand or exported from other tools: some write the NIR with its key, some without. */
const nirAsWritten = (nir: string, seed: number, personId: number, share: number) =>
  hashUnit(seed, personId, 0, 11) < share ? withKey(nir) : nir;

export function writeParticipants(file: string, records: readonly ParticipantRecord[], seed: number): void {
  let text = row(PARTICIPANT_COLUMNS, ',');
  for (const r of records) {
    if (r.person.nir === null) continue;
    const nir = nirAsWritten(r.person.nir, seed, r.person.id, 0.3);
    text += row(
      [nir, r.person.lastName, r.person.firstNames, r.programme, r.siret, isoDate(r.entry), r.exit === null ? '' : isoDate(r.exit)],
      ',',
    );
  }
  writeFileSync(file, text, 'utf8');
}

export function writePasses(file: string, records: readonly PassRecord[], seed: number): void {
  let text = BOM + row(PASS_COLUMNS, ';');
  for (const r of records) {
    if (r.person.nir === null) continue;
    const nir = nirAsWritten(r.person.nir, seed, r.person.id, 0.45);
    text += row([r.number, nir, r.person.lastName, r.person.firstNames, r.siret, isoDate(r.start), isoDate(r.end)], ';');
  }
  writeFileSync(file, text, 'utf8');
}

export function registerFiles(outDir: string): { participantsFile: string; passesFile: string } {
  const folder = path.join(outDir, 'registres');
  return { participantsFile: path.join(folder, 'participants.csv'), passesFile: path.join(folder, 'pass-iae.csv') };
}
