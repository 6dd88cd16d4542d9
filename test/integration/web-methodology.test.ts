import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, Scope } from '../../src/accounts/roles.js';
import { ENGAGEMENT_CRITERIA, readIndicatorSettings } from '../../src/indicators/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildTestApp, getPage, signedIn } from '../helpers/web.js';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

/** A number as the page writes it (« 3 640 heures », « 1,5 ») back to a number. */
const frenchNumber = (text: string | undefined) => Number((text ?? '').replace(/[^\d,-]/g, '').replace(',', '.'));
const textOf = (html: string, id: string) => new RegExp(`id="${id}">([^<]+)<`).exec(html)?.[1];

describe('methodology page', () => {
  const roles: [Role, Scope[]][] = [
    ['admin', []],
    ['conseiller', []],
    ['structure', [{ kind: 'siret', code: '12345678900012' }]],
    ['financeur', [{ kind: 'france' }]],
  ];

  it.each(roles)('is open to a %s, with headings in order', async (role, scopes) => {
    const page = await getPage(app, '/methodologie', await signedIn(database, role, scopes));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Méthodologie</h1>');
    expect(page.body).toContain('aria-current="page">Méthodologie');
    const levels = [...page.body.matchAll(/<h([1-6])[\s>]/g)].map((match) => Number(match[1]));
    for (const [i, level] of levels.entries()) if (i > 0) expect(level - (levels[i - 1] ?? 1)).toBeLessThanOrEqual(1);
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    expect((await getPage(app, '/methodologie')).headers.location).toBe('/connexion?suite=%2Fmethodologie');
  });

  it('shows the weights, budget, threshold and minimums the indicators are computed with', async () => {
    const settings = readIndicatorSettings();
    const { body } = await getPage(app, '/methodologie', await signedIn(database, 'conseiller'));
    for (const criterion of ENGAGEMENT_CRITERIA) {
      const row = new RegExp(`<tr id="critere-${criterion}">[\\s\\S]*?<td class="fr-cell--right poids">([^<]+)</td>`).exec(body);
      expect(frenchNumber(row?.[1]), criterion).toBe(settings.engagement.weights[criterion]);
    }
    const total = Object.values(settings.engagement.weights).reduce((sum, weight) => sum + weight, 0);
    expect(frenchNumber(textOf(body, 'total-poids'))).toBe(total);
    expect(frenchNumber(textOf(body, 'budget-pass'))).toBe(settings.passBudgetHours);
    expect(frenchNumber(textOf(body, 'seuil-engagement'))).toBe(settings.engagement.engagedScore);
    expect(frenchNumber(textOf(body, 'minimum-embauches'))).toBe(settings.engagement.minimumHires);
    expect(frenchNumber(textOf(body, 'minimum-pairs'))).toBe(settings.engagement.minimumPeers);
    expect(frenchNumber(textOf(body, 'seuil-secret'))).toBe(5);
    for (const words of ['non observable', 'rang centile', 'pairs', 'suspension automatique', 'secret statistique'])
      expect(body).toContain(words);
  });
});
