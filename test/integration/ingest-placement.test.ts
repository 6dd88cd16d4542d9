import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRunPlacements } from '../../src/ingest/establishments.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, individual, tempDir, writeDsn } from '../helpers/dsn-builder.js';

// Expected communes, départements and régions are those of @etalab/decoupage-administratif 6.0.0.
const PERSON = { nir: '2850759123456', lastName: 'MARTIN', birth: '15071985' };

let database: TestDatabase;
let folder: string;

const query = async <T>(text: string, values: unknown[] = []) => (await database.pool.query(text, values)).rows as T[];

async function ingestOne(name: string, ...declarations: string[][]) {
  const file = await writeDsn(folder, name, envoi(...declarations));
  const summary = await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY });
  expect(summary.rejected).toEqual([]);
  const client = await database.pool.connect();
  try {
    return { summary, placements: await countRunPlacements(client, summary.runId) };
  } finally {
    client.release();
  }
}

const establishmentDeclaration = (nic: string, month: string, postalCode: string, town: string) =>
  declaration({ siren: '123456789', nic, month, postalCode, town }, individual(PERSON), contract({ start: '2024-01-02', number: nic }));

const placeOf = (siret: string) =>
  query('select commune_insee_code, departement_code, region_code, placement from establishments where siret = $1', [siret]).then(
    (rows) => rows[0],
  );

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await tempDir();
});
afterAll(async () => {
  await database.drop();
});

describe('placement functions', () => {
  it('reduces town labels and commune names to one key', async () => {
    const labels = [
      'Saint-Étienne',
      'ST ETIENNE CEDEX 1',
      'SAINT ETIENNE',
      'LYON CEDEX 07',
      'LYON 07',
      'MARSEILLE 8E',
      'MARSEILLE 1ER',
      'PARIS 15E ARRONDISSEMENT',
      '  paris  07  cedex ',
      'STE FOY LES LYON',
      'Sainte-Foy-lès-Lyon',
      "L'Haÿ-les-Roses",
      'L’HAY LES ROSES',
      'Œuilly',
      'Castillon (Canton de Lembeye)',
      'STRASBOURG',
      'CEDEX',
      null,
    ];
    const rows = await query<{ key: string | null }>(
      'select town_key(x) as key from unnest($1::text[]) with ordinality t(x, n) order by n',
      [labels],
    );
    expect(rows.map((r) => r.key)).toEqual([
      'SAINT ETIENNE',
      'SAINT ETIENNE',
      'SAINT ETIENNE',
      'LYON',
      'LYON',
      'MARSEILLE',
      'MARSEILLE',
      'PARIS',
      'PARIS',
      'SAINTE FOY LES LYON',
      'SAINTE FOY LES LYON',
      'L HAY LES ROSES',
      'L HAY LES ROSES',
      'OEUILLY',
      'CASTILLON',
      'STRASBOURG',
      '',
      null,
    ]);
  });

  it('reads the département from the postal code', async () => {
    const cases: [string | null, string | null][] = [
      ['69361', '69'],
      ['01000', '01'],
      ['20000', '2A'],
      ['20090', '2A'],
      ['20137', '2A'],
      ['20189', '2A'],
      ['20200', '2B'],
      ['20260', '2B'],
      ['20600', '2B'],
      ['97100', '971'],
      ['97306', '973'],
      ['97600', '976'],
      ['97500', '975'],
      ['97133', '977'],
      ['97150', '978'],
      ['98000', null],
      ['96000', null],
      ['00000', null],
      ['99999', null],
      ['6936', null],
      [null, null],
    ];
    const rows = await query<{ code: string | null }>(
      'select departement_of_postal_code(x) as code from unnest($1::text[]) with ordinality t(x, n) order by n',
      [cases.map(([postalCode]) => postalCode)],
    );
    expect(rows.map((r) => r.code)).toEqual(cases.map(([, code]) => code));
  });

  it('agrees with the reference for every Corsican and overseas postal code', async () => {
    const disagreements = await query(
      `select p.postal_code, c.insee_code from commune_postal_codes p join communes c using (insee_code)
       where p.postal_code ~ '^(20|97)' and departement_of_postal_code(p.postal_code) is distinct from c.departement_code`,
    );
    expect(disagreements).toEqual([]);
  });
});

