import type pg from 'pg';
import { type CopyValue, copyInto } from '../db/copy.js';
import type { RegisterKind } from './import.js';
import type { PersonFacts } from './person.js';
import type { RegisterRow } from './schemas.js';

// Database side of a register import: rows go through COPY into a staging table, then one set-based upsert.
// Everything here runs inside the caller's transaction; the staging table disappears at its end.

const STAGING = 'register_staging';
const PERSON_COLUMNS = ['line', 'person_key', 'sex', 'birth_year', 'birth_month', 'last_name', 'first_names'];

type StoreDefinition = {
  columns: readonly string[];
  types: string;
  /** The target table's unique key: two rows of the file on the same key cannot both load. */
  key: string;
  duplicate: { field: string; message: (firstLine: number) => string };
  upsert: string;
};

const STORES: Record<RegisterKind, StoreDefinition> = {
  participants: {
    columns: [...PERSON_COLUMNS, 'programme', 'structure_siret', 'entry_date', 'exit_date'],
    types: 'programme text, structure_siret text, entry_date date, exit_date date',
    key: 'person_key, programme, structure_siret, entry_date',
    duplicate: {
      field: 'date_entree',
      message: (first) =>
        `même personne, même programme, même structure et même date_entree qu'à la ligne ${first} : seule la ligne ${first} est chargée`,
    },
    // Only rows that change are written, so that importing the same file twice changes nothing.
    upsert: `
      insert into programme_enrolments (person_key, programme, structure_siret, entry_date, exit_date, last_name, first_names, run_id)
      select person_key, programme, structure_siret, entry_date, exit_date, last_name, first_names, $1 from ${STAGING}
      on conflict (person_key, programme, structure_siret, entry_date) do update set
        exit_date = excluded.exit_date, last_name = excluded.last_name, first_names = excluded.first_names, run_id = excluded.run_id
      where (programme_enrolments.exit_date, programme_enrolments.last_name, programme_enrolments.first_names)
        is distinct from (excluded.exit_date, excluded.last_name, excluded.first_names)`,
  },
  passes: {
    columns: [...PERSON_COLUMNS, 'pass_number', 'structure_siret', 'start_date', 'end_date'],
    types: 'pass_number text, structure_siret text, start_date date, end_date date',
    key: 'pass_number',
    duplicate: {
      field: 'numero_pass',
      message: (first) => `numéro de PASS déjà présent ligne ${first} : seule la ligne ${first} est chargée`,
    },
    upsert: `
      insert into iae_passes (pass_number, person_key, structure_siret, start_date, end_date, last_name, first_names, run_id)
      select pass_number, person_key, structure_siret, start_date, end_date, last_name, first_names, $1 from ${STAGING}
      on conflict (pass_number) do update set
        person_key = excluded.person_key, structure_siret = excluded.structure_siret, start_date = excluded.start_date,
        end_date = excluded.end_date, last_name = excluded.last_name, first_names = excluded.first_names, run_id = excluded.run_id
      where (iae_passes.person_key, iae_passes.structure_siret, iae_passes.start_date, iae_passes.end_date,
          iae_passes.last_name, iae_passes.first_names)
        is distinct from (excluded.person_key, excluded.structure_siret, excluded.start_date, excluded.end_date,
          excluded.last_name, excluded.first_names)`,
  },
};

// A person is added once, never overwritten: the DSN knows more about people it declares than a register does.
const INSERT_PERSONS = `
  insert into persons (person_key, identified_by, sex, birth_year, birth_month)
  select distinct on (person_key) person_key, 'nir', sex, birth_year, birth_month
  from ${STAGING} order by person_key, birth_year is null, line
  on conflict (person_key) do nothing`;

export async function createStaging(client: pg.PoolClient, kind: RegisterKind): Promise<void> {
  await client.query(`
    create temp table ${STAGING} (
      line integer not null, person_key bytea not null, sex text, birth_year smallint, birth_month smallint,
      last_name text, first_names text, ${STORES[kind].types}
    ) on commit drop`);
}

/** One staging row: the NIR itself is not in it, only the person's key and what the NIR says. */
export function stagingValues(line: number, row: RegisterRow, person: PersonFacts): CopyValue[] {
  const common = [line, person.personKey, person.sex, person.birthYear, person.birthMonth, row.lastName, row.firstNames];
  return row.kind === 'participants'
    ? [...common, row.programme, row.siret, row.entryDate, row.exitDate]
    : [...common, row.passNumber, row.siret, row.startDate, row.endDate];
}

export async function copyToStaging(client: pg.PoolClient, kind: RegisterKind, rows: CopyValue[][]): Promise<void> {
  await copyInto(client, STAGING, STORES[kind].columns, rows);
}

export type Duplicate = { line: number; field: string; message: string };

/** Rows repeating an earlier row's key are taken out of staging; the first one stays. */
export async function removeDuplicates(client: pg.PoolClient, kind: RegisterKind): Promise<Duplicate[]> {
  const { key, duplicate } = STORES[kind];
  // A person registered under a former NIR or NTT is the person the DSN now knows under the current one.
  await client.query(`update ${STAGING} s set person_key = l.person_key from person_links l where s.person_key = l.former_key`);
  const { rows } = await client.query<{ line: number; first_line: number }>(`
    delete from ${STAGING} s
    using (select line, min(line) over (partition by ${key}) as first_line from ${STAGING}) d
    where s.line = d.line and d.line <> d.first_line
    returning s.line, d.first_line`);
  return rows.map((r) => ({ line: r.line, field: duplicate.field, message: duplicate.message(r.first_line) }));
}

/** Adds the new persons, then upserts the register rows; returns how many register rows were written. */
export async function upsertStaging(client: pg.PoolClient, kind: RegisterKind, runId: number): Promise<number> {
  await client.query(INSERT_PERSONS);
  const result = await client.query(STORES[kind].upsert, [runId]);
  return result.rowCount ?? 0;
}
