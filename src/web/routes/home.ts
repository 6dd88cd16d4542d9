import type { FastifyInstance } from 'fastify';
import { readTotals } from '../../stats/totals.js';
import type { AppDependencies } from '../app.js';

export async function homeRoutes(app: FastifyInstance, { database }: Pick<AppDependencies, 'database'>): Promise<void> {
  app.get('/', async (_request, reply) => {
    const totals = await readTotals(database);
    return reply.view('pages/home', {
      totals,
      format: (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 0 }),
    });
  });
}
