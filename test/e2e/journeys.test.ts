import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasIsDrawn, launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughForm } from '../helpers/browser.js';
import { type DemoSite, openDemoSite } from '../helpers/demo-site.js';
import { contract, declaration, envoi, individual, tempDir, writeDsn } from '../helpers/dsn-builder.js';

let site: DemoSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [site, browser] = await Promise.all([openDemoSite({ persons: 400, months: 18 }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A fresh browser profile per journey; any console error (a CSP refusal among them) fails the journey. */
async function freshPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  await context?.close();
  consoleErrors.length = 0;
  context = await browser.newContext({ acceptDownloads: true, locale: 'fr-FR', viewport });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()} : ${message.text()}`);
  });
  return page;
}

async function checkPage(name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousAccessibilityViolations(page), name).toEqual([]);
  expect(consoleErrors.join('\n'), name).toBe('');
}

describe('anonymous visitor', () => {
  it('sees only the sign-in page, which passes axe', async () => {
    await freshPage();
    await page.goto(`${site.baseUrl}/employeurs`);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    await expect(page.getByRole('heading', { level: 1 })).toBeDefined();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connexion à Sillage');
    await checkPage('connexion');
  });

  it('is told in French when the password is wrong', async () => {
    await page.getByLabel('Adresse électronique').fill('conseiller@demo.sillage.fr');
    await page.getByLabel('Mot de passe').fill('pas-le-bon-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Adresse électronique ou mot de passe incorrect.').waitFor();
  });
});

describe('every role', () => {
  it.each([
    ['conseiller', '/employeurs'],
    ['structure', '/participants'],
    ['financeur', '/resultats'],
    ['admin', '/admin'],
  ] as const)('%s signs in through the form and lands on %s', async (role, path) => {
    await freshPage();
    const { email, password } = site.account(role);
    await signInThroughForm(page, site.baseUrl, email, password);
    expect(new URL(page.url()).pathname).toBe(path);
  });
});

describe('SIAE manager', () => {
  it('filters the participants on an alert, opens one, sees the hours chart drawn, and the visit is audited', async () => {
    await freshPage();
    const { email, password } = site.account('structure');
    await signInThroughForm(page, site.baseUrl, email, password);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const everybody = await page.locator('tbody tr').count();
    expect(everybody).toBeGreaterThan(0);
    await checkPage('participants-liste');
    await page.getByLabel('Personnes affichées').selectOption('toutes');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/alerte=toutes/);
    expect(await page.locator('tbody tr').count()).toBeLessThanOrEqual(everybody);
    await page.goto(`${site.baseUrl}/participants`);
    const first = page.locator('tbody tr th a').first();
    const pass = decodeURIComponent((await first.getAttribute('href'))?.split('/').pop() ?? '');
    await first.click();
    await page.waitForURL(/\/participants\/.+/);
    expect(await canvasIsDrawn(page, 'canvas[data-chart]')).toBe(true);
    await checkPage('participants-fiche');
    const { rows } = await site.database.pool.query('select pass_number from audit_log where action = $1', ['participant_view']);
    expect(rows.map((r) => r.pass_number)).toContain(pass);
  });
});

describe('admin', () => {
  it('uploads a DSN file with a bad line in the browser and reads the French report', async () => {
    await freshPage();
    const { email, password } = site.account('admin');
    await signInThroughForm(page, site.baseUrl, email, password);
    await checkPage('admin-accueil');
    await page.goto(`${site.baseUrl}/admin/import`);
    await checkPage('admin-depot');
    // A contract starting on a day that does not exist: the declaration is rejected, named by file and line.
    const file = await writeDsn(
      await tempDir(),
      'fevrier.dsn',
      envoi(
        declaration(
          { siren: '123456789', nic: '00012', month: '2024-01' },
          individual({ nir: '1850759123457', lastName: 'MARTIN', birth: '01011985' }),
          contract({ start: '2024-02-31', number: 'X1' }),
        ),
      ),
    );
    await page.getByLabel('Des fichiers DSN').check();
    await page.getByLabel('Fichiers à déposer').setInputFiles(file);
    await page.getByRole('button', { name: 'Envoyer et charger' }).click();
    await page.waitForURL(/\/admin\/imports\/\d+/, { timeout: 60_000 });
    const report = page.locator('table').filter({ hasText: path.basename(file) });
    expect(await report.textContent()).toContain('S21.G00.40.001');
    expect(await report.textContent()).toContain('31022024');
    await checkPage('admin-rapport');
  });

  it('manages accounts, reads the audit journal and the methodology, each page passing axe', async () => {
    for (const [path, name] of [
      ['/admin/utilisateurs', 'admin-comptes'],
      ['/admin/journal', 'admin-journal'],
      ['/methodologie', 'methodologie'],
    ]) {
      await page.goto(`${site.baseUrl}${path}`);
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      await checkPage(name as string);
    }
  });
});

/** The first real choice of a select (its first option is "all"). */
async function firstChoice(name: string): Promise<string> {
  const values = await page
    .locator(`select[name="${name}"] option`)
    .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
  const value = values.find((v) => v !== '');
  if (!value) throw new Error(`aucun choix dans ${name}`);
  return value;
}

/** Clicks a CSV export link and reads the downloaded file. */
async function downloadCsv(linkName: RegExp): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).first().click()]);
  return (await readFile((await download.path()) as string, 'utf8'))
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
}

/** Every chart of the page has been drawn by Chart.js. */
async function chartsDrawn(): Promise<void> {
  const count = await page.locator('canvas[data-chart]').count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++)
    expect(await canvasIsDrawn(page, `:nth-match(canvas[data-chart], ${i + 1})`), `graphique ${i + 1}`).toBe(true);
}

describe('counsellor', () => {
  it('filters employers by région, exports the CSV and reads it, opens an employer and sees its charts', async () => {
    await freshPage();
    const { email, password } = site.account('conseiller');
    await signInThroughForm(page, site.baseUrl, email, password);
    await checkPage('employeurs-liste');
    const region = await firstChoice('region');
    await page.locator('select[name="region"]').selectOption(region);
    await page.getByRole('button', { name: 'Afficher les établissements' }).click();
    await page.waitForURL(new RegExp(`region=${region}`));
    const shown = await page.locator('tbody tr').count();
    expect(shown).toBeGreaterThan(0);
    const csv = await downloadCsv(/Exporter en CSV/);
    expect(csv[0]).toContain('SIRET');
    expect(csv.length - 1).toBeGreaterThanOrEqual(shown);
    await page.locator('tbody tr th a').first().click();
    await page.waitForURL(/\/employeurs\/\d{14}$/);
    await chartsDrawn();
    await checkPage('employeur-fiche');
  });
});

describe('funder', () => {
  it('sees the outcomes of their région drawn, filters on a programme, and exports exactly the table shown', async () => {
    await freshPage();
    const { email, password } = site.account('financeur');
    await signInThroughForm(page, site.baseUrl, email, password);
    await chartsDrawn();
    await checkPage('resultats');
    const programme = await firstChoice('programme');
    await page.locator('select[name="programme"]').selectOption(programme);
    await page.getByRole('button', { name: 'Afficher les résultats' }).click();
    await page.waitForURL(new RegExp(`programme=${programme}`));
    const table = page.locator('#tableau-dispositifs');
    const rowsShown = await table.locator('tbody tr').count();
    const csv = await downloadCsv(/Exporter en CSV/);
    expect(csv.length - 1).toBe(rowsShown);
    await checkPage('resultats-filtres');
  });
});

describe('on a phone, with the keyboard', () => {
  it('signs in with the keyboard alone, opens the menu and reaches a participant without scrolling sideways', async () => {
    await freshPage({ width: 375, height: 740 });
    const { email, password } = site.account('structure');
    await page.goto(`${site.baseUrl}/connexion`);
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent,
      ),
    ).toBe('Contenu');
    await page.getByLabel('Adresse électronique').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/participants$/);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Méthodologie' }).waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Fermer' }).click();
    const width = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(380);
    await checkPage('mobile-participants');
    await page.locator('tbody tr th a').first().click();
    await page.waitForURL(/\/participants\/.+/);
    await checkPage('mobile-participant');
  });
});
