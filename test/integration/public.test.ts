import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';
import { LEAVERS, loadOutcomesFixture, siretOf } from '../helpers/outcomes-fixture.js';
import { buildTestApp, getPage } from '../helpers/web.js';

// The public dashboard, anonymous, on the outcomes fixture (test/helpers/outcomes-fixture.ts) and the employers
// fixture (test/helpers/employers-fixture.ts).

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] as string);

/** A table's body rows as the page shows them, by the id of its DSFR wrapper. */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`pas de tableau ${id}`);
  const body = html.slice(start).match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] as string).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      decode((cell[1] as string).replace(/<[^>]+>/g, '')).trim(),
    ),
  );
}

/** A shown cell as the CSV writes it: "45,5 %" -> "45,5", "–" (nothing observable) -> "". */
const asCsvCell = (text: string) =>
  text === '–' ? '' : text.replace(/[\s\u202f\u00a0]*%$/, '').replace(/^(\d+)[\s\u202f\u00a0](\d{3})$/, '$1$2');

/** The fields of a `;` CSV line, quoted ones unquoted. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  for (let i = 0; i <= line.length; ) {
    if (line[i] === '"') {
      let text = '';
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] !== '"') text += line[j];
        else if (line[j + 1] === '"') text += line[++j];
        else break;
      }
      fields.push(text);
      i = j + 2;
    } else {
      const end = line.indexOf(';', i) < 0 ? line.length : line.indexOf(';', i);
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

/** Rows of a CSV file, after its byte order mark. */
function csvRows(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text
    .slice(1)
    .split('\r\n')
    .filter((line) => line !== '')
    .map(csvFields);
}

async function csv(app: FastifyInstance, view: string) {
  const response = await app.inject({ method: 'GET', url: `/public.csv?vue=${view}` });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(response.headers['content-disposition']).toBe(`attachment; filename="sillage-public-${view}.csv"`);
  return csvRows(response.body);
}

