import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { employerFiltersSchema } from '../../src/employers/filters.js';
import { employersCsv, listEmployersForCsv } from '../../src/employers/repository.js';
import { importZones } from '../../src/employers/zones-import.js';
import { employerRoutes } from '../../src/web/routes/employers.js';
import type { TestDatabase } from '../helpers/database.js';
import { tempDir } from '../helpers/dsn-builder.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';
import { andWaitForNotice, buildTestApp, getPage, type SignedIn, signedIn } from '../helpers/web.js';

// The counsellor's pages on the employers fixture (test/helpers/employers-fixture.ts); the figures are those
// computed by hand in test/integration/employers-repository.test.ts. Scores: A 61.5 (engagée), E 50, R 50,
// C 45.2, B 44, D no score (4 hires). Statistical secret: no count of 1 to 4 people, nor what gives it away (its
// share, the count beside it when the rest is 1 to 4, a second cell of its line).
const { A, B, C, D, E, R } = SIRET;
const SECRET = 'secret statistique (moins de 5 personnes)';

let database: TestDatabase;
let app: FastifyInstance;
let counsellor: SignedIn;
beforeAll(async () => {
  database = await loadEmployersFixture();
  app = await buildTestApp(database);
  // The same routes with 2 rows a page, to see the pagination on 6 establishments.
  await app.register(employerRoutes, {
    db: database.db,
    pool: database.pool,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    pageSize: 2,
    prefix: '/essai',
  });
  counsellor = await signedIn(database, 'conseiller');
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const decodeEntities = (html: string) =>
  html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
const text = (html: string) =>
  decodeEntities(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .replace(/ ([.,)])/g, '$1')
    .replace(/\( /g, '(')
    .trim();

const page = async (url: string, as: SignedIn = counsellor) => {
  const response = await getPage(app, url, as);
  return { status: response.statusCode, html: response.body, text: text(response.body) };
};

/** The SIRETs of the result table, in order. */
const listed = (html: string) => [...html.matchAll(/<th scope="row"><a class="fr-link" href="[^"]*\/(\d{14})">/g)].map((m) => m[1]);

/** The body rows of the table with that id, each as its cells' text. */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`id="${id}"`);
  expect(start, `tableau ${id}`).toBeGreaterThan(-1);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody>'));
  return body
    .split('<tr>')
    .slice(1)
    .map((row) => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1] ?? '')));
}

/** Every chart of the page, by canvas id, as the chart script reads its data-chart attribute. */
function charts(html: string): Record<string, { type: string; labels: string[]; datasets: { label: string; data: (number | null)[] }[] }> {
  return Object.fromEntries(
    [...html.matchAll(/<canvas id="([^"]+)" data-chart="([^"]*)"/g)].map((m) => [m[1], JSON.parse(decodeEntities(m[2] ?? ''))]),
  );
}

/** The values a select offers. */
function options(html: string, id: string): string[] {
  const start = html.indexOf(`<select class="fr-select" id="${id}"`);
  const select = html.slice(start, html.indexOf('</select>', start));
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1] ?? '');
}

const hrefs = (html: string, className: string) =>
  [...html.matchAll(new RegExp(`<a class="${className}"[^>]*?href="([^"]+)"`, 'g'))].map((m) => decodeEntities(m[1] ?? ''));

