import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import { csrfPlugin } from './plugins/csrf.js';
import { errorHandlerPlugin } from './plugins/error-handler.js';
import { pagesPlugin } from './plugins/pages.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { sessionPlugin } from './plugins/session.js';
import { healthRoutes } from './routes/health.js';
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

/** Every plugin and route, registered explicitly: what the app does is readable here. */
export async function buildApp({ config, database }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
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
  await app.register(pagesPlugin);
  await app.register(healthRoutes, { database });
  await app.register(signInRoutes, { db });
  return app;
}
