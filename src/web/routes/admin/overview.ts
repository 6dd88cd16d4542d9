import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readTotals } from '../../../stats/totals.js';
import type { RouteDependencies } from '../../app.js';
import { listRejections, listRuns, readRun } from './imports-repository.js';
import { dateTime, duration, RUN_KIND_LABELS, RUN_STATUS_BADGES } from './labels.js';

// The administration home (what the database holds, the last loads) and each load's report.

const RECENT_RUNS = 30;
const REJECTIONS_PER_PAGE = 500;
// Warnings are grouped by kind and file when recorded: a page shows the first ones.
const WARNINGS_SHOWN = 200;

const runParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const reportQuery = z.object({ page: z.coerce.number().int().positive().catch(1).default(1) });

const notFound = (id: string) => Object.assign(new Error(`Chargement introuvable : n° ${id}.`), { statusCode: 404 });

export async function overviewRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  app.get('/admin', async (_request, reply) => {
    const [totals, runs] = await Promise.all([readTotals({ db }), listRuns(db, RECENT_RUNS)]);
    return reply.page('pages/admin/index', {
      title: 'Administration',
      totals,
      runs,
      kinds: RUN_KIND_LABELS,
      statuses: RUN_STATUS_BADGES,
      dateTime,
    });
  });

  app.get('/admin/imports/:id', async (request, reply) => {
    const params = runParams.safeParse(request.params);
    if (!params.success) throw notFound((request.params as { id: string }).id);
    const run = await readRun(db, params.data.id);
    if (!run) throw notFound(String(params.data.id));
    const pages = Math.max(1, Math.ceil(run.rejected / REJECTIONS_PER_PAGE));
    const page = Math.min(reportQuery.parse(request.query).page, pages);
    const [rejections, warnings] = await Promise.all([
      listRejections(db, run.id, { offset: (page - 1) * REJECTIONS_PER_PAGE, limit: REJECTIONS_PER_PAGE }),
      listRejections(db, run.id, { offset: 0, limit: WARNINGS_SHOWN }, 'warning'),
    ]);
    return reply.page('pages/admin/report', {
      title: `Rapport du chargement n° ${run.id}`,
      run,
      rejections,
      warnings,
      page,
      pages,
      firstRow: (page - 1) * REJECTIONS_PER_PAGE + 1,
      kinds: RUN_KIND_LABELS,
      statuses: RUN_STATUS_BADGES,
      dateTime,
      duration,
    });
  });
}
