import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeFilters } from '../../src/outcomes/filters.js';
import { outcomesByCohort, outcomesByProgramme, outcomesByTerritory, outcomesCsv } from '../../src/outcomes/repository.js';
import type { TerritoryScope } from '../../src/outcomes/territory.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadOutcomesFixture, siretOf } from '../helpers/outcomes-fixture.js';
import { buildTestApp, getPage, type SignedIn, signedIn } from '../helpers/web.js';

// The funder journey on the outcomes fixture (test/helpers/outcomes-fixture.ts; its figures are worked out in
// test/integration/outcomes-repository.test.ts): 23 exits in Hauts-de-France, 18 of them in the Nord (59).

let database: TestDatabase;
let app: FastifyInstance;
let admin: SignedIn;
let national: SignedIn;
let nord: SignedIn;

beforeAll(async () => {
  database = await loadOutcomesFixture();
  app = await buildTestApp(database);
  [admin, national, nord] = await Promise.all([
    signedIn(database, 'admin'),
    signedIn(database, 'financeur', [{ kind: 'france' }]),
    signedIn(database, 'financeur', [{ kind: 'departement', code: '59' }]),
  ]);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '');
/** What a reader sees: no tags, entities decoded, every kind of space as one space. */
const text = (html: string) =>
  decode(html.replace(/<[^>]+>/g, ' '))
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();
const main = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';

type Row = { cells: string[]; html: string[] };
/** The body rows of the table inside the element of that id: each cell's text and markup. */
function tableRows(html: string, id: string): Row[] {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no table ${id}`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html.slice(start))?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => {
    const cells = [...(row[1] ?? '').matchAll(/<(th|td)[^>]*>([\s\S]*?)<\/\1>/g)].map((cell) => cell[2] ?? '');
    return { cells: cells.map(text), html: cells };
  });
}
/** The header texts of the second header row (the columns under "À 6 mois" and "À 12 mois"). */
function columnHeaders(html: string, id: string): string[] {
  const start = html.indexOf(`id="${id}"`);
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(html.slice(start))?.[1] ?? '';
  const rows = [...head.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => text(c[1] ?? '')),
  );
  return [...(rows[0] ?? []), ...(rows[1] ?? [])];
}
/** The chart specs of the page, parsed back from their data-chart attributes, in page order. */
const charts = (html: string) =>
  [...html.matchAll(/<canvas data-chart="([^"]*)"/g)].map(
    (m) => JSON.parse(decode(m[1] ?? '')) as { type: string; labels: string[]; datasets: { label: string; data: (number | null)[] }[] },
  );

// A line's cells after its labels: exits, then for 6 and 12 months: observable, employed, rate, durable, rate, in programme, share.
const NOT_OBSERVABLE = ['0', '0', '–', '0', '–', '0', '–'];
const SECRET_6 = ['secret', 'secret', 'secret', 'secret', 'secret', 'secret'];
const ACI = "Atelier et chantier d'insertion (ACI)";
const GEIQ = "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)";
const ALL = 'Ensemble des dispositifs';
const GEIQ_12 = ['12', '6', '50,0 %', '6', '50,0 %', '0', '0,0 %'];

const page = async (url: string, as: SignedIn) => {
  const response = await getPage(app, url, as);
  expect(response.statusCode, url).toBe(200);
  return response.body;
};

describe('outcomes page: national figures', () => {
  it.each([
    ['an admin', () => admin],
    ['a national funder', () => national],
  ])('%s sees the national figures by programme, cohort and région', async (_, who) => {
    const html = await page('/resultats', who());
    expect(text(html)).toContain('pour votre territoire : France entière');
    expect(tableRows(html, 'tableau-dispositifs').map((r) => r.cells)).toEqual([
      // aci: 5 of 11 employed at 6 months; the one person still in IAE is secret; nothing observable at 12 months.
      [ACI, '11', '11', '5', '45,5 %', '5', '45,5 %', 'secret', 'secret', ...NOT_OBSERVABLE],
      [GEIQ, '12', '12', '6', '50,0 %', '6', '50,0 %', 'secret', 'secret', ...GEIQ_12],
      [ALL, '23', '23', '11', '47,8 %', '11', '47,8 %', 'secret', 'secret', ...GEIQ_12],
    ]);
    expect(tableRows(html, 'tableau-cohortes').map((r) => r.cells.slice(0, 5))).toEqual([
      ['4e trimestre 2023', ALL, '12', '12', '6'],
      ['4e trimestre 2023', GEIQ, '12', '12', '6'],
      ['1er trimestre 2024', ALL, '11', '11', '5'],
      ['1er trimestre 2024', ACI, '11', '11', '5'],
      ['Ensemble des cohortes', ALL, '23', '23', '11'],
    ]);
    expect(text(html)).toContain('Par région');
    expect(tableRows(html, 'tableau-territoires').map((r) => r.cells.slice(0, 5))).toEqual([
      ['Hauts-de-France : voir ses départements', '23', '23', '11', '47,8 %'],
      ['Ensemble', '23', '23', '11', '47,8 %'],
    ]);
    expect(columnHeaders(html, 'tableau-dispositifs')).toEqual([
      'Dispositif',
      'Sorties',
      'À 6 mois',
      'À 12 mois',
      ...[
        'Sorties observables',
        'En emploi',
        'Taux d’emploi',
        'En emploi durable',
        'Taux d’emploi durable',
        'Toujours dans le dispositif',
        'Part toujours dans le dispositif',
      ],
      ...[
        'Sorties observables',
        'En emploi',
        'Taux d’emploi',
        'En emploi durable',
        'Taux d’emploi durable',
        'Toujours dans le dispositif',
        'Part toujours dans le dispositif',
      ],
    ]);
  });

  it('is a French DSFR page: one h1 then h2, labelled fields, the note, no inline style or script, Chart.js loaded', async () => {
    const html = await page('/resultats', national);
    const headings = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(headings.filter((level) => level === 1)).toHaveLength(1);
    expect(headings.indexOf(1)).toBeLessThan(headings.indexOf(2));
    expect(headings.every((level) => level <= 2)).toBe(true);
    for (const name of ['programme', 'region', 'departement', 'cohorte', 'sexe', 'age']) {
      expect(html).toContain(`<label class="fr-label" for="filtre-${name}">`);
      expect(html).toMatch(new RegExp(`<select class="fr-select" id="filtre-${name}" name="${name}"`));
    }
    const body = text(html);
    for (const words of [
      'Lire ces résultats',
      'Sorties observables',
      'jamais comptée comme sans emploi',
      'CDI',
      'moins de 5 personnes',
      'Exporter en CSV',
    ]) {
      expect(body).toContain(words);
    }
    expect(html).toContain('href="/methodologie"');
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).toContain('<script src="/vendor/chartjs/chart.umd.min.js"></script>');
    expect(html).toContain('<script src="/static/charts.js"></script>');
    expect(html).toMatch(/<canvas data-chart="[^"]+" role="img" aria-label="[^"]+">/);
  });

  it('draws charts whose rates are those of the tables, null where the table says secret or no exit is observable', async () => {
    for (const [url, who] of [
      ['/resultats', national],
      ['/resultats', nord],
      ['/resultats?sexe=femme', national],
      ['/resultats?programme=aci', national],
    ] as const) {
      const html = await page(url, who);
      const [byProgramme, byCohort] = charts(html);
      const rate = (cell: string) =>
        cell === 'secret' || cell.startsWith('–') ? null : Number(cell.replace(' %', '').replace(',', '.')) / 100;
      // Taux d'emploi and taux d'emploi durable, at 6 then 12 months: the columns after the labels.
      const rates = (row: Row, labels: number) => [3, 5, 10, 12].map((column) => rate(row.cells[labels + column] ?? ''));
      const programmeRows = tableRows(html, 'tableau-dispositifs');
      expect(byProgramme?.type).toBe('bar');
      expect(byProgramme?.labels).toEqual([
        ...programmeRows.slice(0, -1).map((r) => /\(([^)]+)\)$/.exec(r.cells[0] ?? '')?.[1]),
        'Ensemble',
      ]);
      const series = (spec: typeof byProgramme) => spec?.datasets.map((d) => d.data.map((v) => (v === null ? null : Math.round(v * 1000))));
      const columns = (rows: Row[], labels: number) =>
        [0, 1, 2, 3].map((s) => rows.map((r) => rates(r, labels)[s]).map((v) => (v === null ? null : Math.round((v ?? 0) * 1000))));
      expect(series(byProgramme)).toEqual(columns(programmeRows, 1));
      expect(byProgramme?.datasets.map((d) => d.label)).toEqual([
        'En emploi à 6 mois',
        'En emploi durable à 6 mois',
        'En emploi à 12 mois',
        'En emploi durable à 12 mois',
      ]);
      // The cohort chart: one point per quarter, all programmes (or the one chosen).
      const cohortRows = tableRows(html, 'tableau-cohortes').filter((r) =>
        url.includes('programme=') ? r.cells[0] !== 'Ensemble des cohortes' : r.cells[1] === ALL && r.cells[0] !== 'Ensemble des cohortes',
      );
      expect(byCohort?.type).toBe('line');
      expect(byCohort?.labels).toEqual(cohortRows.map((r) => r.cells[0]));
      expect(series(byCohort)).toEqual(columns(cohortRows, 2));
    }
    const nordChart = charts(await page('/resultats', nord))[0];
    // In the Nord, the employment rates of both programmes at 6 months are secret; 8 of 18 overall.
    expect(nordChart?.datasets[0]?.data).toEqual([null, null, 0.444]);
    expect(nordChart?.datasets[2]?.data).toEqual([null, 0.5, 0.5]);
  });
});

describe('outcomes page: a funder of the Nord', () => {
  it('sees only the Nord, with the secret cells written « secret » and their values absent', async () => {
    const html = await page('/resultats', nord);
    const body = text(html);
    expect(body).toContain('pour votre territoire : département 59 - Nord');
    for (const elsewhere of ['Pas-de-Calais', 'ARRAS', siretOf('ACI62'), 'Hauts-de-France']) expect(body).not.toContain(elsewhere);
    const rows = tableRows(html, 'tableau-dispositifs');
    expect(rows.map((r) => r.cells)).toEqual([
      // ACI59 alone: 2 of 6 employed at 6 months, secret; GEIQ's 6 hidden so that 8 - 6 does not give it back.
      [ACI, '6', '6', ...SECRET_6, ...NOT_OBSERVABLE],
      [GEIQ, '12', '12', ...SECRET_6, ...GEIQ_12],
      [ALL, '18', '18', '8', '44,4 %', '8', '44,4 %', 'secret', 'secret', ...GEIQ_12],
    ]);
    // The hidden values: ACI 2 employed (33,3 %), GEIQ 6 (50,0 %) at 6 months; each cell holds only its explanation.
    for (const row of rows.slice(0, 2)) {
      for (const cell of row.html.slice(3, 9)) {
        expect(cell).toBe('secret');
        expect(cell).not.toMatch(/\d(?! personnes)/);
      }
    }
    expect(body).not.toContain('33,3 %');
    expect(body).toContain('« secret » : moins de 5 personnes (secret statistique)');
    // Region options: none of them lies wholly in the Nord, so no région field.
    expect(html).not.toContain('id="filtre-region"');
    expect([...html.matchAll(/<select[^>]*id="filtre-departement"[\s\S]*?<\/select>/g)][0]?.[0]).toMatch(
      /<option value=""[^>]*>Tous les départements<\/option>\s*<option value="59">59 - Nord<\/option>\s*<\/select>/,
    );
  });

  it('drills down from the département to its structures, and back up', async () => {
    const html = await page('/resultats', nord);
    expect(text(html)).toContain('Par département');
    const rows = tableRows(html, 'tableau-territoires');
    expect(rows.map((r) => r.cells.slice(0, 4))).toEqual([
      ['Nord : voir ses structures', '18', '18', '8'],
      ['Ensemble', '18', '18', '8'],
    ]);
    expect(rows[0]?.html[0]).toContain('<a class="fr-link" href="/resultats?departement=59#par-territoire">Nord');
    const structures = await page('/resultats?departement=59', nord);
    expect(text(structures)).toContain('Par structure : 59 - Nord');
    expect(tableRows(structures, 'tableau-territoires').map((r) => r.cells.slice(0, 4))).toEqual([
      [`LILLE (SIRET ${siretOf('GEIQ59')})`, '12', '12', 'secret'],
      [`ROUBAIX (SIRET ${siretOf('ACI59')})`, '6', '6', 'secret'],
      ['Ensemble', '18', '18', '8'],
    ]);
    expect(structures).toContain('href="/resultats#par-territoire">Remonter : Tout votre territoire, par département</a>');
  });

  it('is refused a territory outside its own, with no figure at all', async () => {
    for (const url of [
      '/resultats?departement=62',
      '/resultats?region=11',
      '/resultats?region=32',
      '/resultats?departement=59&region=32',
      '/resultats.csv?vue=programmes&departement=62',
      '/resultats.csv?vue=territoires&region=32',
    ]) {
      const response = await getPage(app, url, nord);
      expect(response.statusCode, url).toBe(403);
      const content = text(main(response.body));
      expect(content).toMatch(/^Accès refusé (Le département demandé|La région demandée) n’est pas dans le territoire de votre compte/);
      expect(content, url).not.toMatch(/\d/);
      expect(response.body).not.toContain('data-chart');
      expect(response.body).not.toContain('<table');
    }
  });
});

describe('drill-down for the whole country', () => {
  it('goes from régions to départements to structures, keeping the other filters', async () => {
    const regions = await page('/resultats?sexe=homme', admin);
    expect(tableRows(regions, 'tableau-territoires')[0]?.html[0]).toContain('href="/resultats?region=32&amp;sexe=homme#par-territoire"');
    const departements = await page('/resultats?region=32&sexe=homme', admin);
    expect(text(departements)).toContain('Par département : Hauts-de-France');
    const rows = tableRows(departements, 'tableau-territoires');
    expect(rows.map((r) => r.cells[0])).toEqual(['Nord : voir ses structures', 'Pas-de-Calais : voir ses structures', 'Ensemble']);
    expect(rows[1]?.html[0]).toContain('href="/resultats?region=32&amp;departement=62&amp;sexe=homme#par-territoire"');
    expect(departements).toContain('href="/resultats?sexe=homme#par-territoire">Remonter : France entière, par région</a>');
    const structures = await page('/resultats?region=32&departement=62&sexe=homme', admin);
    expect(tableRows(structures, 'tableau-territoires').map((r) => r.cells.slice(0, 2))).toEqual([
      [`ARRAS (SIRET ${siretOf('ACI62')})`, '5'],
      ['Ensemble', '5'],
    ]);
    expect(structures).toContain(
      'href="/resultats?region=32&amp;sexe=homme#par-territoire">Remonter : Hauts-de-France, par département</a>',
    );
    expect(structures).toContain('<option value="62" selected>62 - Pas-de-Calais</option>');
  });

  it('says so when the département is not in the région chosen', async () => {
    const html = await page('/resultats?region=11&departement=59', admin);
    expect(text(html)).toContain('Ce département n’est pas dans la région choisie');
    expect(html).not.toContain('data-chart');
  });
});

describe('CSV export', () => {
  const FRANCE: TerritoryScope = { kind: 'france' };
  const NORD: TerritoryScope = { kind: 'departements', codes: ['59'] };
  const cases: { who: () => SignedIn; scope: TerritoryScope; query: string; filters: OutcomeFilters; file: string }[] = [
    { who: () => national, scope: FRANCE, query: '', filters: {}, file: '' },
    { who: () => nord, scope: NORD, query: '', filters: {}, file: '' },
    { who: () => admin, scope: FRANCE, query: '&region=32&cohorte=2024', filters: { region: '32', cohort: '2024' }, file: '-32-2024' },
    { who: () => nord, scope: NORD, query: '&departement=59&sexe=femme', filters: { departement: '59', sex: 'femme' }, file: '-59-femme' },
  ];

  it('answers for each view exactly the table shown, as outcomesCsv writes it', async () => {
    for (const { who, scope, query, filters, file } of cases) {
      const pageHtml = await page(`/resultats?${query.slice(1)}`, who());
      const level = filters.departement ? 'structure' : filters.region || scope.kind !== 'france' ? 'departement' : 'region';
      const expected = {
        programmes: outcomesCsv(await outcomesByProgramme(database.db, scope, filters)),
        cohortes: outcomesCsv(await outcomesByCohort(database.db, scope, filters)),
        territoires: outcomesCsv(await outcomesByTerritory(database.db, scope, filters, level)),
      };
      for (const [vue, csv] of Object.entries(expected)) {
        const url = `/resultats.csv?vue=${vue}${query}`;
        expect(pageHtml).toContain(`href="${url.replaceAll('&', '&amp;')}"`);
        const response = await getPage(app, url, who());
        expect(response.statusCode, url).toBe(200);
        expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(response.headers['content-disposition']).toBe(`attachment; filename="resultats-${vue}${file}.csv"`);
        expect(response.body).toBe(csv);
        // The rows of the file are the rows of the table on the page.
        const id = { programmes: 'tableau-dispositifs', cohortes: 'tableau-cohortes', territoires: 'tableau-territoires' }[vue] ?? '';
        const lines = response.body.replace('\uFEFF', '').trimEnd().split('\r\n').slice(1);
        expect(lines.map((line) => line.split(';')[0])).toEqual(
          tableRows(pageHtml, id).map((r) => (r.cells[0] ?? '').replace(/ : voir ses (départements|structures)$/, '')),
        );
      }
    }
  });

  it("writes the Nord funder's secret cells as « secret », never their values", async () => {
    const response = await getPage(app, '/resultats.csv?vue=programmes', nord);
    expect(response.body.split('\r\n')[1]).toBe(`${ACI};6;6;secret;secret;secret;secret;secret;secret;0;0;;0;;0;`);
  });

  it('refuses an unknown view or filter with a French message', async () => {
    const view = await getPage(app, '/resultats.csv?vue=personnes', national);
    expect(view.statusCode).toBe(400);
    expect(text(view.body)).toContain('Paramètre « vue » invalide : attendu programmes, cohortes, territoires');
    const filter = await getPage(app, '/resultats.csv?vue=programmes&sexe=autre', national);
    expect(filter.statusCode).toBe(400);
    expect(text(filter.body)).toContain('sexe : attendu femme ou homme');
  });
});

describe('invalid filters', () => {
  it('answers 400 with the form again, the field in error and its French message, and no figure', async () => {
    const response = await getPage(app, '/resultats?programme=geiq&cohorte=2024-T5', national);
    expect(response.statusCode).toBe(400);
    const html = response.body;
    expect(text(html)).toContain('Un filtre n’est pas valide');
    expect(html).toContain('<title>Filtre invalide – Résultats des dispositifs · Sillage</title>');
    expect(html).toContain(
      '<a href="#filtre-cohorte">cohorte : un trimestre AAAA-T1 à AAAA-T4 ou une année AAAA est attendu (par exemple 2024-T3)</a>',
    );
    expect(html).toMatch(/<div class="fr-select-group fr-mb-0 fr-select-group--error">\s*<label class="fr-label" for="filtre-cohorte">/);
    expect(html).toContain('id="filtre-cohorte" name="cohorte" aria-invalid="true" aria-describedby="filtre-cohorte-erreur"');
    expect(html).toContain('<p class="fr-error-text" id="filtre-cohorte-erreur">cohorte : un trimestre');
    // The valid filter is kept; no table, no chart.
    expect(html).toMatch(/<option value="geiq" selected>/);
    expect(html).not.toContain('<table');
    expect(html).not.toContain('data-chart');
    const several = await getPage(app, '/resultats?region=99&age=vieux', national);
    expect(several.statusCode).toBe(400);
    expect(text(several.body)).toContain('région : code inconnu');
    expect(text(several.body)).toContain('âge : attendu moins_26, 26_49, 50_plus');
    expect(several.body.match(/fr-select-group--error/g)).toHaveLength(2);
  });
});

describe('who may open the outcomes', () => {
  it('refuses counsellors and structures, and sends anonymous visitors to sign in', async () => {
    const counsellor = await signedIn(database, 'conseiller');
    const structure = await signedIn(database, 'structure', [{ kind: 'siret', code: siretOf('ACI59') }]);
    for (const who of [counsellor, structure]) {
      for (const url of ['/resultats', '/resultats.csv?vue=programmes']) {
        const response = await getPage(app, url, who);
        expect(response.statusCode, url).toBe(403);
        expect(response.body).not.toContain('<table');
      }
    }
    const anonymous = await getPage(app, '/resultats?departement=59');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/connexion?suite=%2Fresultats%3Fdepartement%3D59');
    expect((await app.inject('/resultats.csv?vue=programmes')).statusCode).toBe(401);
  });

  it('tells a funder without a territory so, with no figure', async () => {
    const nobody = await signedIn(database, 'financeur', []);
    const html = await page('/resultats', nobody);
    expect(text(html)).toContain('Aucun territoire rattaché à votre compte');
    expect(html).not.toContain('<table');
  });
});
