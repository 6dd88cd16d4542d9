import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/web/plugins/session.js';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from '../helpers/browser.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadParticipantsFixture, SIRET_A } from '../helpers/participants-fixture.js';
import { pdfText } from '../helpers/pdf-text.js';
import { buildTestApp, signedIn } from '../helpers/web.js';

// A structure's monthly report in real Chromium: on screen, then as printed (print stylesheet) and as a PDF.

let database: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [database, browser] = await Promise.all([loadParticipantsFixture(), launchBrowser()]);
  app = await buildTestApp(database);
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const manager = await signedIn(database, 'structure', [{ kind: 'siret', code: SIRET_A }]);
  context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: SESSION_COOKIE, value: manager.cookies[SESSION_COOKIE], url: baseUrl }]);
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await database?.drop();
});

// What the printed report must show, on the page and in the PDF alike.
const HEADING = 'Rapport mensuel : avril 2024';
const SECTIONS = ['Participants', 'Heures travaillées', 'Alertes en fin de période', 'Sorties et résultats à 6 et 12 mois'];
// Hours at A in April: 60 + 1,300 + 0 + 100; 3 of the 4 PASS in alert, by name.
const FIGURES = ['1 460 heures', '3 PASS IAE en alerte sur 4'];
const NAMES = ['Évrard Ève', 'Martin Bruno', 'Zola Frank'];
/** Chromium's French typography (narrow and non-breaking spaces, line breaks) as plain spaces. */
const normalised = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('structure monthly report', () => {
  it('is shown with its print button, passes axe, and breaks no CSP rule', async () => {
    await page.goto(`${baseUrl}/rapports/structure/mensuel/2024-04`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(HEADING);
    expect(await page.getByRole('button', { name: 'Imprimer ou enregistrer en PDF' }).isVisible()).toBe(true);
    expect(await page.locator('header.fr-header').isVisible()).toBe(true);
    await screenshot(page, 'rapport-structure-ecran');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(consoleErrors.join('\n')).toBe('');
  });

  it('printed: no navigation, footer nor buttons; the headings and figures remain', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.fr-header').isVisible()).toBe(false);
    expect(await page.locator('footer.fr-footer').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Imprimer ou enregistrer en PDF' }).isVisible()).toBe(false);
    const main = normalised(await page.innerText('main'));
    for (const expected of [...SECTIONS, ...FIGURES, ...NAMES]) expect(main).toContain(expected);
    await screenshot(page, 'rapport-structure-impression');
  });

  it('prints to an A4 PDF of several pages: each section starts a page', async () => {
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Page objects are plain dictionaries in Chromium's PDFs (their text streams are compressed).
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pdf.length).toBeGreaterThan(10_000);
    // Its text, extracted by pdf.js: the heading, the sections, the figures and the names of the printed page.
    const text = normalised(await pdfText(pdf));
    for (const expected of [HEADING, ...SECTIONS, ...FIGURES, ...NAMES]) expect(text).toContain(expected);
    expect(text).not.toContain('Imprimer ou enregistrer en PDF');
    await page.emulateMedia({ media: 'screen' });
  });
});
