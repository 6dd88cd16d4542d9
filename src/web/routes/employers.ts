import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SECRET_MINIMUM } from '../../employers/criteria-columns.js';
import { parseEmployerFilters } from '../../employers/filters.js';
import { DEFAULT_PAGE_SIZE, employerDetail, employersCsv, listEmployers, listEmployersForCsv } from '../../employers/repository.js';
import { readIndicatorSettings } from '../../indicators/settings.js';
import { requireJourney } from '../access.js';
import type { RouteDependencies } from '../app.js';
import { detailView } from './employers/detail-view.js';
import { employersQuery, filterForm, formErrors, formValues, loadFormLists, pagination, tableRows } from './employers/list-view.js';

// The counsellor's journey (issue 4): engaged employers by territory and sector, the CSV of the same list,
// and one establishment's score broken down. Establishments and aggregates only: no person is ever shown.

class InvalidFilters extends Error {
  statusCode = 400;
}

class EmployerNotFound extends Error {
  statusCode = 404;
  constructor(siret: string) {
    super(
      /^\d{14}$/.test(siret)
        ? `Aucune DSN reçue ne déclare l’établissement de SIRET ${siret}. Revenez à la liste des entreprises pour en choisir un.`
        : `« ${siret.slice(0, 40)} » n’est pas un SIRET : 14 chiffres sont attendus. Revenez à la liste des entreprises pour en choisir un.`,
    );
  }
}

/** The list's own path, prefix included, so that every link it writes stays within the same routes. */
const listPath = (request: FastifyRequest) => request.routeOptions.url ?? '/employeurs';

/** `pageSize`: rows per page of the list (50 unless said otherwise). */
export async function employerRoutes(
  app: FastifyInstance,
  { db, pageSize = DEFAULT_PAGE_SIZE }: RouteDependencies & { pageSize?: number },
): Promise<void> {
  const preHandler = requireJourney('employers');
  const { engagedScore, minimumHires } = readIndicatorSettings().engagement;

  app.get('/employeurs', { preHandler }, async (request, reply) => {
    const basePath = listPath(request);
    const values = formValues(request.query);
    const parsed = parseEmployerFilters(request.query);
    // Indicator reads are kept in memory until the next refresh (app.indicators).
    const form = filterForm(await app.indicators.get(['employer-form-lists'], () => loadFormLists(db)), values);
    const common = { title: 'Entreprises engagées', basePath, form, engagedScore, minimumHires, secretMinimum: SECRET_MINIMUM };
    if (!parsed.ok) {
      const errors = formErrors(parsed.errors);
      return reply.status(400).page('pages/employers/list', { ...common, title: 'Erreur – Entreprises engagées', errors });
    }
    const { filters } = parsed;
    // The whole page is kept per filters (as typed) until the next refresh.
    return reply.cachedPage([values, filters, pageSize, basePath], 'pages/employers/list', async () => {
      const list = await listEmployers(db, filters, { pageSize });
      const csvQuery = employersQuery(filters, { page: 1 });
      return {
        ...common,
        errors: formErrors([]),
        list,
        rows: tableRows(list.rows, basePath),
        criterion: filters.critere ?? null,
        pagination: pagination(filters, list, basePath),
        csvHref: `${basePath}.csv${csvQuery === '' ? '' : `?${csvQuery}`}`,
      };
    });
  });

  app.get('/employeurs.csv', { preHandler }, async (request, reply) => {
    const parsed = parseEmployerFilters(request.query);
    if (!parsed.ok) {
      throw new InvalidFilters(
        `Filtres invalides : ${parsed.errors.map((error) => error.message).join(' ; ')}. Corrigez-les dans le formulaire de la liste.`,
      );
    }
    const rows = await app.indicators.get(['employers-csv', parsed.filters], () => listEmployersForCsv(db, parsed.filters));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="entreprises-engagees.csv"')
      .send(employersCsv(rows, parsed.filters.critere));
  });

  app.get<{ Params: { siret: string } }>('/employeurs/:siret', { preHandler }, async (request, reply) => {
    const { siret } = request.params;
    const detail = /^\d{14}$/.test(siret) ? await app.indicators.get(['employer', siret], () => employerDetail(db, siret)) : null;
    if (detail === null) throw new EmployerNotFound(siret);
    const list = listPath(request).replace(/\/:siret$/, '');
    return reply.cachedPage([list], 'pages/employers/detail', async () => ({
      title: `Établissement ${siret}`,
      charts: true,
      listPath: list,
      ...detailView(detail),
    }));
  });
}
