import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppDependencies } from '../app.js';

export async function healthRoutes(app: FastifyInstance, { database }: Pick<AppDependencies, 'database'>): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(database.db);
      return { statut: 'ok' };
    } catch {
      return reply.status(503).send({ statut: 'indisponible', erreur: 'base de données injoignable' });
    }
  });
}
