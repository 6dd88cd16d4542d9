import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CsvItem, detectSeparator, readCsv, readHeaderLine, stripBom } from '../../src/registers/csv.js';
import { checkHeader } from '../../src/registers/header.js';
import { birthFromNir } from '../../src/registers/person.js';
import { PROGRAMME_CODES, PROGRAMME_LABELS, PROGRAMMES } from '../../src/registers/programmes.js';
import { checkRow } from '../../src/registers/schemas.js';
import { NotUtf8Error } from '../../src/registers/utf8.js';

const participant = (cells: Record<string, string> = {}) =>
  checkRow('participants', {
    nir: '2850759123456',
    nom: "D'ALMEIDA",
    prenom: 'Hélène',
    programme: 'geiq',
    siret_structure: '12345678900012',
    date_entree: '2024-01-15',
    date_sortie: '',
    ...cells,
  });

const pass = (cells: Record<string, string> = {}) =>
  checkRow('passes', {
    numero_pass: '999992412345',
    nir: '2850759123456',
    nom: 'LEROY',
    prenom: 'Marc',
    siret_structure: '12345678900012',
    date_debut: '2024-04-01',
    date_fin: '',
    ...cells,
  });

const errorsOf = (result: ReturnType<typeof checkRow>) => (result.ok ? [] : result.errors);

describe('NIR', () => {
  it('accepts 13 characters, and 15 with the right key', () => {
    // 2850759123456 = 97 x 29389269313 + 95: key 97 - 95 = 02.
    for (const nir of ['2850759123456', '285075912345602', ' 2 85 07 59 123 456 02 ']) {
      const result = participant({ nir });
      expect(result).toMatchObject({ ok: true, row: { nir13: '2850759123456' } });
    }
  });

  it('reports a wrong key with the key read and the key expected', () => {
    expect(errorsOf(participant({ nir: '285075912345612' }))).toEqual([
      { field: 'nir', message: 'clé du NIR incorrecte : 12 lu, 02 attendu' },
    ]);
  });

  it('computes Corsica keys with 2A read as 19 and 2B as 18', () => {
    // 185072A004123 -> 1850719004123 = 97 x 19079577362 + 9: key 97 - 9 = 88.
    expect(participant({ nir: '185072A00412388' })).toMatchObject({ ok: true, row: { nir13: '185072A004123' } });
    // Lower case is the same NIR.
    expect(participant({ nir: '185072a00412388' })).toMatchObject({ ok: true, row: { nir13: '185072A004123' } });
    // 285112B033045 -> 2851118033045 = 97 x 29392969412 + 81: key 97 - 81 = 16.
    expect(participant({ nir: '285112B03304516' })).toMatchObject({ ok: true, row: { nir13: '285112B033045' } });
    // Read as 20 instead of 18, the number would give another key: 16 is the one expected.
    expect(errorsOf(participant({ nir: '285112B03304517' }))).toEqual([
      { field: 'nir', message: 'clé du NIR incorrecte : 17 lu, 16 attendu' },
    ]);
  });

  it('reports a missing or malformed NIR without quoting it', () => {
    expect(errorsOf(participant({ nir: '' }))).toEqual([
      { field: 'nir', message: 'nir manquant : 13 caractères attendus (15 avec la clé)' },
    ]);
    const [error] = errorsOf(participant({ nir: '28507591234' }));
    expect(error).toEqual({
      field: 'nir',
      message: 'NIR invalide : 13 caractères attendus (15 avec la clé), chiffres, 2A ou 2B pour la Corse',
    });
  });
});

describe('dates', () => {
  it('accepts existing ISO dates, including 29 February of a leap year', () => {
    expect(participant({ date_entree: '2024-02-29', date_sortie: '2024-03-01' })).toMatchObject({
      ok: true,
      row: { entryDate: '2024-02-29', exitDate: '2024-03-01' },
    });
    expect(participant({ date_sortie: '' })).toMatchObject({ ok: true, row: { exitDate: null } });
  });

  it('reports dates that do not exist', () => {
    expect(errorsOf(participant({ date_entree: '2024-02-31' }))).toEqual([
      { field: 'date_entree', message: "date_entree : « 2024-02-31 » n'est pas une date existante (AAAA-MM-JJ)" },
    ]);
    expect(errorsOf(participant({ date_entree: '2023-02-29' }))[0]?.message).toBe(
      "date_entree : « 2023-02-29 » n'est pas une date existante (AAAA-MM-JJ)",
    );
    expect(errorsOf(participant({ date_sortie: '2024-13-01' }))[0]?.message).toBe(
      "date_sortie : « 2024-13-01 » n'est pas une date existante (AAAA-MM-JJ)",
    );
  });

  it('reports dates in another format, and a missing entry date', () => {
    for (const value of ['15/01/2024', '2024-1-15', '20240115', '2024-01-15T00:00']) {
      expect(errorsOf(participant({ date_entree: value }))).toEqual([
        { field: 'date_entree', message: `date_entree : « ${value} » n'est pas au format AAAA-MM-JJ` },
      ]);
    }
    expect(errorsOf(participant({ date_entree: '' }))).toEqual([
      { field: 'date_entree', message: 'date_entree manquante : une date AAAA-MM-JJ est attendue' },
    ]);
    expect(errorsOf(participant({ date_entree: '0024-01-15' }))[0]?.message).toBe(
      'date_entree : « 0024-01-15 » est hors des années 1900 à 2100 (AAAA-MM-JJ)',
    );
  });

  it('reports an exit before the entry, and accepts an exit on the entry day', () => {
    expect(errorsOf(participant({ date_entree: '2024-03-01', date_sortie: '2024-02-15' }))).toEqual([
      {
        field: 'date_sortie',
        message: 'date_sortie antérieure à date_entree (2024-02-15 avant 2024-03-01) : attendu date_entree ou une date postérieure',
      },
    ]);
    expect(participant({ date_entree: '2024-03-01', date_sortie: '2024-03-01' }).ok).toBe(true);
    expect(errorsOf(pass({ date_debut: '2024-05-01', date_fin: '2024-04-30' }))).toEqual([
      {
        field: 'date_fin',
        message: 'date_fin antérieure à date_debut (2024-04-30 avant 2024-05-01) : attendu date_debut ou une date postérieure',
      },
    ]);
  });
});

