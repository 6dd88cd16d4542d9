import type { FastifyInstance } from 'fastify';
import type { RouteDependencies } from '../app.js';

export async function reportRoutes(_app: FastifyInstance, _deps: RouteDependencies): Promise<void> {}
