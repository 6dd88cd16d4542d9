import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isWithinScope, type OutcomeFilters, outcomesQuery, parseOutcomeFilters } from '../../outcomes/filters.js';
import {
  type OutcomeLine,
  type OutcomesTable,
  outcomesByCohort,
  outcomesByProgramme,
  outcomesByTerritory,
  outcomesCsv,
} from '../../outcomes/repository.js';
import { SECRET_THRESHOLD } from '../../outcomes/secret.js';
import { regionOfDepartement, type TerritoryScope } from '../../outcomes/territory.js';
import { AccessDenied, outcomesTerritory, requireJourney } from '../access.js';
import type { RouteDependencies } from '../app.js';
import { type FieldValues, type FilterOptions, fieldId, fieldValues, filterFields, loadFilterOptions, rawValues } from './outcomes/form.js';
import { cohortChart, programmeChart, tableView } from './outcomes/tables.js';
import { drillDownLabels, drillUpLinks, territoryHeading, territoryLevel } from './outcomes/territory.js';

// The funder's journey (issue 4, part 4): outcomes 6 and 12 months after exit, within the user's territory, as a
// page and as the CSV of each of its tables. Aggregates only, the statistical secret applied by the repository.

const VIEWS = ['programmes', 'cohortes', 'territoires'] as const;
type View = (typeof VIEWS)[number];

class InvalidOutcomesQuery extends Error {
  statusCode = 400;
}

// Names the filter without echoing its code: the answer tells nothing about a territory the user may not see.
class OutsideTerritory extends Error {
  statusCode = 403;
  constructor(filters: OutcomeFilters, scope: TerritoryScope) {
    const departement = filters.departement !== undefined && !isWithinScope(scope, { departement: filters.departement });
    super(
      `${departement ? 'Le département demandé' : 'La région demandée'} n’est pas dans le territoire de votre compte : aucun chiffre ne peut être montré. Retirez ce filtre, ou choisissez dans la liste proposée sur la page des résultats.`,
    );
  }
}

function userScope(request: FastifyRequest): TerritoryScope {
  const scope = request.user ? outcomesTerritory(request.user) : null;
  if (!scope) throw new AccessDenied();
  return scope;
}

/** Valid filters within the scope, or the error to answer. */
function readFilters(query: unknown, scope: TerritoryScope): OutcomeFilters {
  const parsed = parseOutcomeFilters(query);
  if (!parsed.ok) throw new InvalidOutcomesQuery(`Filtre invalide : ${parsed.errors.map((e) => e.message).join(' ; ')}.`);
  if (!isWithinScope(scope, parsed.filters)) throw new OutsideTerritory(parsed.filters, scope);
  return parsed.filters;
}

const csvHref = (view: View, filters: OutcomeFilters) => {
  const query = outcomesQuery(filters);
  return `/resultats.csv?vue=${view}${query ? `&${query}` : ''}`;
};

async function tableOf(
  db: Kysely<Database>,
  scope: TerritoryScope,
  filters: OutcomeFilters,
  view: View,
): Promise<OutcomesTable<OutcomeLine>> {
  if (view === 'programmes') return outcomesByProgramme(db, scope, filters);
  if (view === 'cohortes') return outcomesByCohort(db, scope, filters);
  return outcomesByTerritory(db, scope, filters, territoryLevel(scope, filters));
}

/** "France entière", or the régions or départements of the funder's account. */
function scopeLabel(scope: TerritoryScope, options: { regions: { label: string }[]; departements: { label: string }[] }) {
  if (scope.kind === 'france') return 'France entière';
  const names = (scope.kind === 'regions' ? options.regions : options.departements).map((o) => o.label);
  if (names.length === 0) return null;
  return `${scope.kind === 'regions' ? (names.length > 1 ? 'régions' : 'région') : names.length > 1 ? 'départements' : 'département'} ${names.join(', ')}`;
}

/** A département outside the région also chosen: nothing can match, say so rather than show empty tables. */
const territoryMismatch = (filters: OutcomeFilters) =>
  filters.region !== undefined && filters.departement !== undefined && regionOfDepartement(filters.departement) !== filters.region;

