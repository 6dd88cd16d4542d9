import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasIsDrawn, launchBrowser, screenshot, seriousAccessibilityViolations } from '../helpers/browser.js';
import { type DemoSite, openDemoSite } from '../helpers/demo-site.js';

// The public dashboard in Chromium, anonymous, on the demo data set; and its embed inside a page of another site
// (another port: another origin), as a partner would paste the snippet.

let site: DemoSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let partner: Server;
let partnerUrl: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [site, browser] = await Promise.all([openDemoSite({ persons: 400, months: 18 }), launchBrowser()]);
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Site partenaire</title></head>
<body><h1>Site partenaire</h1>
<iframe src="${site.baseUrl}/public/integrer" title="Chiffres publics de l’insertion – Sillage" width="1000" height="900"></iframe>
</body></html>`;
  partner = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise((resolve) => partner?.close(resolve));
  await site?.close();
});

/** A fresh profile, signed in as nobody; any console error (a CSP refusal, a refused frame) fails the test. */
async function freshPage(): Promise<Page> {
  await context?.close();
  consoleErrors.length = 0;
  context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()} : ${message.text()}`);
  });
  return page;
}

describe('public dashboard', () => {
  it('opens anonymously, draws its charts, and passes axe', async () => {
    await freshPage();
    await page.goto(`${site.baseUrl}/public`);
    expect(new URL(page.url()).pathname).toBe('/public');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Chiffres publics de l’insertion');
    for (const id of ['par-programmes', 'par-regions', 'par-annees', 'par-employeurs-regions', 'par-employeurs-secteurs']) {
      expect(await canvasIsDrawn(page, `#${id} canvas`), id).toBe(true);
    }
    // The configured public address (by default HOST:PORT of the configuration), not the one this browser used.
    expect(await page.locator('pre code').textContent()).toContain('<iframe src="http://127.0.0.1:3000/public/integrer"');
    await screenshot(page, 'public');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(consoleErrors.join('\n')).toBe('');
  });

  it('shows its embed inside another site’s page', async () => {
    await freshPage();
    await page.goto(partnerUrl);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { level: 1 }).waitFor();
    expect(await frame.getByRole('heading', { level: 1 }).textContent()).toBe('Chiffres publics de l’insertion');
    expect(await frame.getByRole('link', { name: /Source : Sillage/ }).getAttribute('target')).toBe('_blank');
    await frame.locator('canvas[data-drawn="true"]').first().waitFor();
    expect(await frame.locator('canvas[data-drawn="true"]').count()).toBe(5);
    await screenshot(page, 'public-integrer');
    expect(consoleErrors.join('\n')).toBe('');
  });
});
