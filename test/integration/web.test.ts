import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { buildApp } from '../../src/web/app.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import { contract, declaration, envoi, individual, pay, tempDir, writeDsn } from '../helpers/dsn-builder.js';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  const file = await writeDsn(
    await tempDir(),
    'a.dsn',
    envoi(
      declaration(
        { siren: '123456789', nic: '00012', month: '2024-05' },
        individual({ nir: '1850759123456', lastName: 'MARTIN', birth: '01011985' }),
        contract({ start: '2024-01-02', number: '1' }),
        pay('1', '2024-05-01', '2024-05-31', '1512.50'),
      ),
    ),
  );
  await ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY });
  app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('web server', () => {
  it('answers /healthz once the database is reachable', async () => {
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ statut: 'ok' });
  });

  it('shows the database totals on the home page, in French, under a strict CSP', async () => {
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const rows = [...response.body.matchAll(/<th scope="row">([^<]+)<\/th><td>([^<]+)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['Déclarations', '1'],
      ['Établissements', '1'],
      ['Personnes', '1'],
      ['Contrats', '1'],
      ['Fins de contrat', '0'],
      ['Arrêts de travail', '0'],
      ['Autres suspensions', '0'],
      ['Heures travaillées', '1\u202f513'],
    ]);
  });

  it('answers an unknown page with a French 404', async () => {
    const response = await app.inject('/nulle-part');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ statut: 404, erreur: 'Page introuvable : /nulle-part' });
  });
});
