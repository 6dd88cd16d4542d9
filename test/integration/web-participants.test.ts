import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantFiltersSchema } from '../../src/participants/filters.js';
import { listAudit } from '../../src/participants/repository.js';
import { pagination } from '../../src/web/routes/participants.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadParticipantsFixture, SIRET_A, SIRET_B } from '../helpers/participants-fixture.js';
import { buildTestApp, getPage, type SignedIn, signedIn } from '../helpers/web.js';

let database: TestDatabase;
let app: FastifyInstance;
let managerA: SignedIn;

beforeAll(async () => {
  database = await loadParticipantsFixture();
  app = await buildTestApp(database);
  managerA = await signedIn(database, 'structure', [{ kind: 'siret', code: SIRET_A }]);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decodeEntities = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '');
/** The page as a reader sees it: no tags, entities decoded, every kind of space as one space. */
const text = (html: string) =>
  decodeEntities(html.replace(/<\/?(strong|span|a)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' '))
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();
/** PASS numbers of the list's rows, in order. */
const rowPasses = (html: string) =>
  [...html.matchAll(/<th scope="row"><a class="fr-link" href="\/participants\/([^"]+)"/g)].map((m) => m[1]);
const list = async (query = '', as = managerA) => {
  const page = await getPage(app, `/participants${query}`, as);
  expect(page.statusCode).toBe(200);
  return page.body;
};

describe('participants list', () => {
  it("shows exactly the structure's PASS holders, with counters and alerts, and nothing of another structure", async () => {
    const page = await getPage(app, '/participants', managerA);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(rowPasses(page.body)).toEqual(['PASSA1', 'PASSA3', 'PASSA2', 'PASSA4']);
    const body = text(page.body);
    for (const name of ['Bernard Alice', 'Évrard Ève', 'Martin Bruno', 'Zola Frank']) expect(body).toContain(name);
    for (const hidden of ['PASSB1', 'Garnier', 'Paul', SIRET_B]) expect(page.body).not.toContain(hidden);
    expect(body).toContain('160 h sur 3 640');
    expect(body).toContain('3 480 h');
    expect(body).toContain('Dépassé de 260 h');
    expect(body).toContain('1 mars 2026');
    expect(page.body).toContain('<progress max="3640" value="160"');
    expect(page.body).toContain('<progress max="3640" value="3640"');
    expect(page.body).toContain('fr-badge--error">Budget d&#39;heures épuisé</p>');
    expect(page.body).toContain('fr-badge--warning">Fin de parcours dans moins de 3 mois</p>');
    expect(page.body).not.toMatch(/\sstyle=/);
    // One structure: no structure column; one page: no pagination.
    expect(body).not.toContain('N° de PASS et structure');
    expect(page.body).not.toContain('fr-pagination');
  });

  it('sorts from the column headers, both ways, and says which column is sorted', async () => {
    const byName = await list();
    expect(byName).toContain(
      '<th scope="col" aria-sort="ascending"><a class="fr-link fr-link--sm fr-icon-arrow-up-line fr-link--icon-right" href="/participants?tri=nom_desc" title="Nom – trier par ordre décroissant">Nom<span class="fr-sr-only"> – trier par ordre décroissant</span></a></th>',
    );
    expect(byName.match(/aria-sort=/g)).toHaveLength(1);
    expect(byName).toContain('href="/participants?tri=heures_desc"');
    expect(rowPasses(await list('?tri=nom_desc'))).toEqual(['PASSA4', 'PASSA2', 'PASSA3', 'PASSA1']);
    const byHours = await list('?tri=heures_desc');
    expect(rowPasses(byHours)).toEqual(['PASSA2', 'PASSA4', 'PASSA3', 'PASSA1']);
    expect(byHours).toContain('<th scope="col" aria-sort="descending"><a class="fr-link fr-link--sm fr-icon-arrow-down-line');
    expect(byHours).toContain('href="/participants?tri=heures_asc"');
    expect(rowPasses(await list('?tri=fin_asc'))).toEqual(['PASSA4', 'PASSA3', 'PASSA2', 'PASSA1']);
    expect(rowPasses(await list('?tri=sans_heures_desc'))).toEqual(['PASSA1', 'PASSA3', 'PASSA4', 'PASSA2']);
  });

  it('filters on alerts with a GET form, keeping the sort, and counts each alert', async () => {
    const all = await list('?tri=heures_desc');
    expect(all).toContain('<form method="get" action="/participants"');
    expect(all).toContain('<input type="hidden" name="tri" value="heures_desc">');
    const options = [...all.matchAll(/<option value="([^"]*)"( selected)?>([^<]+)<\/option>/g)].map((m) => [
      m[1],
      Boolean(m[2]),
      decodeEntities(m[3] ?? ''),
    ]);
    expect(options).toEqual([
      ['', true, 'Toutes les personnes (4)'],
      ['toutes', false, 'Avec une alerte (3)'],
      ['no_hours_2_months', false, 'Aucune heure depuis 2 mois (1)'],
      ['ending_soon', false, 'Fin de parcours dans moins de 3 mois (1)'],
      ['budget_exhausted', false, "Budget d'heures épuisé (1)"],
    ]);
    expect(all).toContain('href="/participants?alerte=toutes&amp;tri=heures_desc"');
    const withAlert = await list('?alerte=toutes&tri=heures_desc');
    expect(rowPasses(withAlert)).toEqual(['PASSA2', 'PASSA4', 'PASSA3']);
    expect(withAlert).toContain('<option value="toutes" selected>');
    expect(rowPasses(await list('?alerte=budget_exhausted'))).toEqual(['PASSA2']);
    expect(rowPasses(await list('?alerte=no_hours_2_months&tri='))).toEqual(['PASSA3']);
    // The form's empty choice is "everybody"; a page past the end comes back to the last one.
    expect(rowPasses(await list('?alerte=&tri=nom_asc&page=9'))).toEqual(['PASSA1', 'PASSA3', 'PASSA2', 'PASSA4']);
  });

  it('answers a bad query string with a French 400 page naming the field', async () => {
    const badSort = await getPage(app, '/participants?tri=age_asc', managerA);
    expect(badSort.statusCode).toBe(400);
    expect(badSort.body).toContain('<h1>Demande invalide</h1>');
    expect(text(badSort.body)).toContain('paramètre « tri » : tri inconnu : valeurs possibles nom_asc, nom_desc');
    const badPage = await getPage(app, '/participants?page=deux&alerte=rouge', managerA);
    expect(badPage.statusCode).toBe(400);
    expect(text(badPage.body)).toContain('paramètre « alerte » : alerte inconnue');
    expect(text(badPage.body)).toContain('paramètre « page » : page : un nombre entier est attendu');
    const json = await app.inject({ url: '/participants?tri=x', cookies: managerA.cookies });
    expect(json.statusCode).toBe(400);
    expect(json.json().erreur).toContain('« tri »');
  });

  it('shows both structures to a manager of two SIRETs, with the structure of each PASS', async () => {
    const both = await signedIn(database, 'structure', [
      { kind: 'siret', code: SIRET_A },
      { kind: 'siret', code: SIRET_B },
    ]);
    const page = await list('', both);
    expect(rowPasses(page)).toEqual(['PASSA1', 'PASSA3', 'PASSB1', 'PASSA2', 'PASSA4']);
    expect(text(page)).toContain('N° de PASS et structure');
    expect(text(page)).toContain(`PASSB1 SIRET ${SIRET_B}`);
    expect(text(page)).toContain("Budget d'heures épuisé : 2");
    expect((await getPage(app, '/participants/PASSB1', both)).statusCode).toBe(200);
  });

  it('tells a manager whose account has no structure what to do', async () => {
    const none = await signedIn(database, 'structure', []);
    const page = await list('', none);
    expect(text(page)).toContain('Aucune structure rattachée à votre compte');
    expect(rowPasses(page)).toEqual([]);
  });
});

