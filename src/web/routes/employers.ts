import type { FastifyInstance } from 'fastify';
import type { RouteDependencies } from '../app.js';

export async function employerRoutes(_app: FastifyInstance, _deps: RouteDependencies): Promise<void> {}
