import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/accounts/roles.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/web/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, getPage, type SignedIn, signedInEveryRole } from '../helpers/web.js';

// Headers of what the server sends: nothing a signed-in user sees is kept by a browser or a shared cache.

let database: TestDatabase;
let app: FastifyInstance;
let users = new Map<Role, SignedIn>();

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database);
  users = await signedInEveryRole(database);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

// Every page and export of a signed-in user: HTML, CSV, zip, printable reports, error pages, redirects.
const SIGNED_IN: [Role, string][] = [
  ['conseiller', '/employeurs'],
  ['conseiller', '/employeurs.csv'],
  ['conseiller', '/employeurs/12345678900012'],
  ['conseiller', '/methodologie'],
  ['conseiller', '/compte'],
  ['conseiller', '/exposition'],
  ['conseiller', '/exposition/fiche/12345678900012'],
  ['structure', '/participants'],
  ['structure', '/participants/999999999999'],
  ['structure', '/rapports/structure/mensuel/2025-01'],
  ['structure', '/rapports/structure/annuel/2025.zip'],
  ['financeur', '/resultats'],
  ['financeur', '/resultats.csv?vue=territoires'],
  ['financeur', '/rapports'],
  ['financeur', '/rapports/territoire/annuel/2025'],
  ['financeur', '/rapports/territoire/annuel/2025.zip'],
  ['admin', '/admin'],
  ['admin', '/admin/import'],
  ['admin', '/admin/utilisateurs'],
  ['admin', '/admin/journal'],
  ['admin', '/public'],
  ['admin', '/public.csv?vue=programmes'],
  ['admin', '/nulle-part'],
  ['admin', '/'],
  ['conseiller', '/admin'],
];

describe('Cache-Control', () => {
  it.each(SIGNED_IN)('%s %s: no-store', async (role, url) => {
    const response = await getPage(app, url, users.get(role));
    expect(response.statusCode, url).toBeLessThan(500);
    expect(response.headers['cache-control'], `${url} (${response.statusCode})`).toBe('no-store');
  });

  it('keeps the API’s private, no-store', async () => {
    const response = await app.inject({ url: '/api/v1/employeurs' });
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('leaves static files and the anonymous public dashboard cacheable', async () => {
    const admin = users.get('admin') as SignedIn;
    for (const [url, cacheControl] of [
      ['/static/sillage.css', 'public, max-age=3600'],
      ['/dsfr/dsfr.min.css', 'public, max-age=86400'],
      ['/vendor/chartjs/chart.umd.min.js', 'public, max-age=86400'],
    ] as const) {
      expect((await app.inject({ url, cookies: admin.cookies })).headers['cache-control'], url).toBe(cacheControl);
      expect((await app.inject({ url })).headers['cache-control'], url).toBe(cacheControl);
    }
    for (const url of ['/public', '/public/integrer', '/public.csv?vue=regions']) {
      const response = await getPage(app, url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control'], url).toBeUndefined();
    }
  });
});

describe('the site’s own address', () => {
  const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  /** The embed snippet as the visitor copies it: the text of the page's <pre><code>. */
  const snippet = (html: string) =>
    (/<pre tabindex="0"><code>([^<]*)<\/code><\/pre>/.exec(html)?.[1] ?? '').replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, name: string) => ENTITIES[name] as string,
    );
  const forged = { host: 'piege.example', 'x-forwarded-host': 'piege.example', 'x-forwarded-proto': 'https', accept: 'text/html' };

  it('is the configured SILLAGE_PUBLIC_URL in the embed snippet, whatever Host the request forges', async () => {
    const configured = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', SILLAGE_PUBLIC_URL: 'https://stats.exemple.fr/sillage/' }),
      database,
    });
    for (const headers of [forged, { accept: 'text/html' }]) {
      const page = await configured.inject({ url: '/public', headers });
      expect(page.statusCode).toBe(200);
      expect(snippet(page.body)).toMatch(/^<iframe src="https:\/\/stats\.exemple\.fr\/sillage\/public\/integrer"\n/);
      expect(page.body).not.toContain('piege.example');
    }
    await configured.close();
  });

  it('defaults to the local address HOST:PORT, never the Host header', async () => {
    const page = await app.inject({ url: '/public', headers: forged });
    expect(snippet(page.body)).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:3000\/public\/integrer"\n/);
    expect(page.body).not.toContain('piege.example');
    expect(loadConfig({ HOST: '::1', PORT: '8080' }).publicUrl).toBe('http://[::1]:8080');
  });

  it('is validated at start: an absolute http(s) address', () => {
    expect(loadConfig({ SILLAGE_PUBLIC_URL: 'https://stats.exemple.fr' }).publicUrl).toBe('https://stats.exemple.fr');
    for (const wrong of [
      'stats.exemple.fr',
      '/sillage',
      'ftp://stats.exemple.fr',
      'https://stats.exemple.fr/?a=1',
      'javascript:alert(1)',
    ]) {
      expect(() => loadConfig({ SILLAGE_PUBLIC_URL: wrong }), wrong).toThrow(/SILLAGE_PUBLIC_URL/);
    }
  });
});
