import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

// Every message zod writes for Sillage's users is in French, from the configuration to uploaded files.
z.config(z.locales.fr());

// proxy-addr's names for the loopback, link-local and unique-local ranges, as Fastify's trustProxy reads them.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddress = (entry: string) => {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return PROXY_RANGE_NAMES.includes(entry) && rest.length === 0 && prefix === undefined;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/** The reverse proxies whose X-Forwarded-* headers are believed: `true` would let any client choose its address. */
const trustedProxies = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed.toLowerCase() === 'false') return [];
    if (trimmed.toLowerCase() === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          '« true » ferait croire l’en-tête X-Forwarded-For de n’importe quel client (qui pourrait ainsi contourner la limite des connexions) : listez les adresses ou plages de vos proxys inverses, séparées par des virgules (par exemple 10.0.0.5 ou 10.0.0.0/24)',
      });
      return z.NEVER;
    }
    const entries = trimmed.split(',').map((entry) => entry.trim());
    for (const entry of entries.filter((entry) => !isProxyAddress(entry))) {
      ctx.addIssue({
        code: 'custom',
        message: `« ${entry} » n’est ni une adresse IP ni une plage CIDR : listez les adresses ou plages de vos proxys inverses, séparées par des virgules (par exemple 10.0.0.5 ou 10.0.0.0/24)`,
      });
    }
    return entries;
  });

/** The address visitors reach Sillage at, for what prints it (the embed snippet): absolute http(s), nothing after the path. */
const publicUrl = z
  .url({ protocol: /^https?$/, error: 'attendu une adresse absolue en http ou https, par exemple https://sillage.exemple.fr' })
  .refine((value) => {
    // A value that is no URL at all has already been reported by the check above.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  }, 'l’adresse ne doit porter ni paramètres (?), ni ancre (#), ni identifiants')
  .transform((value) => value.replace(/\/+$/, ''))
  .optional();

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
  SILLAGE_TRUST_PROXY: trustedProxies,
  SILLAGE_PUBLIC_URL: publicUrl,
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
  /** Reverse proxies (addresses, CIDR ranges) whose X-Forwarded-* give the client address and https; empty: none. */
  trustProxy: readonly string[];
  /** The site's public address without a trailing slash; by default the local one, http://HOST:PORT. */
  publicUrl: string;
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
    publicUrl: e.SILLAGE_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
  });
}