describe('pagination', () => {
  it('links the first, last and neighbouring pages, keeping filters and sort, with gaps between', async () => {
    const filters = participantFiltersSchema.parse({ alerte: 'toutes', tri: 'heures_desc' });
    const model = pagination(filters, 4, 9);
    expect(model.links.map((link) => (link === null ? '…' : link.current ? `[${link.page}]` : link.page))).toEqual([
      1,
      '…',
      3,
      '[4]',
      5,
      '…',
      9,
    ]);
    expect(model.previous).toBe('/participants?alerte=toutes&tri=heures_desc&page=3');
    expect(model.first).toBe('/participants?alerte=toutes&tri=heures_desc');
    expect(pagination(filters, 1, 1)).toMatchObject({ links: [{ page: 1, current: true }], first: null, next: null });
    const html = await app.view('partials/participants/pagination', model);
    expect(html).toContain('<nav role="navigation" class="fr-pagination" aria-label="Pagination de la liste">');
    expect(html).toContain('<a class="fr-pagination__link" aria-current="page" title="Page 4">4</a>');
    expect(html).toContain('href="/participants?alerte=toutes&amp;tri=heures_desc&amp;page=9">Dernière page</a>');
    const first = await app.view('partials/participants/pagination', pagination(filters, 1, 2));
    expect(first).toContain('fr-pagination__link--first" aria-disabled="true" role="link">Première page</a>');
  });
});

