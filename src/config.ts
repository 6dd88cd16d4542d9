import path from 'node:path';
import { z } from 'zod';

// Every message zod writes for Sillage's users is in French, from the configuration to uploaded files.
z.config(z.locales.fr());

// One schema for the whole environment: the README's configuration table mirrors it line by line.
const envSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  SILLAGE_DATA_DIR: z.string().min(1).default('.data'),
  SILLAGE_EMBEDDED_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  SILLAGE_NIR_KEY: z.string().min(32, 'la clé doit compter au moins 32 caractères').optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SILLAGE_DEMO_PERSONS: z.coerce.number().int().min(0).default(2000),
  SILLAGE_DEMO_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  SILLAGE_INGEST_BATCH_LINES: z.coerce.number().int().min(1).default(200_000),
  SILLAGE_TRUST_PROXY: z.stringbool().default(false),
});

export type Config = Readonly<{
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPort: number;
  nirKey: string | undefined;
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  demoPersons: number;
  demoMonths: number;
  ingestBatchLines: number;
  /** Behind a reverse proxy: read the client address and https from X-Forwarded-* (secure cookies). */
  trustProxy: boolean;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} : ${issue.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.SILLAGE_DATA_DIR),
    embeddedPort: e.SILLAGE_EMBEDDED_PORT,
    nirKey: e.SILLAGE_NIR_KEY,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    demoPersons: e.SILLAGE_DEMO_PERSONS,
    demoMonths: e.SILLAGE_DEMO_MONTHS,
    ingestBatchLines: e.SILLAGE_INGEST_BATCH_LINES,
    trustProxy: e.SILLAGE_TRUST_PROXY,
  });
}
