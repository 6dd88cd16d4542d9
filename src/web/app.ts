import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { csrfPlugin } from './plugins/csrf.js';
import { errorHandlerPlugin, refuseMalformedAddress } from './plugins/error-handler.js';
import { indicatorCachePlugin } from './plugins/indicator-cache.js';
import { pagesPlugin } from './plugins/pages.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { sessionPlugin } from './plugins/session.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import { employerRoutes } from './routes/employers.js';
import { exposureRoutes } from './routes/exposures.js';
import { healthRoutes } from './routes/health.js';
import { methodologyRoutes } from './routes/methodology.js';
import { outcomeRoutes } from './routes/outcomes.js';
import { participantRoutes } from './routes/participants.js';
import { publicRoutes } from './routes/public.js';
import { reportRoutes } from './routes/reports.js';
import { signInRoutes } from './routes/sign-in.js';

/** Readable lines on a terminal, JSON lines for a log collector. */
function loggerOptions(config: Config) {
  if (config.logLevel === 'silent') return false;
  if (!process.stdout.isTTY) return { level: config.logLevel };
  return {
    level: config.logLevel,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
  };
}

export type AppDependencies = { config: Config; database: Pick<DatabaseHandle, 'db' | 'pool'> };
/** What every journey's routes get: the query builder, the pool (COPY, loaders) and the configuration. */
export type RouteDependencies = { db: Kysely<Database>; pool: pg.Pool; config: Config };

/** Every plugin and route, registered explicitly: what the app does is readable here. */
export async function buildApp({ config, database }: AppDependencies): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    logger: loggerOptions(config),
    connectionTimeout: 10_000,
    // Uploads of DSN files can take minutes; bodies of other requests are capped at 1 MB.
    requestTimeout: 600_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 1024 * 1024,
    // A malformed address is refused before any plugin runs: in French, as a page for browsers.
    frameworkErrors: (error, request, reply) => refuseMalformedAddress(app, error, request, reply),
    // Only the listed proxies: X-Forwarded-For from anyone else is the client's own word.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
  });
  const { db } = database;
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(fastifyFormbody);
  await app.register(sessionPlugin, { db });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Trop de tentatives : réessayez dans ${Math.ceil(context.ttl / 60_000)} minute(s).`,
    }),
  });
  await app.register(csrfPlugin);
  await app.register(indicatorCachePlugin, { pool: database.pool });
  await app.register(pagesPlugin);
  await app.register(healthRoutes, { database });
  await app.register(signInRoutes, { db });
  const deps: RouteDependencies = { db, pool: database.pool, config };
  await app.register(employerRoutes, deps);
  await app.register(participantRoutes, deps);
  await app.register(outcomeRoutes, deps);
  await app.register(adminRoutes, deps);
  await app.register(methodologyRoutes, deps);
  await app.register(exposureRoutes, deps);
  await app.register(reportRoutes, deps);
  await app.register(publicRoutes, deps);
  await app.register(accountRoutes, deps);
  await app.register(apiRoutes, { ...deps, prefix: '/api' });
  return app;
}