describe('programmes, SIRET, PASS numbers and names', () => {
  it('reads programme codes in any case with spaces around, and lists the expected ones for an unknown one', () => {
    expect(participant({ programme: ' GEIQ ' })).toMatchObject({ ok: true, row: { programme: 'geiq' } });
    expect(participant({ programme: 'Professionnalisation' })).toMatchObject({ ok: true, row: { programme: 'professionnalisation' } });
    expect(errorsOf(participant({ programme: 'xyz' }))).toEqual([
      {
        field: 'programme',
        message:
          'programme « xyz » inconnu : attendu aci, ai, ei, etti, ea, geiq, rsa, pec, apprentissage, professionnalisation, formation',
      },
    ]);
    expect(errorsOf(participant({ programme: '' }))[0]?.message).toBe(
      'programme manquant : attendu aci, ai, ei, etti, ea, geiq, rsa, pec, apprentissage, professionnalisation, formation',
    );
  });

  it('labels every programme in French', () => {
    expect(PROGRAMME_CODES).toEqual([
      'aci',
      'ai',
      'ei',
      'etti',
      'ea',
      'geiq',
      'rsa',
      'pec',
      'apprentissage',
      'professionnalisation',
      'formation',
    ]);
    expect(PROGRAMMES.every((p) => p.label.length > 0)).toBe(true);
    expect(PROGRAMME_LABELS.geiq).toBe("Groupement d'employeurs pour l'insertion et la qualification (GEIQ)");
  });

  it('wants a SIRET of 14 digits, spaces aside', () => {
    expect(participant({ siret_structure: '123 456 789 00012' })).toMatchObject({ ok: true, row: { siret: '12345678900012' } });
    expect(errorsOf(participant({ siret_structure: '1234567890001' }))).toEqual([
      {
        field: 'siret_structure',
        message:
          "siret_structure : « 1234567890001 » n'est pas un SIRET : 14 chiffres attendus (un tableur retire parfois le zéro de tête)",
      },
    ]);
  });

  it('wants a PASS number of 1 to 20 letters or digits, stored in upper case', () => {
    expect(pass({ numero_pass: '99999ab00001' })).toMatchObject({
      ok: true,
      row: { kind: 'passes', passNumber: '99999AB00001', endDate: null },
    });
    expect(pass({ numero_pass: 'A' }).ok).toBe(true);
    for (const value of ['PASS-0001', '123456789012345678901', 'PASSÉ']) {
      expect(errorsOf(pass({ numero_pass: value }))).toEqual([
        {
          field: 'numero_pass',
          message: `numero_pass : « ${value} » n'est pas un numéro de PASS IAE : 1 à 20 lettres ou chiffres attendus`,
        },
      ]);
    }
    expect(errorsOf(pass({ numero_pass: ' ' }))[0]?.message).toBe('numero_pass manquant : 1 à 20 lettres ou chiffres attendus');
  });

  it('wants a last name, allows no first name and trims both', () => {
    expect(participant({ nom: '  DE  LA  FONTAINE ', prenom: '' })).toMatchObject({
      ok: true,
      row: { lastName: 'DE LA FONTAINE', firstNames: null },
    });
    expect(errorsOf(participant({ nom: '' }))).toEqual([{ field: 'nom', message: 'nom manquant : le nom de famille est attendu' }]);
  });

  it('reports every bad cell of a row at once', () => {
    expect(errorsOf(participant({ nir: '285075912345612', programme: 'xyz', date_entree: '2024-02-31' })).map((e) => e.field)).toEqual([
      'nir',
      'programme',
      'date_entree',
    ]);
  });
});

