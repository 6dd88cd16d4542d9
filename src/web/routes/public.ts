import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { type OutcomesTable, outcomesByProgramme, outcomesByTerritory, outcomesCsv } from '../../outcomes/repository.js';
import { SECRET_THRESHOLD } from '../../outcomes/secret.js';
import { employerCountsCsv } from '../../public/csv.js';
import { type EmployerCounts, engagedEmployersByRegion, engagedEmployersBySection, outcomesByExitYear } from '../../public/repository.js';
import type { RouteDependencies } from '../app.js';
import { programmeChart, tableView } from './outcomes/tables.js';

// The public dashboard (issue 5, part 2), no sign-in: national outcomes with the funders' statistical secret, and
// engaged employers by région and sector; a compact copy for other sites' iframes; each table as CSV.

export const EMBED_PATH = '/public/integrer';
const VIEWS = ['programmes', 'regions', 'annees', 'employeurs-regions', 'employeurs-secteurs'] as const;
type PublicView = (typeof VIEWS)[number];
const csvHref = (view: PublicView) => `/public.csv?vue=${view}`;

const csvQuery = z.object({
  vue: z.enum(VIEWS, { error: `paramètre « vue » invalide : attendu ${VIEWS.join(', ')}` }),
});

class InvalidPublicQuery extends Error {
  statusCode = 400;
}

type Tables = Awaited<ReturnType<typeof loadTables>>;

async function loadTables(db: Kysely<Database>) {
  const france = { kind: 'france' } as const;
  const [programmes, regions, years, employerRegions, employerSections] = await Promise.all([
    outcomesByProgramme(db, france, {}),
    outcomesByTerritory(db, france, {}, 'region'),
    outcomesByExitYear(db),
    engagedEmployersByRegion(db),
    engagedEmployersBySection(db),
  ]);
  return { programmes, regions, years, employerRegions, employerSections };
}

function csvOf(tables: Tables, view: PublicView): string {
  if (view === 'programmes') return outcomesCsv(tables.programmes);
  if (view === 'regions') return outcomesCsv(tables.regions);
  if (view === 'annees') return outcomesCsv(tables.years);
  return employerCountsCsv(view === 'employeurs-regions' ? tables.employerRegions : tables.employerSections);
}

/** Long sector names do not fit under a bar: cut, the table beside the chart gives them whole. */
const barLabel = (label: string) => (label.length > 28 ? `${label.slice(0, 27)}…` : label);

function employersChart(counts: EmployerCounts) {
  return {
    type: 'bar',
    labels: counts.lines.map((line) => barLabel(line.label)),
    datasets: [
      { label: 'Entreprises engagées', data: counts.lines.map((line) => line.engaged) },
      { label: 'Établissements notés', data: counts.lines.map((line) => line.scored) },
    ],
    yTitle: 'Établissements',
  };
}

const RATES_CHART = 'les taux d’emploi et d’emploi durable 6 et 12 mois après la sortie';

/** What both pages show: the tables, their charts and CSV links. */
function figures(tables: Tables) {
  const outcome = (view: 'programmes' | 'regions' | 'annees', title: string, what: string) => {
    const table: OutcomesTable = { programmes: tables.programmes, regions: tables.regions, annees: tables.years }[view];
    return {
      id: view,
      title,
      chart: programmeChart(table),
      chartLabel: `Histogramme : ${RATES_CHART}, ${what} puis pour l’ensemble ; les mêmes chiffres sont dans le tableau qui suit.`,
      table: tableView(table, {
        id: `tableau-${view}`,
        caption: `Sorties et situation 6 et 12 mois après, ${what}`,
        csvHref: csvHref(view),
      }),
      what: `tableau ${what}`,
    };
  };
  const employers = (view: 'employeurs-regions' | 'employeurs-secteurs', counts: EmployerCounts, title: string, what: string) => ({
    id: view,
    title,
    counts,
    chart: employersChart(counts),
    chartLabel: `Histogramme : entreprises engagées et établissements notés, ${what} ; les mêmes chiffres sont dans le tableau qui suit.`,
    caption: `Entreprises engagées et établissements notés, ${what}`,
    csvHref: csvHref(view),
    what: `tableau des entreprises engagées ${what}`,
  });
  return {
    charts: true,
    secretThreshold: SECRET_THRESHOLD,
    empty: tables.programmes.total.exits.value === 0,
    outcomes: [
      outcome('programmes', 'Par dispositif', 'par dispositif'),
      outcome('regions', 'Par région', 'par région'),
      outcome('annees', 'Par année de sortie', 'par année de sortie'),
    ],
    employers: [
      employers('employeurs-regions', tables.employerRegions, 'Par région', 'par région'),
      employers('employeurs-secteurs', tables.employerSections, 'Par secteur d’activité', 'par secteur d’activité'),
    ],
    downloads: [
      { href: csvHref('programmes'), label: 'Sorties et situation après la sortie, par dispositif' },
      { href: csvHref('regions'), label: 'Sorties et situation après la sortie, par région' },
      { href: csvHref('annees'), label: 'Sorties et situation après la sortie, par année de sortie' },
      { href: csvHref('employeurs-regions'), label: 'Entreprises engagées, par région' },
      { href: csvHref('employeurs-secteurs'), label: 'Entreprises engagées, par secteur d’activité' },
    ],
  };
}

export async function publicRoutes(app: FastifyInstance, { db, config }: RouteDependencies): Promise<void> {
  // Read once per refresh of the indicators, whatever page or file asks first.
  const tables = () => app.indicators.get(['public-tables'], () => loadTables(db));
  // The configured address, never the request's Host header: a forged one must not reach a snippet others paste.
  const origin = config.publicUrl;

  app.get('/public', async (_request, reply) =>
    reply.cachedPage([], 'pages/public/index', async () => ({
      title: 'Chiffres publics de l’insertion',
      ...figures(await tables()),
      snippet: [
        `<iframe src="${origin}${EMBED_PATH}"`,
        '        title="Chiffres publics de l’insertion – Sillage"',
        '        width="100%" height="900" loading="lazy"></iframe>',
      ].join('\n'),
    })),
  );

  app.get(EMBED_PATH, async (_request, reply) =>
    reply.cachedPage([], 'pages/public/embed', async () => ({
      title: 'Chiffres publics de l’insertion',
      compact: true,
      ...figures(await tables()),
    })),
  );

  app.get('/public.csv', async (request, reply) => {
    const parsed = csvQuery.safeParse(request.query);
    if (!parsed.success) {
      throw new InvalidPublicQuery(
        `Paramètre « vue » invalide : attendu ${VIEWS.join(', ')}. Utilisez les liens « Exporter en CSV » de la page /public.`,
      );
    }
    const view = parsed.data.vue;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="sillage-public-${view}.csv"`)
      .send(csvOf(await tables(), view));
  });
}