describe('participant page', () => {
  it('shows identity, counters, months without hours and the timeline in French', async () => {
    const page = await getPage(app, '/participants/PASSA1', managerA);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const body = text(page.body);
    expect(page.body).toContain('<h1 class="fr-mb-1w">Alice Bernard</h1>');
    expect(body).toContain('PASS IAE PASSA1, débuté le 2 janvier 2024');
    expect(body).toContain('160 heures travaillées en IAE sur un budget de 3 640 heures');
    expect(body).toContain('Heures restantes 3 480 h');
    expect(body).toContain('Mois sans heures 2 (dont 1 expliqué)');
    expect(body).toContain('Fin de parcours prévue 1 mars 2026');
    expect(body).toContain('Les DSN sont connues jusqu’à avril 2024.');
    // Months without hours: February explained by the sick leave, March highlighted.
    expect(body).toContain('février 2024 Arrêt maladie');
    expect(page.body).toMatch(
      /mars 2024<\/th>\s*<td class="fr-cell--multiline"><p class="fr-badge fr-badge--error fr-badge--sm">Non expliqué<\/p>/,
    );
    expect(body).toContain('Un mois sans heures n’est expliqué par aucun arrêt de travail ni aucune suspension');
    // The timeline: own contract in full, other employers as dates only.
    expect(body).toContain(
      "2 janvier 2024 non déclarée connue jusqu’au 30 avril 2024 au moins 120 jours (environ 4 mois) Contrat CDD d'insertion (CDDI) Votre structure SIRET 55210055400017 Contrat n° A1 · Atelier et chantier d'insertion (ACI)",
    );
    expect(body).toContain('1 février 2024 29 février 2024 29 jours Arrêt de travail Arrêt maladie Votre structure');
    expect(body).toContain('4 mars 2024 15 mars 2024 12 jours Contrat Contrat chez un autre employeur Autre employeur –');
    expect(body).toContain(
      '1 avril 2024 non déclarée connue jusqu’au 30 avril 2024 au moins 30 jours Contrat Contrat dans une autre SIAE Autre SIAE –',
    );
    for (const hidden of [SIRET_B, 'Fin de CDD', 'B7', 'D1', 'Garnier']) expect(page.body).not.toContain(hidden);
    expect(page.body).not.toMatch(/\sstyle=/);
    // Headings in order: one h1, then h2 only.
    expect([...page.body.matchAll(/<h([1-6])/g)].map((m) => m[1])).toEqual(['1', '2', '2', '2', '2']);
  });

  it('draws the monthly hours from a data attribute equal to its table', async () => {
    const page = await getPage(app, '/participants/PASSA1', managerA);
    expect(page.body).toContain('<script src="/vendor/chartjs/chart.umd.min.js"></script>');
    const attribute = /<canvas data-chart="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(JSON.parse(decodeEntities(attribute))).toEqual({
      type: 'bar',
      labels: ['janvier 2024', 'février 2024', 'mars 2024', 'avril 2024'],
      datasets: [
        { label: 'Dans la structure du PASS', data: [80, 0, 0, 60] },
        { label: 'Dans d’autres SIAE', data: [0, 0, 0, 20] },
      ],
      stacked: true,
      yTitle: 'Heures travaillées',
    });
    const body = text(page.body);
    expect(body).toContain('Mois Dans la structure du PASS Dans d’autres SIAE Total janvier 2024 80 h 0 h 80 h février 2024 0 h 0 h 0 h');
    expect(body).toContain('avril 2024 60 h 20 h 80 h');
  });

  it('explains a month of paid leave and shows a PASS end date from the register', async () => {
    const body = text((await getPage(app, '/participants/passa4', managerA)).body);
    expect(body).toContain('fin de l’agrément le 31 décembre 2024');
    expect(body).toContain('mars 2024 Congés payés');
    expect(body).toContain('Suspension Congés payés');
    expect(body).not.toContain('Non expliqué');
    expect(body).toContain('Fin de parcours dans moins de 3 mois');
  });

  it('writes one audit row per opening, with the user and the PASS', async () => {
    const reader = await signedIn(database, 'structure', [{ kind: 'siret', code: SIRET_A }]);
    await getPage(app, '/participants/PASSA3', reader);
    await getPage(app, '/participants/passa3', reader);
    await getPage(app, '/participants', reader);
    const rows = await listAudit(database.db, { userId: reader.userId, limit: 10 });
    expect(rows.map((row) => [row.userId, row.passNumber, row.action])).toEqual([
      [reader.userId, 'PASSA3', 'participant_view'],
      [reader.userId, 'PASSA3', 'participant_view'],
    ]);
  });
});