describe('placement of establishments at ingest', () => {
  it('places establishments from the postal code, else from the town in the postal code’s département', async () => {
    const { placements } = await ingestOne(
      'placements.dsn',
      establishmentDeclaration('00010', '2024-01', '59000', 'LILLE'),
      establishmentDeclaration('00020', '2024-01', '69361', 'LYON CEDEX 07'),
      establishmentDeclaration('00030', '2024-01', '69000', 'LYON'),
      establishmentDeclaration('00040', '2024-01', '13000', 'MARSEILLE'),
      establishmentDeclaration('00050', '2024-01', '20189', 'AJACCIO CEDEX 2'),
      establishmentDeclaration('00060', '2024-01', '20401', 'BASTIA CEDEX 9'),
      establishmentDeclaration('00070', '2024-01', '97306', 'CAYENNE CEDEX'),
      establishmentDeclaration('00080', '2024-01', '42007', 'ST ETIENNE CEDEX 1'),
      establishmentDeclaration('00090', '2024-01', '58129', 'CHATEAU CHINON CEDEX'),
      establishmentDeclaration('00100', '2024-01', '69364', 'LYON PART DIEU CEDEX'),
      establishmentDeclaration('00110', '2024-01', '00000', 'NULLE PART'),
      establishmentDeclaration('00120', '2024-01', '98000', 'MONACO'),
    );
    const rows = await query(
      `select siret, commune_insee_code, departement_code, region_code, placement from establishments order by siret`,
    );
    const place = (siret: string, commune: string | null, departement: string | null, region: string | null, placement: string | null) => ({
      siret: `123456789${siret}`,
      commune_insee_code: commune,
      departement_code: departement,
      region_code: region,
      placement,
    });
    expect(rows).toEqual([
      place('00010', '59350', '59', '32', 'code_postal'),
      place('00020', '69123', '69', '84', 'localite'),
      place('00030', '69123', '69', '84', 'localite'),
      place('00040', '13055', '13', '93', 'localite'),
      place('00050', '2A004', '2A', '94', 'localite'),
      place('00060', '2B033', '2B', '94', 'localite'),
      place('00070', '97302', '973', '03', 'localite'),
      place('00080', '42218', '42', '84', 'localite'),
      // Château-Chinon (Ville) and Château-Chinon (Campagne) share the name.
      place('00090', null, '58', '27', 'departement'),
      place('00100', null, '69', '84', 'departement'),
      place('00110', null, null, null, null),
      place('00120', null, null, null, null),
    ]);
    expect(placements).toEqual({ placedByFallback: 9, unplaced: 2 });
  });

  it('keeps the placement of the newest declaration', async () => {
    const february = await ingestOne('fevrier.dsn', establishmentDeclaration('00200', '2024-02', '59000', 'LILLE'));
    expect(february.placements).toEqual({ placedByFallback: 0, unplaced: 0 });
    expect(await placeOf('12345678900200')).toEqual({
      commune_insee_code: '59350',
      departement_code: '59',
      region_code: '32',
      placement: 'code_postal',
    });

    const january = await ingestOne('janvier.dsn', establishmentDeclaration('00200', '2024-01', '00000', 'NULLE PART'));
    expect(january.placements).toEqual({ placedByFallback: 0, unplaced: 0 });
    expect(await placeOf('12345678900200')).toMatchObject({ commune_insee_code: '59350', placement: 'code_postal' });

    const march = await ingestOne('mars.dsn', establishmentDeclaration('00200', '2024-03', '59046', 'LILLE CEDEX'));
    expect(march.placements).toEqual({ placedByFallback: 1, unplaced: 0 });
    expect(await placeOf('12345678900200')).toEqual({
      commune_insee_code: '59350',
      departement_code: '59',
      region_code: '32',
      placement: 'localite',
    });

    const april = await ingestOne('avril.dsn', establishmentDeclaration('00200', '2024-04', '00000', 'NULLE PART'));
    expect(april.placements).toEqual({ placedByFallback: 0, unplaced: 1 });
    expect(await placeOf('12345678900200')).toEqual({
      commune_insee_code: null,
      departement_code: null,
      region_code: null,
      placement: null,
    });
  });
});
