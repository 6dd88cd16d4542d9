import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personKeyFromNir } from '../../src/persons/nir.js';
import { importRegister, type RegisterRejection } from '../../src/registers/import.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';

const fixture = (name: string) => path.join(new URL('../fixtures/registers/', import.meta.url).pathname, name);

// The 13 first characters of every NIR the fixtures hold; none may be found in clear in the database.
const NIRS = {
  almeida: '2850759123456',
  martin: '185072A004123',
  dupont: '1050369123456',
  costa: '285112B033045',
  bernard: '1729999123045',
  petit: '2990175056012',
  leroy: '1680313055071',
  moreau: '2920144109087',
};
const key = (nir13: string) => personKeyFromNir(TEST_NIR_KEY, nir13);

let database: TestDatabase;
let folder: string;

const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
  (await database.pool.query(text, values)).rows as T[];

const enrolments = () =>
  query(
    `select p.name, e.programme, e.structure_siret, e.entry_date, e.exit_date, e.last_name, e.first_names
         from programme_enrolments e join (select unnest($1::bytea[]) as person_key, unnest($2::text[]) as name) p using (person_key)
         order by p.name, e.entry_date`,
    [Object.values(NIRS).map(key), Object.keys(NIRS)],
  );

const passes = () =>
  query(
    `select e.pass_number, p.name, e.structure_siret, e.start_date, e.end_date, e.last_name, e.first_names
         from iae_passes e join (select unnest($1::bytea[]) as person_key, unnest($2::text[]) as name) p using (person_key)
         order by e.pass_number`,
    [Object.values(NIRS).map(key), Object.keys(NIRS)],
  );

const persons = () =>
  query(
    `select p.name, s.identified_by, s.sex, s.birth_year, s.birth_month, s.last_name, s.first_names
         from persons s join (select distinct on (person_key) * from
           (select unnest($1::bytea[]) as person_key, unnest($2::text[]) as name) n order by person_key, name) p using (person_key)
         order by p.name`,
    [Object.values(NIRS).map(key), Object.keys(NIRS)],
  );

type Counts = { enrolments: number; passes: number; persons: number };
const counts = async (): Promise<Counts> => {
  const [row] = await query<Counts>(`select
     (select count(*)::int from programme_enrolments) as enrolments,
     (select count(*)::int from iae_passes) as passes,
     (select count(*)::int from persons) as persons`);
  if (!row) throw new Error('no counts');
  return row;
};

