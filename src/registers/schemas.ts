import { z } from 'zod';
import { checkDate, checkName, checkNirCell, checkPassNumber, checkProgramme, checkSiret, type FieldCheck } from './fields.js';
import type { RegisterKind } from './import.js';
import type { ProgrammeCode } from './programmes.js';

// Row schemas of the two registers: raw CSV cells in, typed rows out, every bad cell reported under its column.

export const REGISTER_COLUMNS = {
  participants: ['nir', 'nom', 'prenom', 'programme', 'siret_structure', 'date_entree', 'date_sortie'],
  passes: ['numero_pass', 'nir', 'nom', 'prenom', 'siret_structure', 'date_debut', 'date_fin'],
} as const satisfies Record<RegisterKind, readonly string[]>;

export type ParticipantRow = {
  kind: 'participants';
  nir13: string;
  lastName: string;
  firstNames: string | null;
  programme: ProgrammeCode;
  siret: string;
  entryDate: string;
  exitDate: string | null;
};

export type PassRow = {
  kind: 'passes';
  passNumber: string;
  nir13: string;
  lastName: string;
  firstNames: string | null;
  siret: string;
  startDate: string;
  endDate: string | null;
};

export type RegisterRow = ParticipantRow | PassRow;
export type FieldError = { field: string; message: string };
export type RowCheck = { ok: true; row: RegisterRow } | { ok: false; errors: FieldError[] };

/** A zod cell from a field check, so that its French message becomes the issue's message. */
const cell = <T>(check: (raw: string) => FieldCheck<T>) =>
  z.string().transform((raw, ctx) => {
    const result = check(raw);
    if (result.ok) return result.value;
    ctx.issues.push({ code: 'custom', message: result.message, input: raw });
    return z.NEVER;
  });

/** An end before its start is reported on the end column, once both dates are valid. */
const endNotBeforeStart = (start: string, end: string) => (ctx: z.core.ParsePayload<Record<string, unknown>>) => {
  const [from, to] = [ctx.value[start], ctx.value[end]];
  if (typeof from === 'string' && typeof to === 'string' && to < from) {
    ctx.issues.push({
      code: 'custom',
      path: [end],
      input: to,
      message: `${end} antérieure à ${start} (${to} avant ${from}) : attendu ${start} ou une date postérieure`,
    });
  }
};

const participantSchema = z
  .object({
    nir: cell(checkNirCell),
    nom: cell((raw) => checkName('nom', raw, true)),
    prenom: cell((raw) => checkName('prenom', raw, false)),
    programme: cell(checkProgramme),
    siret_structure: cell((raw) => checkSiret('siret_structure', raw)),
    date_entree: cell((raw) => checkDate('date_entree', raw, true)),
    date_sortie: cell((raw) => checkDate('date_sortie', raw, false)),
  })
  .check(endNotBeforeStart('date_entree', 'date_sortie'))
  .transform(
    (v): ParticipantRow => ({
      kind: 'participants',
      nir13: v.nir,
      lastName: v.nom,
      firstNames: v.prenom,
      programme: v.programme,
      siret: v.siret_structure,
      entryDate: v.date_entree,
      exitDate: v.date_sortie,
    }),
  );

const passSchema = z
  .object({
    numero_pass: cell(checkPassNumber),
    nir: cell(checkNirCell),
    nom: cell((raw) => checkName('nom', raw, true)),
    prenom: cell((raw) => checkName('prenom', raw, false)),
    siret_structure: cell((raw) => checkSiret('siret_structure', raw)),
    date_debut: cell((raw) => checkDate('date_debut', raw, true)),
    date_fin: cell((raw) => checkDate('date_fin', raw, false)),
  })
  .check(endNotBeforeStart('date_debut', 'date_fin'))
  .transform(
    (v): PassRow => ({
      kind: 'passes',
      passNumber: v.numero_pass,
      nir13: v.nir,
      lastName: v.nom,
      firstNames: v.prenom,
      siret: v.siret_structure,
      startDate: v.date_debut,
      endDate: v.date_fin,
    }),
  );

const SCHEMAS = { participants: participantSchema, passes: passSchema } as const;

/** Cells by column name (missing ones read as empty) into a typed row, or every problem of the row. */
export function checkRow(kind: RegisterKind, cells: Readonly<Record<string, string>>): RowCheck {
  const input = Object.fromEntries(REGISTER_COLUMNS[kind].map((column) => [column, cells[column] ?? '']));
  const result = SCHEMAS[kind].safeParse(input);
  if (result.success) return { ok: true, row: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => ({ field: String(issue.path[0] ?? ''), message: issue.message })) };
}