describe('birth from the NIR', () => {
  it('picks the century that makes the person 14 to 100 years old on the entry date', () => {
    expect(birthFromNir('2850759123456', '2024-01-15')).toEqual({ year: 1985, month: 7 });
    expect(birthFromNir('1050369123456', '2023-09-04')).toEqual({ year: 2005, month: 3 });
    expect(birthFromNir('1100369123456', '2024-01-01')).toEqual({ year: 2010, month: 3 });
    expect(birthFromNir('1240369123456', '2024-01-01')).toEqual({ year: 1924, month: 3 });
    // 2011 would be 13 years old and 1911, 113: no year.
    expect(birthFromNir('1110369123456', '2024-01-01')).toEqual({ year: null, month: 3 });
    // Month 99 (or 20 and above): unknown month.
    expect(birthFromNir('1729999123045', '2024-02-01')).toEqual({ year: 1972, month: null });
    expect(birthFromNir('1723099123045', '2024-02-01')).toEqual({ year: 1972, month: null });
  });
});

describe('CSV reading', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-registers-unit-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  const write = async (name: string, content: string | Buffer) => {
    const file = path.join(folder, name);
    await writeFile(file, content);
    return file;
  };
  const items = async (file: string, separator: ',' | ';') => {
    const all: CsvItem[] = [];
    for await (const item of readCsv(file, separator)) all.push(item);
    return all;
  };

  it('detects the separator from the header line, ignoring quoted text', () => {
    expect(detectSeparator('nir,nom,prenom,programme')).toBe(',');
    expect(detectSeparator('nir;nom;prenom;programme')).toBe(';');
    expect(detectSeparator('\uFEFFnir;nom;prenom;programme')).toBe(';');
    expect(detectSeparator('"nom, usage";nir;prenom')).toBe(';');
    expect(detectSeparator('"a;b;c",nir,nom')).toBe(',');
    expect(detectSeparator('nir')).toBe(',');
  });

  it('drops the BOM from the header line and the first field', async () => {
    expect(stripBom('\uFEFFnir;nom')).toBe('nir;nom');
    expect(stripBom('nir;nom')).toBe('nir;nom');
    const file = await write('bom.csv', '\uFEFFnir;nom\r\n1;DUPONT\r\n');
    expect(await readHeaderLine(file)).toBe('nir;nom');
    expect(await items(file, ';')).toEqual([
      { kind: 'record', line: 1, fields: ['nir', 'nom'] },
      { kind: 'record', line: 2, fields: ['1', 'DUPONT'] },
    ]);
  });

  it('numbers records by their first line, across blank lines and quoted line breaks', async () => {
    const file = await write('lines.csv', 'a,b\n1,2\n\n"sur\ndeux lignes",3\n,\n4,5\n');
    expect(await items(file, ',')).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 2, fields: ['1', '2'] },
      { kind: 'record', line: 4, fields: ['sur\ndeux lignes', '3'] },
      { kind: 'record', line: 7, fields: ['4', '5'] },
    ]);
  });

  it('reports an unclosed quote from the line it opens on', async () => {
    const file = await write('quote.csv', 'a,b\n1,2\n3,"4\n5,6\n');
    expect(await items(file, ',')).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 2, fields: ['1', '2'] },
      {
        kind: 'error',
        line: 3,
        message: "guillemet ouvert et jamais refermé : les lignes 3 à 4 n'ont pas pu être lues ; refermez le guillemet ou retirez-le",
      },
    ]);
  });

  it('refuses a file that is not UTF-8, naming the first bad line', async () => {
    const file = await write('latin1.csv', Buffer.from('a,b\n1,2\nZo\xe9,3\n', 'latin1'));
    await expect(items(file, ',')).rejects.toEqual(new NotUtf8Error(3));
    await expect(items(file, ',')).rejects.toBeInstanceOf(NotUtf8Error);
  });

  it('accepts a character split across read chunks', async () => {
    // 64 KB read chunks: an "é" straddling the boundary must not look invalid.
    const file = await write('long.csv', `a,b\n${'x'.repeat(65_536 - 5)}é,1\n`);
    const all = await items(file, ',');
    expect(all[1]).toEqual({ kind: 'record', line: 2, fields: [`${'x'.repeat(65_531)}é`, '1'] });
  });
});

describe('header', () => {
  it('finds columns by name in any order and case, ignoring extra columns', () => {
    const check = checkHeader(
      'participants',
      ['Prenom', 'NOM', ' nir ', 'programme', 'commentaire', 'siret_structure', 'date_entree', 'date_sortie'],
      ',',
    );
    expect(check.ok && Object.fromEntries(check.positions)).toEqual({
      nir: 2,
      nom: 1,
      prenom: 0,
      programme: 3,
      siret_structure: 5,
      date_entree: 6,
      date_sortie: 7,
    });
    expect(check.ok && check.width).toBe(8);
  });

  it('names the missing columns and the expected header', () => {
    expect(checkHeader('passes', ['numero_pass', 'nir', 'nom', 'prenom', 'siret_structure'], ';')).toEqual({
      ok: false,
      field: 'date_debut',
      message:
        "colonnes « date_debut », « date_fin » absentes de l'en-tête (séparateur lu : « ; ») : en-tête attendu numero_pass,nir,nom,prenom,siret_structure,date_debut,date_fin (séparateur , ou ;)",
    });
  });
});