describe('access rules with forged addresses', () => {
  it("answers another structure's PASS exactly as an unknown one: 404, nothing of it, nothing audited", async () => {
    const forger = await signedIn(database, 'structure', [{ kind: 'siret', code: SIRET_A }]);
    const forged = await getPage(app, '/participants/PASSB1', forger);
    expect(forged.statusCode).toBe(404);
    expect(forged.body).toContain('<h1>Page introuvable</h1>');
    expect(text(forged.body)).toContain('Aucun PASS IAE de vos structures ne porte ce numéro.');
    for (const hidden of ['PASSB1', 'Garnier', 'Paul', 'GARNIER', SIRET_B]) expect(forged.body).not.toContain(hidden);
    const unknown = await getPage(app, '/participants/PASSZZ', forger);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toBe(forged.body);
    expect((await getPage(app, `/participants/${'X'.repeat(80)}`, forger)).statusCode).toBe(404);
    expect(await listAudit(database.db, { userId: forger.userId, limit: 10 })).toEqual([]);
  });

  it.each(['conseiller', 'financeur', 'admin'] as const)('refuses the %s role on both pages (403)', async (role) => {
    const user = await signedIn(database, role, role === 'financeur' ? [{ kind: 'france' }] : []);
    for (const url of ['/participants', '/participants/PASSA1', '/participants/PASSB1?tri=x']) {
      const page = await getPage(app, url, user);
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('<h1>Accès refusé</h1>');
      expect(page.body).not.toContain('Bernard');
    }
    expect(await listAudit(database.db, { userId: user.userId, limit: 10 })).toEqual([]);
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    for (const url of ['/participants', '/participants/PASSA1']) {
      const page = await getPage(app, url);
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe(`/connexion?suite=${encodeURIComponent(url)}`);
    }
  });
});
