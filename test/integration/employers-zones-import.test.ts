import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importZonesCommand } from '../../src/cli/commands/import-zones.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REJECTED } from '../../src/cli/context.js';
import { employerFiltersSchema } from '../../src/employers/filters.js';
import { listEmployers, listZones } from '../../src/employers/repository.js';
import { importZones } from '../../src/employers/zones-import.js';
import { TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { tempDir } from '../helpers/dsn-builder.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';

// Establishments of the fixture: A, B, D, E in Lille (59350), C in Arras (62041), R in Marseille (13055).
const { A, B, C, D, E, R } = SIRET;

let database: TestDatabase;
let folder: string;
beforeAll(async () => {
  database = await loadEmployersFixture();
  folder = await tempDir('sillage-zones-');
});
afterAll(async () => {
  await database.drop();
});

async function csv(name: string, text: string | Buffer): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, text);
  return file;
}

const inZone = async (zone: string) =>
  (await listEmployers(database.db, employerFiltersSchema.parse({ zone }))).rows.map((row) => row.siret);
const lastRun = async () =>
  (
    await database.pool.query(
      `select r.kind, r.status, r.files, r.rows, r.rejected, coalesce(json_agg(json_build_array(j.line, j.field, j.message) order by j.id)
         filter (where j.id is not null), '[]') as rejections
       from ingest_runs r left join ingest_rejections j on j.run_id = r.id
       where r.id = (select max(id) from ingest_runs) group by r.id`,
    )
  ).rows[0];

// INSEE's spreadsheet saved as CSV: title lines above the header, more columns than needed, a BOM.
const INSEE_FILE = [
  "Zones d'emploi 2020 : composition communale;;;;;",
  'Découpage géographique au 1er janvier 2024;;;;;',
  ';;;;;',
  'CODGEO;LIBGEO;ZE2020;LIBZE2020;DEP;REG',
  '59350;Lille;3214;Lille;59;32',
  '59009;Villeneuve-d’Ascq;3214;Lille;59;32',
  '62041;Arras;3203;Arras;62;32',
  '13055;Marseille;9326;Marseille-Aubagne;13;93',
].join('\r\n');

