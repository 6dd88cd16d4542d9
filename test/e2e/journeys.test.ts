import type { Browser, BrowserContext, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughForm } from '../helpers/browser.js';
import { type DemoSite, openDemoSite } from '../helpers/demo-site.js';

let site: DemoSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  [site, browser] = await Promise.all([openDemoSite({ persons: 400, months: 18 }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A fresh browser profile per journey; any console error (a CSP refusal among them) fails the journey. */
async function freshPage(): Promise<Page> {
  await context?.close();
  context = await browser.newContext({ acceptDownloads: true, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') cspViolations.push(`${page.url()} : ${message.text()}`);
  });
  return page;
}

async function checkPage(name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousAccessibilityViolations(page), name).toEqual([]);
  expect(cspViolations).toEqual([]);
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
