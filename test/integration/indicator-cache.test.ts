import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshIndicators } from '../../src/indicators/refresh.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { andWaitForNotice, buildTestApp } from '../helpers/web.js';

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

describe('indicator reads kept by the web server', () => {
  it('are dropped when any connection refreshes the indicators', async () => {
    expect(await app.indicators.get(['employeurs'], async () => 'avant')).toBe('avant');
    expect(await app.indicators.get(['employeurs'], async () => 'après')).toBe('avant');
    await andWaitForNotice(app, () => refreshIndicators(database.pool));
    expect(await app.indicators.get(['employeurs'], async () => 'après')).toBe('après');
  });
});