describe('GET /employeurs: the list', () => {
  it('lists every establishment that hired, by score, with its place, sector, hires, score and label', async () => {
    const { status, html, text: content } = await page('/employeurs');
    expect(status).toBe(200);
    expect(listed(html)).toEqual([A, E, R, C, B, D]);
    expect(content).toContain('6 établissements');
    expect(tableRows(html, 'tableau-employeurs')).toEqual([
      [A, 'Lille (59350)', 'Nord (59)', 'Action sociale sans hébergement n.c.a. (8899B)', '5', '61,5', 'Engagée'],
      [E, 'Lille (59350)', 'Nord (59)', 'Hypermarchés (4711F)', '7', '50', 'Non engagée –'],
      [R, 'Marseille (13055)', 'Bouches-du-Rhône (13)', 'Restauration de type rapide (5610C)', '10', '50', 'Non engagée –'],
      [C, 'Arras (62041)', 'Pas-de-Calais (62)', 'Activités hospitalières (8610Z)', '5', '45,2', 'Non engagée –'],
      [B, 'Lille (59350)', 'Nord (59)', 'Action sociale sans hébergement n.c.a. (8899B)', '5', '44', 'Non engagée –'],
      [D, 'Lille (59350)', 'Nord (59)', 'Action sociale sans hébergement n.c.a. (8899B)', '4', 'pas de score', 'Non engagée –'],
    ]);
    expect(html).toContain(`<a class="fr-link" href="/employeurs/${A}">${A}</a>`);
    expect(html.match(/class="fr-badge fr-badge--success fr-badge--sm">Engagée</g)).toHaveLength(1);
    expect(hrefs(html, 'fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-download-line')).toEqual(['/employeurs.csv']);
    // No zone imported yet: the hint instead of the select.
    expect(content).toContain('Importez les zones avec sillage import zones');
    expect(html).not.toContain('id="zone"');
    // One h1, then h2; no inline style or script under the strict CSP.
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).not.toContain(' style=');
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
  });

  it.each([
    ['region=32', [A, E, C, B, D]],
    ['region=93', [R]],
    ['departement=62', [C]],
    ['commune=59350', [A, E, B, D]],
    ['section=Q', [A, C, B, D]],
    ['section=g', [E]],
    ['division=88', [A, B, D]],
    ['score_min=50', [A, E, R]],
    ['engagees=oui', [A]],
    ['region=32&division=88&score_min=44', [A, B]],
    // Equal hires come by SIRET.
    ['tri=embauches_desc', [R, E, C, A, B, D]],
    ['region=&departement=&commune=&section=&division=&score_min=&critere=&tri=score_asc', [B, C, E, R, A, D]],
  ])('filters %s', async (query, sirets) => {
    const { status, html, text: content } = await page(`/employeurs?${query}`);
    expect(status).toBe(200);
    expect(listed(html)).toEqual(sirets);
    expect(content).toContain(`${sirets.length} établissement${sirets.length > 1 ? 's' : ''}`);
  });

  it('shows the filters chosen in the form, départements narrowed to the région and divisions to the section', async () => {
    const { html } = await page(
      '/employeurs?region=32&departement=59&section=Q&division=88&score_min=40&engagees=oui&critere=cdi&tri=critere_desc',
    );
    expect(html).toContain('<option value="32" selected>Hauts-de-France</option>');
    expect(options(html, 'departement')).toEqual(['', '02', '59', '60', '62', '80']);
    expect(options(html, 'division')).toEqual(['', '86', '87', '88']);
    expect(options(html, 'section')).toHaveLength(22);
    expect(html).toContain('<option value="59" selected>59 – Nord</option>');
    expect(html).toContain('<option value="88" selected>88 – Action sociale sans hébergement</option>');
    expect(html).toContain('id="score_min" name="score_min" type="text" value="40"');
    expect(html).toMatch(/id="engagees" name="engagees" value="oui" checked/);
    expect(html).toContain('<option value="cdi" selected>Propose des CDI</option>');
    expect(html).toContain('<option value="critere_desc" selected>Critère mis en avant décroissant</option>');
    expect(listed(html)).toEqual([A]);
    // Every field has its label.
    for (const id of ['region', 'departement', 'commune', 'section', 'division', 'score_min', 'engagees', 'critere', 'tri']) {
      expect(html).toContain(`<label class="fr-label" for="${id}">`);
    }
  });

  it('says so when nothing matches, without an export link', async () => {
    const { status, html, text: content } = await page('/employeurs?departement=13&section=Q');
    expect(status).toBe(200);
    expect(listed(html)).toEqual([]);
    expect(content).toContain('Aucun établissement ne correspond à ces filtres');
    expect(html).not.toContain('Exporter en CSV');
  });

  it('adds the highlighted criterion: its value (the secret marker when hidden) and its rank among peers', async () => {
    const { html, text: content } = await page('/employeurs?critere=under_26&tri=critere_desc');
    expect(content).toContain('Recrute des jeunes de moins de 26 ans Rang parmi les pairs');
    // Under 26: E 0/7 and C 0/5 (rank 1/6) shown; A 2/5 (rank 5/6), B 1/5 and R 3/10 give away fewer than 5
    // people, D has 4 hires (not ranked): secret, sorted last by SIRET; ranks stay.
    expect(tableRows(html, 'tableau-employeurs').map((row) => [row[0], row[7], row[8]])).toEqual([
      [E, '0 %', '50 %'],
      [C, '0 %', '17 %'],
      [D, SECRET, 'non classé'],
      [A, SECRET, '83 %'],
      [B, SECRET, '50 %'],
      [R, SECRET, '50 %'],
    ]);
    const days = await page('/employeurs?region=32&critere=mean_fixed_term_days');
    // Mean fixed-term length: B 3 CDD (secret), C 90 days; A and E have none among 5 or more hires (nothing to
    // measure), D 4 hires (secret).
    expect(tableRows(days.html, 'tableau-employeurs').map((row) => [row[0], row[7], row[8]])).toEqual([
      [A, 'non mesurable', 'non classé'],
      [E, 'non mesurable', 'non classé'],
      [C, '90 jours', '75 %'],
      [B, SECRET, '25 %'],
      [D, SECRET, 'non classé'],
    ]);
    // No earlier contract: R 9/10 gives away the 1 hire who had one; C 5/5 (none had one) is shown.
    const noPrior = await page('/employeurs?region=93&critere=no_prior_contract');
    expect(tableRows(noPrior.html, 'tableau-employeurs').map((row) => [row[0], row[7], row[8]])).toEqual([[R, SECRET, '50 %']]);
    const noPriorC = await page('/employeurs?departement=62&critere=no_prior_contract');
    expect(tableRows(noPriorC.html, 'tableau-employeurs').map((row) => [row[0], row[7], row[8]])).toEqual([[C, '100 %', '50 %']]);
  });

  it('pages the list with DSFR pagination whose links keep the filters', async () => {
    const first = await page('/essai/employeurs?region=32&critere=woman');
    expect(listed(first.html)).toEqual([A, E]);
    expect(first.text).toContain('5 établissements, page 1 sur 3');
    expect(hrefs(first.html, 'fr-pagination__link')).toEqual([
      '/essai/employeurs?region=32&critere=woman&page=2',
      '/essai/employeurs?region=32&critere=woman&page=3',
    ]);
    expect(hrefs(first.html, 'fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label')).toEqual([
      '/essai/employeurs?region=32&critere=woman&page=2',
    ]);
    expect(first.html).toContain('<a class="fr-pagination__link" aria-current="page" title="Page 1">1</a>');
    expect(first.html).toContain('<a class="fr-pagination__link fr-pagination__link--first" aria-disabled="true" role="link">');
    // The export takes the whole filtered list, whatever the page.
    const second = await page('/essai/employeurs?region=32&critere=woman&page=2');
    expect(listed(second.html)).toEqual([C, B]);
    expect(hrefs(second.html, 'fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-download-line')).toEqual([
      '/essai/employeurs.csv?region=32&critere=woman',
    ]);
    expect(hrefs(second.html, 'fr-pagination__link fr-pagination__link--first')).toEqual(['/essai/employeurs?region=32&critere=woman']);
    const last = await page('/essai/employeurs?region=32&critere=woman&page=3');
    expect(listed(last.html)).toEqual([D]);
    const past = await page('/essai/employeurs?region=32&critere=woman&page=9');
    expect(past.status).toBe(200);
    expect(past.text).toContain('Cette page est vide');
    expect(past.html).toContain('href="/essai/employeurs?region=32&amp;critere=woman">Revenir à la première page</a>');
  });

  it('answers bad filters with 400, the form again and each field’s French message', async () => {
    const { status, html, text: content } = await page('/employeurs?commune=5935&score_min=101&engagees=peut-etre&region=32');
    expect(status).toBe(400);
    expect(html).toContain('<title>Erreur – Entreprises engagées · Sillage</title>');
    expect(content).toContain('Les filtres n’ont pas pu être appliqués');
    for (const [field, message] of [
      ['commune', 'commune : un code INSEE de 5 caractères est attendu (par exemple 59350)'],
      ['score_min', 'score minimum : un nombre de 0 à 100 est attendu'],
      ['engagees', 'entreprises engagées : « oui » ou « non » est attendu'],
    ]) {
      expect(html).toContain(`<li><a href="#${field}">${message}</a></li>`);
      expect(html).toContain(`<p id="${field}-erreur" class="fr-error-text">${message}</p>`);
      expect(html).toContain(`aria-describedby="${field}-erreur"`);
    }
    expect(html).toContain('<div class="fr-input-group fr-input-group--error">');
    expect(html).toContain('id="commune" name="commune" type="text" value="5935"');
    expect(html).toContain('<option value="32" selected>Hauts-de-France</option>');
    expect(html).not.toContain('id="tableau-employeurs"');

    const sort = await page('/employeurs?tri=critere_desc');
    expect(sort.status).toBe(400);
    expect(sort.html).toContain('<div class="fr-select-group fr-select-group--error">');
    expect(sort.html).toContain(
      '<p id="tri-erreur" class="fr-error-text">tri par critère : choisissez aussi le critère à mettre en avant (paramètre critere)</p>',
    );
    const pageZero = await page('/employeurs?page=0');
    expect(pageZero.status).toBe(400);
    expect(pageZero.html).toContain('<li>page : un nombre entier à partir de 1 est attendu</li>');
  });
});