describe('public dashboard: outcomes', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let page: string;
  beforeAll(async () => {
    database = await loadOutcomesFixture();
    app = await buildTestApp(database);
    const response = await getPage(app, '/public');
    expect(response.statusCode).toBe(200);
    page = response.body;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  // The fixture: GEIQ59 (geiq, 12 exits on 31 Dec 2023): 6 in a CDI at 6 and 12 months. ACI59 + ACI62 (aci, 6 + 5
  // exits on 31 Mar 2024): 2 + 3 in a CDI at 6 months (5/11 = 45,5 %), 1 in a CDDI of another ACI (still in IAE:
  // 1 person, secret, and the GEIQ's 0 beside it as a part of that total of 1); 12 months after March 2024 is past
  // the DSN's last month: not observable. All: 11/23 = 47,8 % at 6 months, 6/12 = 50,0 % at 12. Every CDI is durable.
  const NOT_OBSERVABLE = ['0', '0', '', '0', '', '0', ''];
  const GEIQ_M6 = ['12', '6', '50,0', '6', '50,0', 'secret', 'secret'];
  const GEIQ_M12 = ['12', '6', '50,0', '6', '50,0', '0', '0,0'];
  const ACI_M6 = ['11', '5', '45,5', '5', '45,5', 'secret', 'secret'];
  const ALL_M6 = ['23', '11', '47,8', '11', '47,8', 'secret', 'secret'];
  const ALL = ['23', ...ALL_M6, ...GEIQ_M12];
  const EXPECTED = {
    programmes: [
      ["Atelier et chantier d'insertion (ACI)", '11', ...ACI_M6, ...NOT_OBSERVABLE],
      ["Groupement d'employeurs pour l'insertion et la qualification (GEIQ)", '12', ...GEIQ_M6, ...GEIQ_M12],
      ['Ensemble des dispositifs', ...ALL],
    ],
    // All exits are in Hauts-de-France (32).
    regions: [
      ['Hauts-de-France', ...ALL],
      ['Ensemble', ...ALL],
    ],
    // The GEIQ left in 2023, the ACI in 2024: the same lines, protected as one table with their total.
    annees: [
      ['2023', '12', ...GEIQ_M6, ...GEIQ_M12],
      ['2024', '11', ...ACI_M6, ...NOT_OBSERVABLE],
      ['Toutes les années', ...ALL],
    ],
  };

  it('opens without signing in, in French, without the signed-in navigation', async () => {
    expect(page).toContain('<h1>Chiffres publics de l’insertion</h1>');
    expect(page).toContain('Lire ces chiffres');
    expect(page).not.toContain('Menu principal');
    expect(page).not.toContain('Se déconnecter');
    const embed = await getPage(app, '/public/integrer');
    expect(embed.statusCode).toBe(200);
    expect(embed.body).toContain('Chiffres publics de l’insertion</h1>');
    expect(embed.body).toContain('href="/public" target="_blank" rel="noopener"');
    expect(embed.body).not.toContain('fr-header');
    expect(embed.body).not.toContain('fr-footer');
  });

  it.each(Object.keys(EXPECTED) as (keyof typeof EXPECTED)[])('shows the national figures %s, secret cells as "secret"', async (view) => {
    expect(tableRows(page, `tableau-${view}`).map((row) => row.map(asCsvCell))).toEqual(EXPECTED[view]);
    expect(page).toContain(`href="/public.csv?vue=${view}"`);
  });

  it.each(Object.keys(EXPECTED) as (keyof typeof EXPECTED)[])('sends the table %s as CSV, exactly as shown', async (view) => {
    const [header, ...rows] = await csv(app, view);
    expect(rows).toEqual(EXPECTED[view]);
    expect(header?.slice(1, 4)).toEqual(['Sorties', 'Sorties observables à 6 mois', 'En emploi à 6 mois']);
  });

  it('draws the rates from the very cells of the table: a missing point for a secret', () => {
    const chart = page.match(/<canvas data-chart="([^"]*)"/)?.[1];
    const spec = JSON.parse(decode(chart ?? '{}'));
    expect(spec.labels).toEqual(['ACI', 'GEIQ', 'Ensemble']);
    // En emploi à 6 mois: 5/11, 6/12, 11/23 to the 0.1 point.
    expect(spec.datasets[0]).toMatchObject({ label: 'En emploi à 6 mois', data: [0.455, 0.5, 0.478] });
    // En emploi à 12 mois: nothing observable for the ACI.
    expect(spec.datasets[2]).toMatchObject({ data: [null, 0.5, 0.5], notes: ['pas encore observable', null, null] });
  });

  it('shows nobody: no name, no NIR, no SIRET of a structure', async () => {
    const embed = (await getPage(app, '/public/integrer')).body;
    for (const body of [page, embed]) {
      expect(body).not.toMatch(/\b[12]\d{12}\b/);
      expect(body).not.toContain('Camille');
      for (const leaver of LEAVERS) expect(body).not.toContain(`>${leaver.id.toUpperCase()}<`);
      for (const structure of ['GEIQ59', 'ACI59', 'ACI62', 'ENT75'] as const) expect(body).not.toContain(siretOf(structure));
    }
  });

  it('lets only the embed be framed, by any site', async () => {
    const embed = await getPage(app, '/public/integrer');
    expect(embed.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(embed.headers['content-security-policy']).toContain("script-src 'self'");
    expect(embed.headers['x-frame-options']).toBeUndefined();
    for (const url of ['/public', '/connexion', '/public.csv?vue=programmes']) {
      const response = await getPage(app, url);
      expect(response.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(response.headers['x-frame-options'], url).toBe('DENY');
    }
  });

  it('gives the iframe snippet to copy, escaped, pointing at the embed at the configured address (default HOST:PORT)', () => {
    expect(page).toContain('<pre tabindex="0"><code>&lt;iframe src=&quot;http://127.0.0.1:3000/public/integrer&quot;');
    expect(page).not.toContain('<iframe');
  });

  it('keeps the rendered page until the next refresh', async () => {
    expect((await getPage(app, '/public')).body).toBe(page);
  });

  it('refuses an unknown table in French', async () => {
    const response = await app.inject({ method: 'GET', url: '/public.csv?vue=personnes' });
    expect(response.statusCode).toBe(400);
    expect(response.json().erreur).toContain('Paramètre « vue » invalide');
  });
});

describe('public dashboard: engaged employers', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let page: string;
  beforeAll(async () => {
    database = await loadEmployersFixture();
    app = await buildTestApp(database);
    page = (await getPage(app, '/public')).body;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  // Scores (test/integration/employers-repository.test.ts): A 61.5, engaged; B 44, C 45.2, E 50, R 50; D, 4 hires,
  // no score. A, B, C, E are in Hauts-de-France (32), R in Provence-Alpes-Côte d'Azur (93). Sections: A and B
  // (NAF 88) and C (86) in Q, E (47) in G, R (56) in I. Counts of 1 establishment are published: not persons.
  const EXPECTED = {
    'employeurs-regions': [
      ['Hauts-de-France', '1', '4'],
      ["Provence-Alpes-Côte d'Azur", '0', '1'],
      ['France entière', '1', '5'],
    ],
    'employeurs-secteurs': [
      ["G – Commerce ; réparation d'automobiles et de motocycles", '0', '1'],
      ['I – Hébergement et restauration', '0', '1'],
      ['Q – Santé humaine et action sociale', '1', '3'],
      ['France entière', '1', '5'],
    ],
  };

  it.each(Object.keys(EXPECTED) as (keyof typeof EXPECTED)[])(
    'counts engaged and scored establishments, %s, page and CSV alike',
    async (view) => {
      expect(tableRows(page, `tableau-${view}`)).toEqual(EXPECTED[view]);
      const [header, ...rows] = await csv(app, view);
      expect(header?.slice(1)).toEqual(['Entreprises engagées', 'Établissements notés']);
      expect(rows).toEqual(EXPECTED[view]);
    },
  );

  it('says these counts are of establishments, published without the secret, and names no establishment', () => {
    expect(page).toContain('Ce sont des nombres d’établissements, pas de personnes');
    for (const siret of Object.values(SIRET)) expect(page).not.toContain(siret);
    expect(page).not.toContain('PERSONNE');
    expect(page).not.toContain('SALARIE');
  });

  it('shows no exits yet, and says so', () => {
    expect(page).toContain('Aucune sortie de dispositif pour l’instant');
  });
});
