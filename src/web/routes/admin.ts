import type { FastifyInstance } from 'fastify';
import { requireJourney } from '../access.js';
import type { RouteDependencies } from '../app.js';
import { journalRoutes } from './admin/journal.js';
import { overviewRoutes } from './admin/overview.js';
import { uploadRoutes } from './admin/upload.js';
import { userRoutes } from './admin/users.js';

/** Administration (issue 4, part 5): loads and their reports, uploads, accounts, audit log. Administrators only. */
export async function adminRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  app.addHook('preHandler', requireJourney('admin'));
  await app.register(overviewRoutes, deps);
  await app.register(uploadRoutes, deps);
  await app.register(userRoutes, deps);
  await app.register(journalRoutes, deps);
}
