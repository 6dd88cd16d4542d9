import type { FastifyInstance } from 'fastify';
import type { RouteDependencies } from '../app.js';

export async function apiRoutes(_app: FastifyInstance, _deps: RouteDependencies): Promise<void> {}