const snapshot = async () => ({
  enrolments: await query('select * from programme_enrolments order by id'),
  passes: await query('select * from iae_passes order by pass_number'),
  persons: await query('select * from persons order by person_key'),
});

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-registers-'));
});
afterAll(async () => {
  await database.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('participants register', () => {
  it('loads a comma file with columns in any order and case, extra columns ignored', async () => {
    const result = await importRegister(database.pool, 'participants', fixture('participants.csv'), TEST_NIR_KEY);
    expect(result).toMatchObject({ rows: 2, rejected: [] });
    expect(await enrolments()).toEqual([
      {
        name: 'almeida',
        programme: 'geiq',
        structure_siret: '12345678900012',
        entry_date: '2024-01-15',
        exit_date: '2024-06-30',
        last_name: "D'ALMEIDA",
        first_names: 'Hélène',
      },
      {
        name: 'martin',
        programme: 'rsa',
        structure_siret: '12345678900012',
        entry_date: '2023-09-01',
        exit_date: null,
        last_name: 'MARTIN',
        first_names: 'Jean-Pierre',
      },
    ]);
    expect(await query('select distinct run_id from programme_enrolments')).toEqual([{ run_id: result.runId }]);
  });

  it('inserts the persons with sex and birth from the NIR, without names', async () => {
    expect(await persons()).toEqual([
      { name: 'almeida', identified_by: 'nir', sex: '02', birth_year: 1985, birth_month: 7, last_name: null, first_names: null },
      { name: 'martin', identified_by: 'nir', sex: '01', birth_year: 1985, birth_month: 7, last_name: null, first_names: null },
    ]);
  });

  it('loads a semicolon file with a BOM, CRLF and a quoted separator', async () => {
    const result = await importRegister(database.pool, 'participants', fixture('participants-bom-semicolon.csv'), TEST_NIR_KEY);
    expect(result).toMatchObject({ rows: 2, rejected: [] });
    const rows = (await enrolments()).filter((row) => row.name === 'dupont' || row.name === 'costa');
    expect(rows).toEqual([
      {
        name: 'costa',
        programme: 'aci',
        structure_siret: '98765432100019',
        entry_date: '2024-03-01',
        exit_date: '2024-12-31',
        last_name: 'COSTA; épouse RENAUD',
        first_names: 'Maria',
      },
      {
        name: 'dupont',
        programme: 'apprentissage',
        structure_siret: '98765432100019',
        entry_date: '2023-09-04',
        exit_date: null,
        last_name: 'DUPONT',
        first_names: 'Lucas',
      },
    ]);
    const people = (await persons()).filter((row) => row.name === 'dupont' || row.name === 'costa');
    expect(people).toEqual([
      { name: 'costa', identified_by: 'nir', sex: '02', birth_year: 1985, birth_month: 11, last_name: null, first_names: null },
      // Born in 05 and 18 on entry in 2023: 2005, not 1905.
      { name: 'dupont', identified_by: 'nir', sex: '01', birth_year: 2005, birth_month: 3, last_name: null, first_names: null },
    ]);
  });

  it('reports every bad row of a mixed file with its line, column and a French message, and loads the good ones', async () => {
    const before = await counts();
    const result = await importRegister(database.pool, 'participants', fixture('participants-mixed.csv'), TEST_NIR_KEY);
    const expected: RegisterRejection[] = [
      { line: 3, field: 'nir', message: 'clé du NIR incorrecte : 12 lu, 02 attendu' },
      {
        line: 4,
        field: 'programme',
        message:
          'programme « xyz » inconnu : attendu aci, ai, ei, etti, ea, geiq, rsa, pec, apprentissage, professionnalisation, formation',
      },
      { line: 5, field: 'date_entree', message: "date_entree : « 2024-02-31 » n'est pas une date existante (AAAA-MM-JJ)" },
      {
        line: 6,
        field: 'date_sortie',
        message: 'date_sortie antérieure à date_entree (2024-02-15 avant 2024-03-01) : attendu date_entree ou une date postérieure',
      },
      {
        line: 7,
        field: 'siret_structure',
        message: "siret_structure : « 1234567890 » n'est pas un SIRET : 14 chiffres attendus (un tableur retire parfois le zéro de tête)",
      },
      { line: 7, field: 'date_entree', message: "date_entree : « 01/03/2024 » n'est pas au format AAAA-MM-JJ" },
      {
        line: 8,
        field: '',
        message:
          "la ligne a 6 champs au lieu de 7 comme l'en-tête : vérifiez les séparateurs « , » et les guillemets autour des valeurs qui en contiennent",
      },
      {
        line: 10,
        field: 'date_entree',
        message: "même personne, même programme, même structure et même date_entree qu'à la ligne 9 : seule la ligne 9 est chargée",
      },
      { line: 11, field: 'nir', message: 'nir manquant : 13 caractères attendus (15 avec la clé)' },
    ];
    expect(result.rejected).toEqual(expected);
    expect(result.rows).toBe(2);
    expect(await counts()).toEqual({ enrolments: before.enrolments + 2, passes: 0, persons: before.persons + 2 });
    const loaded = (await enrolments()).filter((row) => row.name === 'bernard' || row.name === 'leroy');
    expect(loaded).toEqual([
      {
        name: 'bernard',
        programme: 'ei',
        structure_siret: '12345678900012',
        entry_date: '2024-02-01',
        exit_date: null,
        last_name: 'BERNARD',
        first_names: 'Paul',
      },
      // Line 9 is kept, its duplicate on line 10 (with an exit date) is not.
      {
        name: 'leroy',
        programme: 'pec',
        structure_siret: '12345678900012',
        entry_date: '2024-04-01',
        exit_date: null,
        last_name: 'LEROY',
        first_names: 'Marc',
      },
    ]);
    const people = (await persons()).filter((row) => ['bernard', 'leroy', 'petit'].includes(row.name as string));
    expect(people).toEqual([
      // Month 99: born abroad with no known month.
      { name: 'bernard', identified_by: 'nir', sex: '01', birth_year: 1972, birth_month: null, last_name: null, first_names: null },
      { name: 'leroy', identified_by: 'nir', sex: '01', birth_year: 1968, birth_month: 3, last_name: null, first_names: null },
    ]);

    expect(
      await query('select kind, status, rows, rejected, files, finished_at is not null as finished from ingest_runs where id = $1', [
        result.runId,
      ]),
    ).toEqual([{ kind: 'participants', status: 'done', rows: 2, rejected: 9, files: 0, finished: true }]);
    expect(
      await query('select file, line, rubric, field, message from ingest_rejections where run_id = $1 order by id', [result.runId]),
    ).toEqual(
      expected.map((r) => ({ file: fixture('participants-mixed.csv'), line: r.line, rubric: null, field: r.field, message: r.message })),
    );
  });

  it('rejects a file missing a column as a whole, with one rejection naming it and the expected header', async () => {
    const before = await snapshot();
    const result = await importRegister(database.pool, 'participants', fixture('participants-missing-column.csv'), TEST_NIR_KEY);
    expect(result).toMatchObject({ rows: 0 });
    expect(result.rejected).toEqual([
      {
        line: 1,
        field: 'date_entree',
        message:
          "colonne « date_entree » absente de l'en-tête (séparateur lu : « , ») : en-tête attendu nir,nom,prenom,programme,siret_structure,date_entree,date_sortie (séparateur , ou ;)",
      },
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await query('select status, rows, rejected from ingest_runs where id = $1', [result.runId])).toEqual([
      { status: 'done', rows: 0, rejected: 1 },
    ]);
  });

  it('rejects a file that is not UTF-8 as a whole, naming the first bad line', async () => {
    const before = await snapshot();
    const result = await importRegister(database.pool, 'participants', fixture('participants-latin1.csv'), TEST_NIR_KEY);
    expect(result.rows).toBe(0);
    expect(result.rejected).toEqual([
      {
        line: 3,
        field: '',
        message:
          "le fichier n'est pas encodé en UTF-8 (premier caractère illisible ligne 3) : enregistrez-le au format « CSV UTF-8 » et envoyez-le de nouveau",
      },
    ]);
    // Line 2 was valid, yet nothing of the file is kept.
    expect(await snapshot()).toEqual(before);
  });

  it('rejects an empty file', async () => {
    const result = await importRegister(database.pool, 'participants', fixture('empty.csv'), TEST_NIR_KEY);
    expect(result).toMatchObject({
      rows: 0,
      rejected: [
        {
          line: 1,
          field: '',
          message:
            "fichier vide : une ligne d'en-tête est attendue (nir,nom,prenom,programme,siret_structure,date_entree,date_sortie) puis une ligne par participant",
        },
      ],
    });
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await snapshot();
    for (const name of ['participants.csv', 'participants-bom-semicolon.csv', 'participants-mixed.csv']) {
      const again = await importRegister(database.pool, 'participants', fixture(name), TEST_NIR_KEY);
      expect(again.rows).toBe(0);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('updates a row whose exit date changed, keeping one row per enrolment', async () => {
    const file = path.join(folder, 'sortie.csv');
    await writeFile(
      file,
      'nir,nom,prenom,programme,siret_structure,date_entree,date_sortie\n185072A004123,MARTIN,Jean-Pierre,rsa,12345678900012,2023-09-01,2024-02-29\n',
    );
    const before = await counts();
    const result = await importRegister(database.pool, 'participants', file, TEST_NIR_KEY);
    expect(result).toMatchObject({ rows: 1, rejected: [] });
    expect(await counts()).toEqual(before);
    expect(await query('select exit_date, run_id from programme_enrolments where person_key = $1', [key(NIRS.martin)])).toEqual([
      { exit_date: '2024-02-29', run_id: result.runId },
    ]);
  });
});

describe('PASS IAE register', () => {
  it('loads the passes, upper-cases their numbers, allows an empty end and reports bad rows', async () => {
    const before = await counts();
    const result = await importRegister(database.pool, 'passes', fixture('passes.csv'), TEST_NIR_KEY);
    expect(result.rows).toBe(2);
    expect(result.rejected).toEqual([
      {
        line: 4,
        field: 'numero_pass',
        message: "numero_pass : « PASS-0001 » n'est pas un numéro de PASS IAE : 1 à 20 lettres ou chiffres attendus",
      },
      {
        line: 5,
        field: 'date_fin',
        message: 'date_fin antérieure à date_debut (2024-04-30 avant 2024-05-01) : attendu date_debut ou une date postérieure',
      },
    ]);
    expect(await passes()).toEqual([
      {
        pass_number: '999992412345',
        name: 'almeida',
        structure_siret: '12345678900012',
        start_date: '2024-01-15',
        end_date: '2026-01-13',
        last_name: "D'ALMEIDA",
        first_names: 'Hélène',
      },
      {
        pass_number: '99999AB00001',
        name: 'leroy',
        structure_siret: '12345678900012',
        start_date: '2024-04-01',
        end_date: null,
        last_name: 'LEROY',
        first_names: 'Marc',
      },
    ]);
    // Both holders were already known from the participants register.
    expect(await counts()).toEqual({ ...before, passes: 2 });
    expect(await query('select kind, status, rows, rejected from ingest_runs where id = $1', [result.runId])).toEqual([
      { kind: 'passes', status: 'done', rows: 2, rejected: 2 },
    ]);

    const before2 = await snapshot();
    const again = await importRegister(database.pool, 'passes', fixture('passes.csv'), TEST_NIR_KEY);
    expect(again).toMatchObject({ rows: 0, rejected: result.rejected });
    expect(await snapshot()).toEqual(before2);
  });

  it('rolls everything back when the database fails mid-way, and records the failed run', async () => {
    const file = path.join(folder, 'passes-echec.csv');
    await writeFile(
      file,
      'numero_pass,nir,nom,prenom,siret_structure,date_debut,date_fin\n999992400777,292014410908778,MOREAU,Julie,12345678900012,2024-06-01,\n',
    );
    await query(`create function refuse_pass() returns trigger language plpgsql as $$ begin raise exception 'panne simulée'; end $$;
                 create trigger refuse_pass before insert on iae_passes for each row execute function refuse_pass()`);
    const before = await snapshot();
    const runsBefore = await query<{ id: number }>('select id from ingest_runs');
    try {
      await expect(importRegister(database.pool, 'passes', file, TEST_NIR_KEY)).rejects.toThrow('panne simulée');
    } finally {
      await query('drop trigger refuse_pass on iae_passes; drop function refuse_pass()');
    }
    // Moreau's person row was written before the failing upsert: it is gone with the rest.
    expect(await snapshot()).toEqual(before);
    const runs = await query('select kind, status, rows, rejected from ingest_runs where id <> all($1::bigint[])', [
      runsBefore.map((r) => r.id),
    ]);
    expect(runs).toEqual([{ kind: 'passes', status: 'failed', rows: 0, rejected: 1 }]);
    expect(await query("select file, message from ingest_rejections where message like 'import interrompu%'")).toEqual([
      { file, message: "import interrompu, rien n'a été enregistré : panne simulée" },
    ]);

    const result = await importRegister(database.pool, 'passes', file, TEST_NIR_KEY);
    expect(result).toMatchObject({ rows: 1, rejected: [] });
    expect((await persons()).find((row) => row.name === 'moreau')).toMatchObject({ sex: '02', birth_year: 1992, birth_month: 1 });
  });
});

describe('personal data', () => {
  it('keeps no NIR in clear in any text or bytea column of the register tables, the persons and the rejections', async () => {
    const columns = await query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
       where table_schema = 'public' and table_name in ('programme_enrolments', 'iae_passes', 'persons', 'ingest_rejections')
         and data_type in ('text', 'character', 'character varying', 'bytea')
       order by table_name, column_name`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(
      expect.arrayContaining([
        'persons.person_key',
        'programme_enrolments.person_key',
        'programme_enrolments.last_name',
        'iae_passes.pass_number',
        'ingest_rejections.message',
      ]),
    );
    const nirs = [...new Set(Object.values(NIRS))];
    const found: string[] = [];
    for (const { table_name, column_name, data_type } of columns) {
      // A bytea column is searched both as raw bytes and as its hex text.
      const test =
        data_type === 'bytea'
          ? `position(convert_to(n, 'UTF8') in ${column_name}) > 0 or strpos(encode(${column_name}, 'hex'), lower(n)) > 0`
          : `strpos(upper(${column_name}::text), n) > 0`;
      const hits = await query<{ n: string }>(`select distinct n from ${table_name}, unnest($1::text[]) n where ${test}`, [nirs]);
      if (hits.length > 0) found.push(`${table_name}.${column_name}`);
    }
    expect(found).toEqual([]);
    expect(await query<{ n: number }>('select count(*)::int as n from persons')).toEqual([{ n: 7 }]);
  });
});
