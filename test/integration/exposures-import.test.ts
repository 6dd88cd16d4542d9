import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importExposuresCommand } from '../../src/cli/commands/import-exposures.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REJECTED } from '../../src/cli/context.js';
import { importExposures } from '../../src/exposures/import.js';
import { TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { tempDir } from '../helpers/dsn-builder.js';
import { SIRET } from '../helpers/employers-fixture.js';
import { loadExposuresFixture } from '../helpers/exposures-fixture.js';

const { A, B, C, D, E } = SIRET;
const TODAY = '2025-06-30';

let database: TestDatabase;
let folder: string;
beforeAll(async () => {
  database = await loadExposuresFixture();
  folder = await tempDir('sillage-exposures-');
});
afterAll(async () => {
  await database?.drop();
});

async function csv(name: string, text: string): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, text);
  return file;
}

const imported = async () =>
  (
    await database.pool.query(
      `select siret, exposed_on::text, channel from score_exposures where source = 'import' and run_id is not null order by siret, exposed_on`,
    )
  ).rows;
const lastRun = async () =>
  (
    await database.pool.query(
      `select r.kind, r.status, r.rows, r.rejected, coalesce(json_agg(json_build_array(j.line, j.field, j.message) order by j.line, j.id)
         filter (where j.id is not null), '[]') as rejections
       from ingest_runs r left join ingest_rejections j on j.run_id = r.id
       where r.id = (select max(id) from ingest_runs) group by r.id`,
    )
  ).rows[0];

const MIXED = [
  'siret;date;canal',
  `${A};2025-03-14;courrier`,
  `${B};14/03/2025;Rendez-vous  au salon`,
  '99999999999999;2025-03-14;courrier',
  `${C};2025-07-01;courrier`,
  `${D};31/02/2025;courrier`,
  `${E};2025-03-14;`,
  `${A.slice(0, 10)};2025-03-14;courrier`,
].join('\r\n');

describe('sillage import exposures', () => {
  it('records the good lines and rejects the others line by line, in French', async () => {
    const result = await importExposures(database.pool, await csv('remises.csv', `\uFEFF${MIXED}\r\n`), { today: TODAY });
    const rejected = [
      {
        line: 4,
        field: 'siret',
        message: 'SIRET 99999999999999 inconnu : aucune DSN reçue ne déclare cet établissement ; vérifiez le numéro',
      },
      { line: 5, field: 'date', message: 'date 2025-07-01 dans le futur : une remise de score s’enregistre une fois qu’elle a eu lieu' },
      {
        line: 6,
        field: 'date',
        message: 'date « 31/02/2025 » illisible : AAAA-MM-JJ ou JJ/MM/AAAA attendu, par exemple 2025-03-14 ou 14/03/2025',
      },
      {
        line: 7,
        field: 'canal',
        message: 'canal manquant : dites comment le score a été montré (courrier, rendez-vous, fiche imprimée…)',
      },
      { line: 8, field: 'siret', message: `SIRET « ${A.slice(0, 10)} » invalide : 14 chiffres sont attendus` },
    ];
    expect(result).toMatchObject({ loaded: true, recorded: 2, already: 0, rejected });
    expect(await imported()).toEqual([
      { siret: A, exposed_on: '2025-03-14', channel: 'courrier' },
      { siret: B, exposed_on: '2025-03-14', channel: 'Rendez-vous au salon' },
    ]);
    expect(await lastRun()).toEqual({
      kind: 'exposures',
      status: 'done',
      rows: 2,
      rejected: 5,
      rejections: rejected.map((r) => [r.line, r.field, r.message]),
    });
  });

  it('changes nothing when the same file comes again', async () => {
    const result = await importExposures(database.pool, await csv('remises-bis.csv', MIXED), { today: TODAY });
    expect(result).toMatchObject({ loaded: true, recorded: 0, already: 2 });
    expect(await imported()).toHaveLength(2);
  });

  it('refuses a file without one of its columns as a whole', async () => {
    const result = await importExposures(database.pool, await csv('sans-canal.csv', `siret,date\n${C},2025-03-14\n`), { today: TODAY });
    expect(result).toMatchObject({
      loaded: false,
      recorded: 0,
      rejected: [
        {
          line: 1,
          field: 'canal',
          message:
            "colonne « canal » absente de l'en-tête (séparateur lu : « , ») : le fichier est refusé, rien n'est enregistré ; en-tête attendu siret,date,canal (séparateur , ou ;)",
        },
      ],
    });
    expect(await lastRun()).toMatchObject({ kind: 'exposures', status: 'failed', rows: 0, rejected: 1 });
    expect(await imported()).toHaveLength(2);
  });

  it('exits 0 when all is recorded, 2 with rejected lines, 1 when the file is refused', async () => {
    vi.stubEnv('DATABASE_URL', database.url);
    vi.stubEnv('SILLAGE_NIR_KEY', TEST_NIR_KEY);
    const output = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const good = await csv('cli.csv', `siret,date,canal\n${C},01/02/2025,courrier\n`);
      expect(await importExposuresCommand([good])).toBe(EXIT_OK);
      expect(output).toHaveBeenLastCalledWith(`${good} : 1 remise(s) de score enregistrée(s).\nAucun rejet.\n`);
      const bad = await csv('cli-bad.csv', `siret,date,canal\n${D},2025-02-01,courrier\n99999999999999,2025-02-01,courrier\n`);
      expect(await importExposuresCommand([bad, '--json'])).toBe(EXIT_REJECTED);
      expect(JSON.parse(String(output.mock.lastCall?.[0]))).toMatchObject({
        loaded: true,
        recorded: 1,
        rejected: [{ line: 3, field: 'siret' }],
      });
      expect(await importExposuresCommand([await csv('cli-missing.csv', 'siret;canal\n')])).toBe(EXIT_FAILED);
      await expect(importExposuresCommand([])).rejects.toThrow(/^usage : sillage import exposures <fichier\.csv>/);
    } finally {
      output.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
