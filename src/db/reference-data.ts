import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { copyInto } from './copy.js';

const require = createRequire(import.meta.url);
// Read, not require(): the module cache would keep these large files in memory for the process's life.
const readJson = (name: string): unknown => JSON.parse(readFileSync(require.resolve(name), 'utf8'));

type EtalabRegion = { code: string; nom: string };
type EtalabDepartement = { code: string; nom: string; region: string };
type EtalabCommune = {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  codesPostaux?: string[];
  population?: number;
};
type NafEntry = { id: string; label: string };

// NAF rév. 2 sections group divisions by ranges; the npm package ships divisions and below only.
const NAF_SECTIONS: [string, string, number, number][] = [
  ['A', 'Agriculture, sylviculture et pêche', 1, 3],
  ['B', 'Industries extractives', 5, 9],
  ['C', 'Industrie manufacturière', 10, 33],
  ['D', "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné", 35, 35],
  ['E', "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution", 36, 39],
  ['F', 'Construction', 41, 43],
  ['G', "Commerce ; réparation d'automobiles et de motocycles", 45, 47],
  ['H', 'Transports et entreposage', 49, 53],
  ['I', 'Hébergement et restauration', 55, 56],
  ['J', 'Information et communication', 58, 63],
  ['K', "Activités financières et d'assurance", 64, 66],
  ['L', 'Activités immobilières', 68, 68],
  ['M', 'Activités spécialisées, scientifiques et techniques', 69, 75],
  ['N', 'Activités de services administratifs et de soutien', 77, 82],
  ['O', 'Administration publique', 84, 84],
  ['P', 'Enseignement', 85, 85],
  ['Q', 'Santé humaine et action sociale', 86, 88],
  ['R', 'Arts, spectacles et activités récréatives', 90, 93],
  ['S', 'Autres activités de services', 94, 96],
  ['T', 'Activités des ménages en tant qu’employeurs', 97, 98],
  ['U', 'Activités extra-territoriales', 99, 99],
];

export function nafSectionOf(division: string): string | null {
  const number = Number(division.slice(0, 2));
  return NAF_SECTIONS.find(([, , from, to]) => number >= from && number <= to)?.[0] ?? null;
}

const NAF_LEVELS = { 2: 'division', 3: 'groupe', 4: 'classe', 5: 'sous-classe' } as const;

function nafRows(): (string | null)[][] {
  const rows: (string | null)[][] = NAF_SECTIONS.map(([code, label]) => [code, label, 'section', code, null]);
  for (const entry of readJson('@socialgouv/codes-naf/index.json') as NafEntry[]) {
    const code = entry.id.replace('.', '');
    const level = NAF_LEVELS[code.length as keyof typeof NAF_LEVELS];
    rows.push([code, entry.label, level, nafSectionOf(code), code.slice(0, 2)]);
  }
  return rows;
}

/** Fills territories and NAF codes once; a no-op when they are already there. */
export async function loadReferenceData(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ loaded: boolean }>('select exists (select 1 from naf_codes) as loaded');
  if (rows[0]?.loaded) return;
  const data = '@etalab/decoupage-administratif/data';
  const regions = readJson(`${data}/regions.json`) as EtalabRegion[];
  const departements = readJson(`${data}/departements.json`) as EtalabDepartement[];
  const communes = (readJson(`${data}/communes.json`) as EtalabCommune[]).filter((c) => c.type === 'commune-actuelle');
  await client.query('begin');
  try {
    await copyInto(
      client,
      'regions',
      ['code', 'name'],
      regions.map((r) => [r.code, r.nom]),
    );
    await copyInto(
      client,
      'departements',
      ['code', 'name', 'region_code'],
      departements.map((d) => [d.code, d.nom, d.region]),
    );
    await copyInto(
      client,
      'communes',
      ['insee_code', 'name', 'departement_code', 'region_code', 'population'],
      communes.map((c) => [c.code, c.nom, c.departement, c.region, c.population ?? null]),
    );
    await copyInto(
      client,
      'commune_postal_codes',
      ['postal_code', 'insee_code'],
      communes.flatMap((c) => [...new Set(c.codesPostaux ?? [])].map((postalCode) => [postalCode, c.code])),
    );
    await copyInto(client, 'naf_codes', ['code', 'label', 'level', 'section_code', 'division_code'], nafRows());
    await client.query('commit');
    // Fresh tables have no statistics: without them every commune lookup scans the whole table.
    await client.query('analyze regions, departements, communes, commune_postal_codes, naf_codes');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
