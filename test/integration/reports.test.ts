import type { FastifyInstance } from 'fastify';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomesByProgramme, outcomesByTerritory, outcomesCsv, programmeLabel } from '../../src/outcomes/repository.js';
import { listAudit } from '../../src/participants/repository.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadOutcomesFixture, siretOf } from '../helpers/outcomes-fixture.js';
import { loadParticipantsFixture, SIRET_A, SIRET_B } from '../helpers/participants-fixture.js';
import { loadSmallStructureFixture, SIRET_SMALL } from '../helpers/reports-fixture.js';
import { buildTestApp, getPage, type SignedIn, signedIn } from '../helpers/web.js';

let participantsDb: TestDatabase;
let outcomesDb: TestDatabase;
let participantsApp: FastifyInstance;
let outcomesApp: FastifyInstance;
let managerA: SignedIn;
let managerAci59: SignedIn;
let funder: SignedIn;

beforeAll(async () => {
  [participantsDb, outcomesDb] = await Promise.all([loadParticipantsFixture(), loadOutcomesFixture()]);
  [participantsApp, outcomesApp] = await Promise.all([buildTestApp(participantsDb), buildTestApp(outcomesDb)]);
  managerA = await signedIn(participantsDb, 'structure', [{ kind: 'siret', code: SIRET_A }]);
  managerAci59 = await signedIn(outcomesDb, 'structure', [{ kind: 'siret', code: siretOf('ACI59') }]);
  funder = await signedIn(outcomesDb, 'financeur', [{ kind: 'region', code: '32' }]);
});
afterAll(async () => {
  await Promise.all([participantsApp?.close(), outcomesApp?.close()]);
  await Promise.all([participantsDb?.drop(), outcomesDb?.drop()]);
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
/** The page as a reader sees it: no tags, entities decoded, every kind of space as one space. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();

async function zipOf(app: FastifyInstance, url: string, as: SignedIn): Promise<Record<string, string>> {
  const response = await app.inject({ method: 'GET', url, cookies: as.cookies });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/zip');
  const name = url.split('/').slice(-3).join('-');
  expect(response.headers['content-disposition']).toBe(`attachment; filename="rapport-${name}"`);
  // ignoreBOM: keep the byte order mark in the text, where the expected files have it.
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
  return Object.fromEntries(Object.entries(unzipSync(response.rawPayload)).map(([file, bytes]) => [file, utf8.decode(bytes)]));
}

const csv = (...lines: string[]) => `\uFEFF${lines.map((line) => `${line}\r\n`).join('')}`;

describe('structure report', () => {
  it('April 2024 for structure A: participants, hours, alerts by name, nothing of structure B', async () => {
    const page = await getPage(participantsApp, '/rapports/structure/mensuel/2024-04', managerA);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const body = text(page.body);
    expect(body).toContain('Rapport mensuel : avril 2024');
    // PASSA1 to A4 all run in April (A1 from 2 January, A2 from 1 February); none starts or ends in April.
    expect(page.body).toMatch(/id="participants-accompagnes">4</);
    expect(page.body).toMatch(/id="participants-entrees">0</);
    expect(page.body).toMatch(/id="participants-sorties">0</);
    // Hours at A in April: Alice 60 (her 20 at B are another SIAE's), Bruno 1,300, Eve 0, Frank 100 = 1,460.
    expect(body).toContain('1 460 heures travaillées');
    // As the counters stand after April: Bruno over budget (3,900 h), Eve no hours in March and April, Frank's PASS
    // (1 April 2022, one month without hours) projected to end on 30 April 2024, within 4 months of April.
    expect(body).toContain('3 PASS IAE en alerte sur 4');
    for (const name of ['Évrard Ève', 'Martin Bruno', 'Zola Frank']) expect(body).toContain(name);
    expect(body).not.toContain('Bernard Alice');
    for (const hidden of ['PASSB1', 'Garnier', SIRET_B]) expect(page.body).not.toContain(hidden);
    expect(body).toContain('Aucune sortie de vos structures pendant la période.');
    expect(page.body).toContain('href="/static/report-print.css"');
    expect(page.body).toContain('src="/static/report.js"');
    expect(body).toContain('Imprimer ou enregistrer en PDF');
  });

  it('March 2024: the alerts as they stood at the end of March, not as they stand now', async () => {
    const body = text((await getPage(participantsApp, '/rapports/structure/mensuel/2024-03', managerA)).body);
    // Bruno: 2,600 h of 3,640. Eve: one month without hours (March): projected end 31 May 2024 < 1 July 2024.
    // Frank: March explained by paid leave, still one month without hours: end 30 April 2024. Alice: February
    // explained by her sick leave, so not two unexplained months; her end (1 March 2026) is far.
    expect(body).toContain('2 PASS IAE en alerte sur 4');
    expect(body).toContain('Fin de parcours dans moins de 3 mois : 2');
    // March: only Bruno's 1,300 h (Alice works at D, not an SIAE; Eve nothing; Frank on leave).
    expect(body).toContain('1 300 heures travaillées');
  });

  it('the April zip holds one CSV per table, as the other exports are written', async () => {
    const files = await zipOf(participantsApp, '/rapports/structure/mensuel/2024-04.zip', managerA);
    expect(Object.keys(files).sort()).toEqual([
      'alertes.csv',
      'heures.csv',
      'participants.csv',
      'resultats-des-sorties.csv',
      'sorties.csv',
    ]);
    expect(files['participants.csv']).toBe(csv('Participants accompagnés;Entrées;Sorties', '4;0;0'));
    expect(files['heures.csv']).toBe(csv('Mois;Heures travaillées', '2024-04;1460', 'Total;1460'));
    expect(files['alertes.csv']).toBe(
      csv(
        'Numéro de PASS;Nom;Alerte',
        'PASSA3;Évrard Ève;Aucune heure depuis 2 mois',
        "PASSA2;Martin Bruno;Budget d'heures épuisé",
        'PASSA4;Zola Frank;Fin de parcours dans moins de 3 mois',
      ),
    );
    expect(files['sorties.csv']).toBe(csv('Nom;Dispositif;Date de sortie;Situation à 6 mois;Situation à 12 mois'));
  });

  it('the year 2024: hours per month, entries and exits of the year', async () => {
    const files = await zipOf(participantsApp, '/rapports/structure/annuel/2024.zip', managerA);
    // Entries: Alice (2 January), Bruno (1 February); exit: Frank's PASS ends on 31 December 2024.
    expect(files['participants.csv']).toBe(csv('Participants accompagnés;Entrées;Sorties', '4;2;1'));
    // January: Alice 80 + Eve 100 + Frank 100; February: Bruno 1,300 + Eve 100 + Frank 100; then 1,300 and 1,460;
    // nothing declared after April. 280 + 1,500 + 1,300 + 1,460 = 4,540.
    const months = ['280', '1500', '1300', '1460', '0', '0', '0', '0', '0', '0', '0', '0'];
    expect(files['heures.csv']).toBe(
      csv('Mois;Heures travaillées', ...months.map((hours, i) => `2024-${String(i + 1).padStart(2, '0')};${hours}`), 'Total;4540'),
    );
    const page = await getPage(participantsApp, '/rapports/structure/annuel/2024', managerA);
    expect(text(page.body)).toContain('Février 2024 1 500');
  });

  it("lists a structure's exits by name with their outcomes; counts always, rates from 5 observable exits", async () => {
    const page = await getPage(outcomesApp, '/rapports/structure/mensuel/2024-03', managerAci59);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    for (const own of ['A1 Camille', 'A6 Camille']) expect(body).toContain(own);
    // ACI62's and the GEIQ's leavers are other structures' people.
    for (const other of ['B1 Camille', 'G1 Camille', 'ARRAS', siretOf('ACI62')]) expect(body).not.toContain(other);
    const files = await zipOf(outcomesApp, '/rapports/structure/mensuel/2024-03.zip', managerAci59);
    // 6 register entries since 2 October 2023, all leaving on 31 March 2024.
    expect(files['participants.csv']).toBe(csv('Participants accompagnés;Entrées;Sorties', '6;0;6'));
    const aci = programmeLabel('aci');
    // a1, a2: a CDI at ENT75 from 1 August 2024, active on 30 September; a3: a CDDI at ACI62 (still in IAE);
    // a4 to a6: nothing. 31 March 2025 is after the DSN's last month (December 2024): not observable.
    const statuses = [
      'En emploi durable',
      'En emploi durable',
      'Toujours dans le dispositif',
      ...Array(3).fill('Sans emploi salarié déclaré'),
    ];
    expect(files['sorties.csv']).toBe(
      csv(
        'Nom;Dispositif;Date de sortie;Situation à 6 mois;Situation à 12 mois',
        ...statuses.map((status, i) => `A${i + 1} Camille;${aci};2024-03-31;${status};Pas encore observable`),
      ),
    );
    // 6 observable exits, 2 employed, both durable: 33.3 %; nothing observable at 12 months: no rate.
    const header =
      "Dispositif;Sorties;Sorties observables à 6 mois;En emploi à 6 mois;Taux d'emploi à 6 mois (%);En emploi durable à 6 mois;" +
      "Taux d'emploi durable à 6 mois (%);Sorties observables à 12 mois;En emploi à 12 mois;Taux d'emploi à 12 mois (%);" +
      "En emploi durable à 12 mois;Taux d'emploi durable à 12 mois (%)";
    expect(files['resultats-des-sorties.csv']).toBe(csv(header, `${aci};6;6;2;33,3;2;33,3;0;0;;0;`, 'Ensemble;6;6;2;33,3;2;33,3;0;0;;0;'));
    expect(files['heures.csv']).toBe(csv('Mois;Heures travaillées', '2024-03;0', 'Total;0'));
    expect(files['alertes.csv']).toBe(csv('Numéro de PASS;Nom;Alerte'));
  });

  it('writes each opening of a named report to the audit log', async () => {
    await getPage(participantsApp, '/rapports/structure/mensuel/2024-02', managerA);
    const audit = await listAudit(participantsDb.db, { userId: managerA.userId, limit: 50 });
    expect(audit.map((row) => row.action)).toContain('report_view');
    expect(audit.map((row) => row.detail)).toContainEqual({ report: 'structure-mensuel', period: '2024-02', people: expect.any(Number) });
  });
});

describe('structure report with fewer than 5 exits', () => {
  let small: TestDatabase;
  let smallApp: FastifyInstance;
  beforeAll(async () => {
    small = await loadSmallStructureFixture();
    smallApp = await buildTestApp(small);
  });
  afterAll(async () => {
    await smallApp?.close();
    await small?.drop();
  });

  it('names its own 3 leavers and gives their counts, but no rate', async () => {
    const manager = await signedIn(small, 'structure', [{ kind: 'siret', code: SIRET_SMALL }]);
    const page = await getPage(smallApp, '/rapports/structure/mensuel/2024-01', manager);
    const body = text(page.body);
    for (const name of ['Durand Léa', 'Petit Noé', 'Roux Inès']) expect(body).toContain(name);
    // 3 exits, 3 observable at 6 months (31 July 2024), none employed: counts shown, rates "non calculé".
    expect(body).toContain('Ensemble 3 3 0 non calculé 0 non calculé 0 0 – 0 –');
    const files = await zipOf(smallApp, '/rapports/structure/mensuel/2024-01.zip', manager);
    expect(files['resultats-des-sorties.csv']).toContain('\r\nEnsemble;3;3;0;;0;;0;0;;0;\r\n');
  });
});

describe('territory report', () => {
  const scope = { kind: 'regions', codes: ['32'] } as const;

  it('the year 2024: the outcomes repository tables of the cohort, secret cells as secret, in the page and the zip', async () => {
    const page = await getPage(outcomesApp, '/rapports/territoire/annuel/2024', funder);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('Rapport annuel de territoire : année 2024');
    expect(body).toContain('secret');
    // Aggregates only: no leaver's name.
    expect(body).not.toContain('Camille');
    const files = await zipOf(outcomesApp, '/rapports/territoire/annuel/2024.zip', funder);
    const programmes = await outcomesByProgramme(outcomesDb.db, { ...scope, codes: ['32'] }, { cohort: '2024' });
    const territories = await outcomesByTerritory(outcomesDb.db, { ...scope, codes: ['32'] }, { cohort: '2024' }, 'departement');
    expect(files['resultats-par-dispositif.csv']).toBe(outcomesCsv(programmes));
    expect(files['resultats-par-territoire.csv']).toBe(outcomesCsv(territories));
    // 2024's exits are the 11 ACI ones (the GEIQ's left on 31 December 2023): 5 employed of 11 observable; the one
    // person still in IAE is under 5: secret.
    expect(files['resultats-par-dispositif.csv']).toContain(`${programmeLabel('aci')};11;11;5;45,5;5;45,5;secret;secret;`);
    // Nord: ACI59's 2 employed of 6, secret (primary).
    expect(files['resultats-par-territoire.csv']).toMatch(/\r\nNord;6;6;secret;secret;/);
  });

  it('March 2024: the same exits cut by month, protected alike', async () => {
    const files = await zipOf(outcomesApp, '/rapports/territoire/mensuel/2024-03.zip', funder);
    expect(files['resultats-par-dispositif.csv']).toContain(`${programmeLabel('aci')};11;11;5;45,5;5;45,5;secret;secret;`);
    expect(files['resultats-par-territoire.csv']).toMatch(/\r\nNord;6;6;secret;secret;/);
    // February: no exit.
    const empty = await zipOf(outcomesApp, '/rapports/territoire/mensuel/2024-02.zip', funder);
    expect(empty['resultats-par-dispositif.csv']).toMatch(/\r\nEnsemble;0;0;0;;0;;0;;0;0;;0;;0;\r\n$/);
  });
});

describe('bad periods and wrong roles', () => {
  const nextMonth = (() => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
  })();

  it.each([
    ['/rapports/structure/mensuel/2026-13', '2026-13'],
    ['/rapports/structure/mensuel/abcd', 'abcd'],
    ['/rapports/structure/mensuel/2026-13.zip', '2026-13'],
    [`/rapports/structure/mensuel/${nextMonth}`, nextMonth],
    ['/rapports/structure/annuel/20x4', '20x4'],
    [`/rapports/structure/annuel/${new Date().getUTCFullYear() + 1}`, String(new Date().getUTCFullYear() + 1)],
  ])('%s: 400 in French, naming the period', async (url, named) => {
    const page = await getPage(participantsApp, url, managerA);
    expect(page.statusCode).toBe(400);
    expect(text(page.body)).toContain('Période invalide');
    expect(text(page.body)).toContain(named);
  });

  it('a funder period error as well', async () => {
    const page = await getPage(outcomesApp, '/rapports/territoire/mensuel/2024-00', funder);
    expect(page.statusCode).toBe(400);
    expect(text(page.body)).toContain('« 2024-00 »');
  });

  it('403: a structure asking a funder report, a funder or an admin a structure report, a counsellor any', async () => {
    const admin = await signedIn(outcomesDb, 'admin');
    const counsellor = await signedIn(outcomesDb, 'conseiller');
    expect((await getPage(outcomesApp, '/rapports/territoire/annuel/2024', managerAci59)).statusCode).toBe(403);
    expect((await getPage(outcomesApp, '/rapports/territoire/annuel/2024.zip', managerAci59)).statusCode).toBe(403);
    expect((await getPage(outcomesApp, '/rapports/structure/mensuel/2024-03', funder)).statusCode).toBe(403);
    expect((await getPage(outcomesApp, '/rapports/structure/mensuel/2024-03.zip', admin)).statusCode).toBe(403);
    expect((await getPage(outcomesApp, '/rapports', counsellor)).statusCode).toBe(403);
    expect((await getPage(outcomesApp, '/rapports/territoire/annuel/2024', admin)).statusCode).toBe(200);
  });

  it('the list of reports links the reports of the role', async () => {
    const structure = await getPage(participantsApp, '/rapports', managerA);
    expect(structure.statusCode).toBe(200);
    expect(structure.body).toContain('href="/rapports/structure/annuel/');
    expect(structure.body).not.toContain('/rapports/territoire/');
    const territory = await getPage(outcomesApp, '/rapports', funder);
    expect(territory.body).toContain('href="/rapports/territoire/mensuel/');
  });
});