describe('sillage import zones', () => {
  it('loads a good file, after which employers can be filtered by zone', async () => {
    expect(await listZones(database.db)).toEqual([]);
    const result = await importZones(database.pool, await csv('ze.csv', `\uFEFF${INSEE_FILE}\r\n`));
    expect(result).toMatchObject({ loaded: true, zones: 3, communes: 4, rejected: [] });
    expect(await listZones(database.db)).toEqual([
      { code: '3203', name: 'Arras' },
      { code: '3214', name: 'Lille' },
      { code: '9326', name: 'Marseille-Aubagne' },
    ]);
    expect(await lastRun()).toEqual({ kind: 'zones', status: 'done', files: 1, rows: 4, rejected: 0, rejections: [] });
    expect(await inZone('3214')).toEqual([A, E, B, D]);
    expect(await inZone('3203')).toEqual([C]);
    expect(await inZone('9326')).toEqual([R]);
    expect(await inZone('0051')).toEqual([]);
  });

  it('rejects bad lines with their line number and loads the others in place of the previous zones', async () => {
    const file = await csv(
      'ze-bad.csv',
      [
        'codgeo,ze2020,libze2020',
        '59350,3214,Lille',
        '99999,3214,Lille',
        '62041,32O3,Arras',
        '59350,3218,Roubaix - Tourcoing',
        '59009,3214,"Lille, métropole"',
        '62041,3203,Arras',
        '1001,0051,Bourg-en-Bresse',
        '62041,3203',
        '',
      ].join('\n'),
    );
    const result = await importZones(database.pool, file);
    const rejected = [
      {
        line: 3,
        field: 'CODGEO',
        message:
          'commune 99999 inconnue du référentiel des communes : vérifiez le code, ou le millésime du fichier (communes fusionnées ou créées depuis)',
      },
      {
        line: 4,
        field: 'ZE2020',
        message:
          "ZE2020 : « 32O3 » n'est pas un code de zone d'emploi : 4 chiffres attendus, par exemple 0051 (un tableur retire parfois le zéro de tête)",
      },
      {
        line: 5,
        field: 'CODGEO',
        message: 'commune 59350 déjà rattachée à une zone ligne 2 : une seule ligne par commune est attendue',
      },
      {
        line: 6,
        field: 'LIBZE2020',
        message: "zone 3214 nommée « Lille, métropole » alors qu'elle s'appelle « Lille » ligne 2 : un seul nom par zone est attendu",
      },
      {
        line: 8,
        field: 'CODGEO',
        message:
          "CODGEO : « 1001 » n'est pas un code de commune : 5 caractères attendus, par exemple 59350 ou 2A004 (un tableur retire parfois le zéro de tête)",
      },
      {
        line: 9,
        field: '',
        message: "la ligne a 2 champ(s) au lieu de 3 comme l'en-tête : vérifiez les séparateurs « , » et les guillemets",
      },
    ];
    expect(result).toMatchObject({ loaded: true, zones: 2, communes: 2, rejected });
    // The file replaces the previous zones: Marseille-Aubagne is gone.
    expect(await listZones(database.db)).toEqual([
      { code: '3203', name: 'Arras' },
      { code: '3214', name: 'Lille' },
    ]);
    expect(await lastRun()).toEqual({
      kind: 'zones',
      status: 'done',
      files: 1,
      rows: 2,
      rejected: 6,
      rejections: rejected.map((r) => [r.line, r.field, r.message]),
    });
    expect(await inZone('3214')).toEqual([A, E, B, D]);
    expect(await inZone('9326')).toEqual([]);
  });

  it('refuses a file missing a column, a file without a good line, a file not in UTF-8: the zones stay', async () => {
    const before = await listZones(database.db);
    const missing = await importZones(database.pool, await csv('ze-missing.csv', 'CODGEO;LIBGEO;LIBZE2020\n59350;Lille;Lille\n'));
    expect(missing).toMatchObject({
      loaded: false,
      zones: 0,
      communes: 0,
      rejected: [
        {
          line: 1,
          field: 'ZE2020',
          message:
            "colonne « ZE2020 » absente de l'en-tête (séparateur lu : « ; ») : le fichier est refusé, les zones d'emploi précédentes sont conservées ; en-tête attendu CODGEO;ZE2020;LIBZE2020 (d'autres colonnes peuvent s'y ajouter, séparateur ; ou ,)",
        },
      ],
    });
    expect(await lastRun()).toMatchObject({ kind: 'zones', status: 'failed', rows: 0, rejected: 1 });
    expect(await listZones(database.db)).toEqual(before);

    const nothingGood = await importZones(database.pool, await csv('ze-none.csv', 'CODGEO;ZE2020;LIBZE2020\n99999;3214;Lille\n'));
    expect(nothingGood.loaded).toBe(false);
    expect(nothingGood.rejected.map((r) => [r.line, r.message.slice(0, 40)])).toEqual([
      [1, 'aucune ligne valable : le fichier est re'],
      [2, 'commune 99999 inconnue du référentiel de'],
    ]);
    expect(await listZones(database.db)).toEqual(before);

    const latin1 = await importZones(
      database.pool,
      await csv('ze-latin1.csv', Buffer.from('CODGEO;ZE2020;LIBZE2020\n62041;3203;Béthune\n', 'latin1')),
    );
    expect(latin1).toMatchObject({ loaded: false, rejected: [{ line: 2, field: '' }] });
    expect(latin1.rejected[0]?.message).toMatch(/^le fichier n'est pas encodé en UTF-8/);
    expect(await listZones(database.db)).toEqual(before);
    expect(await inZone('3203')).toEqual([C]);
  });

  it('exits 0 when all is loaded, 2 with rejected lines, 1 when the file is refused', async () => {
    vi.stubEnv('DATABASE_URL', database.url);
    vi.stubEnv('SILLAGE_NIR_KEY', TEST_NIR_KEY);
    const output = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const good = await csv('ze-cli.csv', INSEE_FILE);
      expect(await importZonesCommand([good])).toBe(EXIT_OK);
      expect(output).toHaveBeenLastCalledWith(
        `${good} : 3 zone(s) d'emploi, 4 commune(s) rattachée(s) ; les zones précédentes sont remplacées.\nAucun rejet.\n`,
      );
      const bad = await csv('ze-cli-bad.csv', 'CODGEO;ZE2020;LIBZE2020\n59350;3214;Lille\n99999;3214;Lille\n');
      expect(await importZonesCommand([bad, '--json'])).toBe(EXIT_REJECTED);
      expect(JSON.parse(String(output.mock.lastCall?.[0]))).toMatchObject({ loaded: true, zones: 1, communes: 1, rejected: [{ line: 3 }] });
      expect(await importZonesCommand([await csv('ze-cli-missing.csv', 'CODGEO;ZE2020\n59350;3214\n')])).toBe(EXIT_FAILED);
      await expect(importZonesCommand([])).rejects.toThrow(/^usage : sillage import zones <fichier\.csv>/);
    } finally {
      output.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(await listZones(database.db)).toEqual([{ code: '3214', name: 'Lille' }]);
  });
});
