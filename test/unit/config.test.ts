import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { resolveNirKey } from '../../src/persons/secret-key.js';

describe('configuration', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      databaseUrl: undefined,
      embeddedPort: 5433,
      host: '127.0.0.1',
      port: 3000,
      logLevel: 'info',
      demoPersons: 2000,
      demoMonths: 24,
      ingestBatchLines: 200_000,
    });
  });

  it('names the bad variable in French', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('PORT : Entrée invalide : nombre attendu');
    expect(() => loadConfig({ SILLAGE_NIR_KEY: 'court' })).toThrow('SILLAGE_NIR_KEY : la clé doit compter au moins 32 caractères');
  });

  it('requires a NIR key with an external database', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sillage' });
    await expect(resolveNirKey(config)).rejects.toThrow('SILLAGE_NIR_KEY est obligatoire avec DATABASE_URL');
  });
});