describe('GET /employeurs.csv', () => {
  it.each([
    ['region=32&critere=mean_fixed_term_days&page=3', 6],
    ['engagees=oui&critere=woman', 2],
    ['departement=13', 2],
    ['', 7],
  ])('sends the whole filtered list as employersCsv writes it (%s)', async (query, lines) => {
    const response = await app.inject({ url: `/employeurs.csv?${query}`, cookies: counsellor.cookies });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="entreprises-engagees.csv"');
    const filters = employerFiltersSchema.parse(Object.fromEntries(new URLSearchParams(query)));
    expect(response.body).toBe(employersCsv(await listEmployersForCsv(database.db, filters), filters.critere));
    expect(response.body.startsWith('\uFEFFSIRET;')).toBe(true);
    expect(response.body.split('\r\n')).toHaveLength(lines + 1);
  });

  it('writes the hand-computed figures of the fixture, `secret` for a hidden value', async () => {
    const response = await app.inject({ url: '/employeurs.csv?departement=62&critere=mean_fixed_term_days', cookies: counsellor.cookies });
    expect(response.body.split('\r\n')[1]).toBe(
      '54206547900011;54206547900011;62041;Arras;62;Pas-de-Calais;8610Z;Activités hospitalières;5;45,2;non;90,0;75',
    );
    // BOETH: R 1 of 10 (secret, as its share would say 1 person), A 1 of 5 (secret), C 0 of 5 (shown).
    const boeth = await app.inject({ url: '/employeurs.csv?critere=boeth&tri=siret_asc', cookies: counsellor.cookies });
    const cells = (line: string) => [line.split(';')[0], ...line.split(';').slice(-2)];
    expect(boeth.body.split('\r\n').filter(Boolean).map(cells)).toEqual([
      ['\uFEFFSIRET', 'recrute des travailleurs handicapés (BOETH) : part en %', 'Rang parmi les pairs (centile)'],
      [D, 'secret', ''],
      [E, '0,0', '50'],
      [C, '0,0', '33'],
      [A, 'secret', '83'],
      [B, '0,0', '33'],
      [R, 'secret', '50'],
    ]);
  });

  it('refuses bad filters with 400 and the French message', async () => {
    const response = await app.inject({ url: '/employeurs.csv?division=8', cookies: counsellor.cookies });
    expect(response.statusCode).toBe(400);
    expect(response.json().erreur).toContain('division NAF : 2 chiffres sont attendus (par exemple 88)');
  });
});