export async function outcomeRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  const preHandler = requireJourney('outcomes');
  // Indicator reads are kept in memory until the next refresh (app.indicators), keyed by scope and filters.
  const filterOptions = (scope: TerritoryScope) => app.indicators.get(['outcome-options', scope], () => loadFilterOptions(db, scope));

  /** The page's data, its filter form always; `fieldErrors` by query-string name, for the DSFR error state. */
  function pageData(
    scope: TerritoryScope,
    options: FilterOptions,
    form: { values: FieldValues; fieldErrors?: Record<string, string> },
    body: Record<string, unknown>,
  ) {
    return {
      title: 'Résultats des dispositifs',
      scopeLabel: scopeLabel(scope, options),
      fields: filterFields(options, form.values, form.fieldErrors),
      secretThreshold: SECRET_THRESHOLD,
      ...body,
    };
  }

  app.get('/resultats', { preHandler }, async (request, reply) => {
    const scope = userScope(request);
    const parsed = parseOutcomeFilters(request.query);
    if (!parsed.ok) {
      const fieldErrors = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
      reply.status(400);
      return reply.page(
        'pages/outcomes/index',
        pageData(
          scope,
          await filterOptions(scope),
          { values: rawValues(request.query), fieldErrors },
          {
            title: 'Filtre invalide – Résultats des dispositifs',
            errors: parsed.errors.map((e) => ({ href: `#${fieldId(e.field)}`, message: e.message })),
          },
        ),
      );
    }
    const filters = parsed.filters;
    if (!isWithinScope(scope, filters)) throw new OutsideTerritory(filters, scope);
    const level = territoryLevel(scope, filters);
    // The whole page is kept per scope and filters until the next refresh.
    return reply.cachedPage([scope, filters], 'pages/outcomes/index', async () => {
      const [options, programmes, cohorts, territories] = await Promise.all([
        filterOptions(scope),
        outcomesByProgramme(db, scope, filters),
        outcomesByCohort(db, scope, filters),
        outcomesByTerritory(db, scope, filters, level),
      ]);
      const heading = territoryHeading(level, filters, options);
      return pageData(
        scope,
        options,
        { values: fieldValues(filters) },
        {
          charts: true,
          empty: programmes.total.exits.value === 0,
          mismatch: territoryMismatch(filters),
          programmes: {
            table: tableView(programmes, {
              id: 'tableau-dispositifs',
              caption: 'Sorties et situation 6 et 12 mois après, par dispositif',
              csvHref: csvHref('programmes', filters),
            }),
            chart: programmeChart(programmes),
          },
          cohorts: {
            table: tableView(cohorts, {
              id: 'tableau-cohortes',
              caption: 'Sorties et situation 6 et 12 mois après, par trimestre de sortie',
              csvHref: csvHref('cohortes', filters),
            }),
            chart: cohortChart(cohorts, filters.programme !== undefined),
          },
          territories: {
            title: heading.title,
            level,
            up: drillUpLinks(scope, filters, options.regions),
            table: tableView(territories, {
              id: 'tableau-territoires',
              caption: `Sorties et situation 6 et 12 mois après, ${heading.title.charAt(0).toLowerCase()}${heading.title.slice(1)}`,
              csvHref: csvHref('territoires', filters),
              labelsOf: drillDownLabels(filters, level),
            }),
          },
        },
      );
    });
  });

  app.get('/resultats.csv', { preHandler }, async (request, reply) => {
    const scope = userScope(request);
    const view = (request.query as Record<string, unknown>).vue;
    if (typeof view !== 'string' || !(VIEWS as readonly string[]).includes(view)) {
      throw new InvalidOutcomesQuery(
        `Paramètre « vue » invalide : attendu ${VIEWS.join(', ')}. Utilisez les liens « Exporter en CSV » de la page des résultats.`,
      );
    }
    const filters = readFilters(request.query, scope);
    const table = await app.indicators.get(['outcomes-csv', scope, filters, view], () => tableOf(db, scope, filters, view as View));
    const suffix = Object.values(fieldValues(filters)).filter((value) => value !== undefined);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="resultats-${[view, ...suffix].join('-')}.csv"`)
      .send(outcomesCsv(table));
  });
}
