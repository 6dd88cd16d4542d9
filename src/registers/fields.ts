import { checkNir } from '../persons/nir.js';
import { isProgrammeCode, PROGRAMME_CODES, type ProgrammeCode } from './programmes.js';

// One check per kind of cell: the message says, in French, what was read and what is expected.
// The NIR and the names are never quoted back: rejections are stored and shown to other users.

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): FieldCheck<T> => ({ ok: true, value });
const fail = (message: string): FieldCheck<never> => ({ ok: false, message });

/** The value as read, shortened so that a pasted paragraph does not flood the report. */
function quoted(raw: string): string {
  const value = raw.trim();
  return `« ${value.length > 40 ? `${value.slice(0, 40)}…` : value} »`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;

export function checkDate(column: string, raw: string, required: true): FieldCheck<string>;
export function checkDate(column: string, raw: string, required: false): FieldCheck<string | null>;
export function checkDate(column: string, raw: string, required: boolean): FieldCheck<string | null> {
  const value = raw.trim();
  if (value === '') return required ? fail(`${column} manquante : une date AAAA-MM-JJ est attendue`) : ok(null);
  const match = ISO_DATE.exec(value);
  if (!match) return fail(`${column} : ${quoted(raw)} n'est pas au format AAAA-MM-JJ`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    return fail(`${column} : ${quoted(raw)} est hors des années ${FIRST_YEAR} à ${LAST_YEAR} (AAAA-MM-JJ)`);
  }
  // Date.UTC rolls 2024-02-31 over to March: a date exists when it comes back unchanged.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return fail(`${column} : ${quoted(raw)} n'est pas une date existante (AAAA-MM-JJ)`);
  }
  return ok(value);
}

/** The 13 first characters of a valid NIR; its key, when given, must match. */
export function checkNirCell(raw: string): FieldCheck<string> {
  if (raw.trim() === '') return fail('nir manquant : 13 caractères attendus (15 avec la clé)');
  const result = checkNir(raw);
  return result.ok ? ok(result.nir13) : fail(result.message);
}

export function checkSiret(column: string, raw: string): FieldCheck<string> {
  // Spaces are how people write a SIRET by hand (123 456 789 00012): they carry no meaning.
  const value = raw.replace(/\s/g, '');
  if (value === '') return fail(`${column} manquant : un SIRET de 14 chiffres est attendu`);
  if (!/^\d{14}$/.test(value)) {
    return fail(`${column} : ${quoted(raw)} n'est pas un SIRET : 14 chiffres attendus (un tableur retire parfois le zéro de tête)`);
  }
  return ok(value);
}

export function checkProgramme(raw: string): FieldCheck<ProgrammeCode> {
  const value = raw.trim().toLowerCase();
  const expected = `attendu ${PROGRAMME_CODES.join(', ')}`;
  if (value === '') return fail(`programme manquant : ${expected}`);
  return isProgrammeCode(value) ? ok(value) : fail(`programme ${quoted(raw)} inconnu : ${expected}`);
}

export function checkPassNumber(raw: string): FieldCheck<string> {
  // Upper case so that the same PASS typed in two cases stays one PASS.
  const value = raw.replace(/\s/g, '').toUpperCase();
  if (value === '') return fail('numero_pass manquant : 1 à 20 lettres ou chiffres attendus');
  if (!/^[A-Z0-9]{1,20}$/.test(value)) {
    return fail(`numero_pass : ${quoted(raw)} n'est pas un numéro de PASS IAE : 1 à 20 lettres ou chiffres attendus`);
  }
  return ok(value);
}

// As the DSN's names (S21.G00.30.002 and .004): a register name is never longer than the payroll's.
const MAX_NAME_LENGTH = 80;

export function checkName(column: string, raw: string, required: true): FieldCheck<string>;
export function checkName(column: string, raw: string, required: false): FieldCheck<string | null>;
export function checkName(column: string, raw: string, required: boolean): FieldCheck<string | null> {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value === '') return required ? fail(`${column} manquant : le nom de famille est attendu`) : ok(null);
  if (value.length > MAX_NAME_LENGTH) {
    return fail(`${column} : ${value.length.toLocaleString('fr-FR')} caractères, ${MAX_NAME_LENGTH} au plus ; raccourcissez-le`);
  }
  return ok(value);
}