describe('GET /employeurs/:siret: one establishment', () => {
  it("shows R's score broken down, with the hand-computed figures and the secret where fewer than 5 people", async () => {
    const { status, html, text: content } = await page(`/employeurs/${R}`);
    expect(status).toBe(200);
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(content).toContain(`Établissement ${R}`);
    expect(content).toContain('Restauration de type rapide · Marseille');
    expect(content).toContain('Embauches de février 2023 à janvier 2025');
    expect(content).toContain('Score d’engagement 50 / 100 Non engagée : sous 60');
    expect(content).toContain('Embauches sur 24 mois 10');
    expect(content).toContain(
      "Seul établissement noté de la section NAF I « Hébergement et restauration » dans la région Provence-Alpes-Côte d'Azur (93)",
    );
    expect(tableRows(html, 'tableau-identite')).toEqual([
      ['SIRET', R],
      ['SIREN (entreprise)', '912345678'],
      ['Commune (code INSEE)', 'Marseille (13055)'],
      ['Département', 'Bouches-du-Rhône (13)'],
      ['Région', "Provence-Alpes-Côte d'Azur (93)"],
      ['Activité (code NAF)', '5610C – Restauration de type rapide'],
      ['Division NAF', '56 – Restauration'],
      ['Section NAF', 'I – Hébergement et restauration'],
    ]);
    // Secret (employers-repository.test.ts): women 4, under 26 3, 50 or over 2, BOETH 1 (1 of 10), no earlier
    // contract 9 of 10 (the rest, 1), full time 7 of 10 (the rest, 3), CDI 4, retention 3 of 6 (3 and 3), long
    // unemployment and retention at 12 months 4 known. Shown: 0 of 10, and the lengths (over 6 contracts).
    expect(tableRows(html, 'tableau-criteres')).toEqual([
      ['Recrute des femmes', SECRET, '50 %', '1'],
      ['Recrute des jeunes de moins de 26 ans', SECRET, '50 %', '1'],
      ['Recrute des personnes de 50 ans ou plus', SECRET, '50 %', '1'],
      ['Donne un premier contrat de travail', SECRET, '50 %', '1'],
      ["Recrute des personnes sans emploi depuis plus d'un an", SECRET, '50 %', '1,5'],
      ['Recrute après un long arrêt de travail', '0 %', '50 %', '1'],
      ['Recrute des travailleurs handicapés (BOETH)', SECRET, '50 %', '1,5'],
      ["Recrute des sortants de dispositifs d'insertion", '0 %', '50 %', '2'],
      ['Propose des CDI', SECRET, '50 %', '2'],
      ['Propose des contrats hors CDI plus longs (durée moyenne)', '114,5 jours', '50 %', '0,5'],
      ['Propose des contrats hors CDI plus longs (durée médiane)', '45 jours', '50 %', '0,5'],
      ['Propose du temps plein', SECRET, '50 %', '1'],
      ['Garde ses recrues 6 mois', SECRET, '50 %', '1,5'],
      ['Garde ses recrues 12 mois', SECRET, '50 %', '1,5'],
    ]);
    // 4 hires over the 24 months ending in March and June 2024: hidden; the current total (10) stays above.
    expect(tableRows(html, 'tableau-evolution')).toEqual([
      ['1er trimestre 2024', SECRET, 'pas de score', 'Non engagée –'],
      ['2e trimestre 2024', SECRET, 'pas de score', 'Non engagée –'],
      ['3e trimestre 2024', '6', '50', 'Non engagée –'],
      ['4e trimestre 2024', '6', '50', 'Non engagée –'],
    ]);
    expect(tableRows(html, 'tableau-profil')).toEqual([
      ['Femmes', SECRET, SECRET],
      ['Moins de 26 ans', SECRET, SECRET],
      ['50 ans ou plus', SECRET, SECRET],
      ['Sans contrat de travail antérieur', SECRET, SECRET],
      ["Sans contrat depuis plus d'un an", SECRET, SECRET],
      ['Après un arrêt de travail de 6 mois ou plus', '0', '0 %'],
      ['Travailleurs handicapés (BOETH)', SECRET, SECRET],
      ["Sortants d'un dispositif d'insertion depuis moins de 6 mois", '0', '0 %'],
      ['À temps plein', SECRET, SECRET],
    ]);
    // CDI 4 and other 1 hidden; CDD 5 of 10 shown (CDI + other = 5 is no secret).
    expect(tableRows(html, 'tableau-contrats')).toEqual([
      ['CDI (y compris intermittent et intérimaire)', SECRET, SECRET],
      ['CDD', '5', '50 %'],
      ['Autres contrats (intérim, stage…)', SECRET, SECRET],
    ]);
    expect(tableRows(html, 'tableau-natures')).toEqual([
      ['CDD', '02', '5'],
      ['CDI', '01', SECRET],
      ['Contrat de mission (intérim)', '03', SECRET],
    ]);
    // The 6 non-CDI would give away CDI 10 - 6 = 4: hidden, and so are the buckets of 1 and 2 contracts.
    expect(content).toContain(`Contrats hors CDI : nombre ${SECRET}, durée moyenne 114,5 jours, durée médiane 45 jours`);
    expect(tableRows(html, 'tableau-durees')).toEqual([
      ["Moins d'un mois", SECRET],
      ['1 à 3 mois', SECRET],
      ['3 à 6 mois', '0'],
      ['6 à 12 mois', SECRET],
      ['12 mois ou plus', SECRET],
    ]);
    expect(content).toContain(`Toujours en poste 6 mois après ${SECRET}`);
    expect(content).not.toContain('3 sur 6');
    expect(content).toContain(`Toujours en poste 12 mois après ${SECRET}`);
  });

  it("draws R's charts from data attributes holding the expected series", async () => {
    const { html } = await page(`/employeurs/${R}`);
    expect(html).toContain('<script src="/vendor/chartjs/chart.umd.min.js"></script>');
    expect(html).toContain('<script src="/static/charts.js"></script>');
    const specs = charts(html);
    expect(Object.keys(specs)).toEqual(['graphique-rangs', 'graphique-evolution', 'graphique-profil', 'graphique-durees']);
    expect(specs['graphique-rangs']).toMatchObject({ type: 'bar', percent: true, datasets: [{ data: Array(14).fill(0.5) }] });
    expect(specs['graphique-rangs']?.labels).toHaveLength(14);
    expect(specs['graphique-evolution']).toEqual({
      type: 'line',
      labels: ['T1 2024', 'T2 2024', 'T3 2024', 'T4 2024'],
      datasets: [
        { label: 'Score sur 100', data: [null, null, 50, 50] },
        { label: 'Embauches sur 24 mois', data: [null, null, 6, 6] },
      ],
    });
    // Hidden values are null points, as in the tables.
    expect(specs['graphique-profil']?.datasets).toEqual([
      { label: 'Part des embauches', data: [null, null, null, null, null, 0, null, 0, null] },
    ]);
    expect(specs['graphique-durees']).toMatchObject({
      type: 'bar',
      labels: ["Moins d'un mois", '1 à 3 mois', '3 à 6 mois', '6 à 12 mois', '12 mois ou plus'],
      datasets: [{ label: 'Contrats hors CDI', data: [null, null, 0, null, null] }],
    });
    // Each chart has a text alternative and a table of the same numbers.
    expect(html.match(/<canvas [^>]*role="img" aria-label="[^"]+"/g)).toHaveLength(4);
  });

  it('ranks A among its 3 peers, says it is engaged and what cannot be measured', async () => {
    const { html, text: content } = await page(`/employeurs/${A}`);
    expect(content).toContain('Score d’engagement 61,5 / 100 Engagée : 60 ou plus');
    expect(html).toContain('<p class="fr-badge fr-badge--success fr-mb-2w">Engagée</p>');
    expect(content).toContain(
      'Comparé aux 3 établissements notés de la section NAF Q « Santé humaine et action sociale » dans la région Hauts-de-France (32) (celui-ci compris).',
    );
    expect(charts(html)['graphique-rangs']?.datasets[0]?.data).toEqual([
      0.5,
      5 / 6,
      1 / 6,
      0.5,
      null,
      0.5,
      5 / 6,
      0.5,
      5 / 6,
      null,
      null,
      5 / 6,
      0.5,
      null,
    ]);
    // Women 3 of 5, under 26 2 of 5, BOETH 1 of 5: secret; 0 or 5 of 5: shown.
    expect(tableRows(html, 'tableau-criteres').map((row) => [row[1], row[2]])).toEqual([
      [SECRET, '50 %'],
      [SECRET, '83 %'],
      ['0 %', '17 %'],
      ['100 %', '50 %'],
      ['non mesurable', 'non classé'],
      ['0 %', '50 %'],
      [SECRET, '83 %'],
      ['0 %', '50 %'],
      ['100 %', '83 %'],
      ['non mesurable', 'non classé'],
      ['non mesurable', 'non classé'],
      ['100 %', '83 %'],
      ['0 %', '50 %'],
      ['non mesurable', 'non classé'],
    ]);
    expect(charts(html)['graphique-evolution']?.datasets).toEqual([
      { label: 'Score sur 100', data: [61.5, 61.5, 61.5] },
      { label: 'Embauches sur 24 mois', data: [5, 5, 5] },
    ]);
    expect(content).toContain('Aucune embauche hors CDI sur les 24 mois.');
    expect(content).toContain('Toujours en poste 6 mois après 0 % 0 sur 5 embauches observables');
    expect(content).toContain('Toujours en poste 12 mois après pas encore observable');
  });

  it('shows no figure about D’s 4 hires: the secret marker everywhere, no breakdown chart', async () => {
    const { status, html, text: content } = await page(`/employeurs/${D}`);
    expect(status).toBe(200);
    expect(content).toContain('Pas de score : 4 embauches sur 24 mois, il en faut au moins 5.');
    expect(tableRows(html, 'tableau-criteres').map((row) => [row[1], row[2]])).toEqual(Array(14).fill([SECRET, 'non classé']));
    expect(content).toContain(`Profils non montrés : ${SECRET}.`);
    expect(content).toContain(`Répartition non montrée : ${SECRET}.`);
    expect(content).toContain(`Durées non montrées : ${SECRET}.`);
    expect(content).toContain(`Toujours en poste 6 mois après ${SECRET}`);
    expect(html).not.toContain('id="tableau-profil"');
    expect(html).not.toContain('id="tableau-contrats"');
    // 4 hires at each quarter end: hidden, and no curve is left to draw.
    expect(tableRows(html, 'tableau-evolution').map((row) => row[1])).toEqual([SECRET, SECRET, SECRET]);
    expect(Object.keys(charts(html))).toEqual([]);
  });

  it('shows C’s counts of 0 and 5 people: 5 CDD of 90 days, 5 women of 5', async () => {
    const { html, text: content } = await page(`/employeurs/${C}`);
    expect(content).toContain('Sur 5 contrats hors CDI : durée moyenne 90 jours, durée médiane 90 jours');
    // 3 June + 90 days = 1 September, before 3 September (3 months): "1 à 3 mois". Zeros are about nobody.
    expect(tableRows(html, 'tableau-durees').map((row) => row[1])).toEqual(['0', '5', '0', '0', '0']);
    expect(tableRows(html, 'tableau-natures')).toEqual([['CDD', '02', '5']]);
    // Women 5 of 5 (no man), 50 or over 2 of 5 (secret).
    expect(tableRows(html, 'tableau-profil').slice(0, 3)).toEqual([
      ['Femmes', '5', '100 %'],
      ['Moins de 26 ans', '0', '0 %'],
      ['50 ans ou plus', SECRET, SECRET],
    ]);
  });

  it('hides E’s nature of 2 contracts and a second nature, the CDI total staying shown', async () => {
    const { html, text: content } = await page(`/employeurs/${E}`);
    // CDI 7 = 01 (5) + 07 (2): 07 hidden, then 01, else 7 - 5 would give the 2 away.
    expect(tableRows(html, 'tableau-contrats')).toEqual([
      ['CDI (y compris intermittent et intérimaire)', '7', '100 %'],
      ['CDD', '0', '0 %'],
      ['Autres contrats (intérim, stage…)', '0', '0 %'],
    ]);
    expect(tableRows(html, 'tableau-natures')).toEqual([
      ['CDI', '01', SECRET],
      ['CDI intermittent', '07', SECRET],
    ]);
    // 1 woman of 7: hidden with her share.
    expect(tableRows(html, 'tableau-profil')[0]).toEqual(['Femmes', SECRET, SECRET]);
    expect(content).toContain('Embauches sur 24 mois 7');
  });

  it.each([
    ['12345678901234', 'Aucune DSN reçue ne déclare l’établissement de SIRET 12345678901234.'],
    ['5521005540001', '« 5521005540001 » n’est pas un SIRET : 14 chiffres sont attendus.'],
    ['%3Cscript%3E', '« &lt;script&gt; » n’est pas un SIRET'],
  ])('answers %s with a French 404 page', async (siret, message) => {
    const response = await getPage(app, `/employeurs/${siret}`, counsellor);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('<h1>Page introuvable</h1>');
    expect(response.body).toContain(message);
  });
});

describe('access and personal data', () => {
  it.each(['structure', 'financeur', 'admin'] as const)('lets a %s user open the list and a page', async (role) => {
    const user = await signedIn(database, role, role === 'structure' ? [{ kind: 'siret', code: A }] : []);
    expect((await getPage(app, '/employeurs', user)).statusCode).toBe(200);
    expect((await getPage(app, `/employeurs/${C}`, user)).statusCode).toBe(200);
  });

  it('sends an anonymous visitor to the sign-in page, and answers the CSV 401', async () => {
    const list = await getPage(app, '/employeurs?region=32');
    expect(list.statusCode).toBe(302);
    expect(list.headers.location).toBe('/connexion?suite=%2Femployeurs%3Fregion%3D32');
    expect((await getPage(app, `/employeurs/${A}`)).headers.location).toBe(`/connexion?suite=%2Femployeurs%2F${A}`);
    expect((await app.inject('/employeurs.csv')).statusCode).toBe(401);
  });

  it('never shows a name, a NIR or a person key', async () => {
    const { rows } = await database.pool.query<{ hex: string; b64: string }>(
      `select encode(person_key, 'hex') as hex, encode(person_key, 'base64') as b64 from employer_hires`,
    );
    expect(rows.length).toBe(36);
    const urls = [
      '/employeurs',
      '/employeurs?critere=under_26',
      '/employeurs.csv?critere=woman',
      ...Object.values(SIRET).map((siret) => `/employeurs/${siret}`),
    ];
    for (const url of urls) {
      const body = (await getPage(app, url, counsellor)).body;
      expect(body, url).not.toMatch(/PERSONNE\d|SALARIE\d/);
      // A NIR is 13 characters, a SIRET 14: no run of exactly 13 digits.
      expect(body, url).not.toMatch(/(?<!\d)[12]\d{12}(?!\d)/);
      for (const key of rows) {
        expect(body, url).not.toContain(key.hex);
        expect(body, url).not.toContain(key.b64);
      }
    }
  });
});

describe('employment zones', () => {
  it('offers the zone select once zones are imported, and filters by zone', async () => {
    const folder = await tempDir('sillage-zones-');
    const file = path.join(folder, 'ze.csv');
    await writeFile(file, ['CODGEO;LIBGEO;ZE2020;LIBZE2020', '59350;Lille;3214;Lille', '62041;Arras;3203;Arras'].join('\r\n'));
    expect(await andWaitForNotice(app, () => importZones(database.pool, file))).toMatchObject({ loaded: true, zones: 2 });
    const { html, text: content } = await page('/employeurs?zone=3214');
    expect(content).not.toContain('Importez les zones');
    expect(html).toContain('<label class="fr-label" for="zone">Bassin d’emploi');
    expect(html).toContain('<option value="3214" selected>Lille (3214)</option>');
    expect(html).toContain('<option value="3203">Arras (3203)</option>');
    expect(listed(html)).toEqual([A, E, B, D]);
  });
});
