import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import { errorHandlerPlugin } from './plugins/error-handler.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { healthRoutes } from './routes/health.js';
import { homeRoutes } from './routes/home.js';

const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

/** Readable lines on a terminal, JSON lines for a log collector. */
function loggerOptions(config: Config) {
  if (config.logLevel === 'silent') return false;
  if (!process.stdout.isTTY) return { level: config.logLevel };
  return {
    level: config.logLevel,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
  };
}

export type AppDependencies = { config: Config; database: Pick<DatabaseHandle, 'db'> };

/** Every plugin and route, registered explicitly: what the app does is readable here. */
export async function buildApp({ config, database }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 1024 * 1024,
  });
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(fastifyView, {
    engine: { eta: new Eta() },
    root: VIEWS_DIR,
    viewExt: 'eta',
  });
  await app.register(fastifyStatic, { root: path.join(VIEWS_DIR, 'static'), prefix: '/static/' });
  await app.register(healthRoutes, { database });
  await app.register(homeRoutes, { database });
  return app;
}
