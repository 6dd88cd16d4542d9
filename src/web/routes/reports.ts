import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type OutcomeLine, type OutcomesTable, outcomesByProgramme, outcomesByTerritory } from '../../outcomes/repository.js';
import { SECRET_THRESHOLD } from '../../outcomes/secret.js';
import type { TerritoryScope } from '../../outcomes/territory.js';
import { bundleName, structureReportFiles, territoryReportFiles, zipFiles } from '../../reports/csv.js';
import { parsePeriod, type ReportPeriod } from '../../reports/period.js';
import { monthOutcomes, recordReportView, structureReport } from '../../reports/repository.js';
import { AccessDenied, outcomesTerritory, participantSirets, requireJourney } from '../access.js';
import type { RouteDependencies } from '../app.js';
import { tableView } from './outcomes/tables.js';
import { territoryLevel } from './outcomes/territory.js';
import { reportLinks, structureView } from './reports/view.js';

// Automated reports (issue 5, part 4): a structure's month or year (its own people, by name), a funder's month or
// year over its territory (aggregates, the statistical secret applied); each printable and as a zip of CSV files.

const KINDS = { mensuel: 'mois', annuel: 'annee' } as const;
const STYLES = ['/static/report-print.css'];
const SCRIPTS = ['/static/report.js'];

/** The period from the URL, with whether the zip bundle was asked for. */
function readPeriod(kind: ReportPeriod['kind'], params: Record<string, string>) {
  const raw = params[KINDS[kind]] ?? '';
  const zip = raw.endsWith('.zip');
  return { period: parsePeriod(kind, zip ? raw.slice(0, -4) : raw), zip };
}

function sendZip(reply: FastifyReply, files: Record<string, string>, name: string) {
  return reply
    .header('content-type', 'application/zip')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(Buffer.from(zipFiles(files)));
}

function structureSirets(request: FastifyRequest): string[] {
  if (request.user?.role !== 'structure') throw new AccessDenied();
  return participantSirets(request.user);
}

function territoryScope(request: FastifyRequest): TerritoryScope {
  const scope = request.user ? outcomesTerritory(request.user) : null;
  if (!scope) throw new AccessDenied();
  return scope;
}

export async function reportRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  const preHandler = requireJourney('reports');

  app.get('/rapports', { preHandler }, async (request, reply) => {
    const user = request.user;
    if (!user) throw new AccessDenied();
    return reply.page('pages/reports/index', {
      title: 'Rapports',
      links: reportLinks(user.role === 'structure' ? 'structure' : 'territoire'),
    });
  });

  for (const kind of ['mensuel', 'annuel'] as const) {
    app.get<{ Params: Record<string, string> }>(`/rapports/structure/${kind}/:${KINDS[kind]}`, { preHandler }, async (request, reply) => {
      const sirets = structureSirets(request);
      const { period, zip } = readPeriod(kind, request.params);
      const report = await structureReport(db, sirets, period);
      const people = report.alerts.people.length + report.exits.people.length;
      await recordReportView(db, { userId: request.user?.id ?? 0, report: `structure-${kind}`, period: period.code, people });
      if (zip) return sendZip(reply, structureReportFiles(report), bundleName('structure', period));
      reply.header('cache-control', 'no-store');
      return reply.page('pages/reports/structure', {
        title: `Rapport ${kind} de structure : ${period.label}`,
        styles: STYLES,
        scripts: SCRIPTS,
        period,
        sirets,
        secretThreshold: SECRET_THRESHOLD,
        zipHref: `${request.url.split('?')[0]}.zip`,
        ...structureView(report, period),
      });
    });

    app.get<{ Params: Record<string, string> }>(`/rapports/territoire/${kind}/:${KINDS[kind]}`, { preHandler }, async (request, reply) => {
      const scope = territoryScope(request);
      const { period, zip } = readPeriod(kind, request.params);
      const level = territoryLevel(scope, {});
      // A year is a cohort of the outcomes repository; a month is cut by the report's own query, protected alike.
      const [programmes, territories]: [OutcomesTable<OutcomeLine>, OutcomesTable<OutcomeLine>] =
        kind === 'annuel'
          ? await Promise.all([
              outcomesByProgramme(db, scope, { cohort: period.code }),
              outcomesByTerritory(db, scope, { cohort: period.code }, level),
            ])
          : await Promise.all([monthOutcomes(db, scope, period, 'programme'), monthOutcomes(db, scope, period, level)]);
      if (zip) return sendZip(reply, territoryReportFiles({ programmes, territories }), bundleName('territoire', period));
      const base = request.url.split('?')[0];
      return reply.page('pages/reports/territory', {
        title: `Rapport ${kind} de territoire : ${period.label}`,
        styles: STYLES,
        scripts: SCRIPTS,
        period,
        secretThreshold: SECRET_THRESHOLD,
        zipHref: `${base}.zip`,
        territory:
          scope.kind === 'france' ? 'France entière' : `${scope.kind === 'regions' ? 'Régions' : 'Départements'} ${scope.codes.join(', ')}`,
        programmes: tableView(programmes, { id: 'par-dispositif', caption: 'Sorties et résultats par dispositif', csvHref: `${base}.zip` }),
        territories: tableView(territories, {
          id: 'par-territoire',
          caption: `Sorties et résultats par ${level === 'region' ? 'région' : 'département'}`,
          csvHref: `${base}.zip`,
        }),
      });
    });
  }
}
