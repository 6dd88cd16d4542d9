import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright';
import { ROOT } from './cli.js';

/** Debian's Chromium (Playwright's own download cannot reach its server here), or CHROMIUM_PATH. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

export const SCREENSHOTS_DIR = path.join(ROOT, 'test-results', 'screenshots');

/** A full-page screenshot kept as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  // caret 'initial': hiding the caret injects a style element, which the page's CSP rightly refuses.
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true, caret: 'initial' });
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type AxeViolation = { id: string; impact: string; help: string; nodes: string[] };

/** axe-core's serious and critical violations on the page (evaluated by the devtools protocol, outside the CSP). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True when the canvas has at least one painted pixel: Chart.js drew something. */
export const canvasIsDrawn = (page: Page, selector: string): Promise<boolean> =>
  page.$eval(selector, (canvas) => {
    // No DOM types in this project's compiler settings: the canvas API it needs, spelt out.
    const c = canvas as unknown as {
      width: number;
      height: number;
      dataset: Record<string, string>;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) return c.dataset.drawn === 'true';
    return false;
  });

/** Signs in through the form, as a person would. */
export async function signInThroughForm(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/connexion'));
}
