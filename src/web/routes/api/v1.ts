import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readApiToken } from '../../../accounts/api-tokens.js';
import { employerFiltersSchema } from '../../../employers/filters.js';
import { DEFAULT_PAGE_SIZE, employerDetail, employersCsv, listEmployers, listEmployersForCsv } from '../../../employers/repository.js';
import { isWithinScope, type OutcomeFilters, outcomeFiltersSchema, parseOutcomeFilters } from '../../../outcomes/filters.js';
import {
  type OutcomeLine,
  type OutcomesTable,
  outcomesByCohort,
  outcomesByProgramme,
  outcomesByTerritory,
  outcomesCsv,
} from '../../../outcomes/repository.js';
import type { TerritoryScope } from '../../../outcomes/territory.js';
import { participantFiltersSchema } from '../../../participants/filters.js';
import { listParticipants } from '../../../participants/repository.js';
import { type Journey, mayOpen, outcomesTerritory, participantSirets } from '../../access.js';
import type { RouteDependencies } from '../../app.js';
import { listRuns } from '../admin/imports-repository.js';
import { territoryLevel } from '../outcomes/territory.js';
import { importRunsCsv, participantsCsv } from './csv.js';
import { ApiProblem, problemSchema, sendProblem, useProblemDetails } from './problems.js';
import {
  employerDetailSchema,
  employerPageSchema,
  importRunsSchema,
  outcomesTableSchema,
  participantPageSchema,
  toEmployerDetail,
  toEmployerRow,
  toImportRun,
  toOutcomesTable,
  toParticipantPage,
} from './resources.js';

// The JSON API (issue 5): each request authenticated by a personal token, then the same access rules
// (src/web/access.ts), repositories and statistical secret as the pages. CSV when the Accept header asks for it.

export type ApiOptions = RouteDependencies & { rateLimitMax?: number; pageSize?: number };

export const API_RATE_LIMIT_PER_MINUTE = 600;
const PARTICIPANTS_PAGE_SIZE = 50;
const CSV_ROWS_MAX = 100_000;
const VIEWS = ['programmes', 'cohortes', 'territoires'] as const;

const JOURNEY_WORDS: Record<Journey, string> = {
  employers: 'des entreprises engagées',
  participants: 'des participants (rôle structure)',
  outcomes: 'des résultats des dispositifs (rôles financeur et administrateur)',
  admin: 'de l’administration (rôle administrateur)',
  methodology: 'de la méthodologie',
  exposures: 'de l’étude d’exposition',
  reports: 'des rapports',
};

const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: 'Problème (RFC 9457)', content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );
const jsonOrCsv = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: {
    'application/json': { schema },
    'text/csv': { schema: z.string().meta({ description: 'Le même CSV que l’export de la page' }) },
  },
});

const wantsCsv = (request: FastifyRequest) => /\btext\/csv\b/i.test(request.headers.accept ?? '');
const sendCsv = (reply: FastifyReply, filename: string, body: string) =>
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(body);

/** The caller may open the journey, or 403 naming what the role does not reach (never whose data exists). */
function allow(request: FastifyRequest, journey: Journey) {
  if (!mayOpen(request.user, journey)) throw new ApiProblem(403, `Votre jeton ne donne pas accès à la lecture ${JOURNEY_WORDS[journey]}.`);
  return request.user as NonNullable<FastifyRequest['user']>;
}

// One bucket per account: all of a user's tokens share it, so more tokens do not mean more requests.
const rateKey = (request: FastifyRequest) => `compte:${request.user?.id}`;

// A blank parameter means no filter, as on the pages' forms.
const dropBlanks = (query: unknown) =>
  typeof query === 'object' && query !== null
    ? Object.fromEntries(Object.entries(query).filter(([, value]) => !(typeof value === 'string' && value.trim() === '')))
    : query;

const outcomesQuerySchema = z.preprocess(
  dropBlanks,
  z.object({
    vue: z.enum(VIEWS, { error: `vue : attendu ${VIEWS.join(', ')}` }).default('programmes'),
    ...outcomeFiltersSchema.out.in.shape,
  }),
);

const siretParams = z.object({ siret: z.string().regex(/^\d{14}$/, 'siret : 14 chiffres sont attendus') });
const importsQuery = z.object({
  limite: z.coerce
    .number({ error: 'limite : un nombre entier de 1 à 200 est attendu' })
    .int('limite : un nombre entier de 1 à 200 est attendu')
    .min(1, 'limite : un nombre entier de 1 à 200 est attendu')
    .max(200, 'limite : un nombre entier de 1 à 200 est attendu')
    .default(50),
});

export async function apiV1Routes(
  app: FastifyInstance,
  { db, rateLimitMax = API_RATE_LIMIT_PER_MINUTE, pageSize = DEFAULT_PAGE_SIZE }: ApiOptions,
): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useProblemDetails(app);

  // One budget per account across every endpoint (a route's own limit would count each endpoint apart).
  const limiter = app.createRateLimit({ max: rateLimitMax, timeWindow: 60_000, keyGenerator: (request) => rateKey(request) });

  // Every request carries its token: a session cookie opens nothing here.
  app.addHook('onRequest', async (request, reply) => {
    request.user = null;
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    const user = match?.[1] ? await readApiToken(db, match[1]) : null;
    if (!user) return sendProblem(request, reply, 401);
    request.user = { id: user.id, email: user.email, role: user.role, scopes: user.scopes, csrfToken: '' };
    const limit = await limiter(request);
    if (limit.isAllowed) return;
    reply
      .header('x-ratelimit-limit', limit.max)
      .header('x-ratelimit-remaining', limit.remaining)
      .header('x-ratelimit-reset', limit.ttlInSeconds);
    if (limit.isExceeded) {
      reply.header('retry-after', limit.ttlInSeconds);
      return sendProblem(
        request,
        reply,
        429,
        `Trop de requêtes pour ce jeton (${limit.max} par minute au plus) : réessayez dans ${Math.max(1, limit.ttlInSeconds)} s.`,
      );
    }
  });
  // Figures restricted to the token's scope, named persons for a structure: never kept by a shared cache.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store');
    reply.header('vary', 'Accept, Authorization');
  });

  const common = { bodyLimit: 1024 };
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/employeurs',
    {
      ...common,
      schema: {
        summary: 'Entreprises engagées',
        description:
          'Les établissements qui recrutent, avec leur score d’engagement, filtrés et triés comme sur la page /employeurs (50 par page). En CSV avec Accept: text/csv (toute la liste filtrée).',
        tags: ['Entreprises engagées'],
        querystring: employerFiltersSchema,
        response: { 200: jsonOrCsv(employerPageSchema, 'Une page de la liste'), ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      allow(request, 'employers');
      const filters = request.query;
      if (wantsCsv(request)) {
        const rows = await app.indicators.get(['employers-csv', filters], () => listEmployersForCsv(db, filters));
        return sendCsv(reply, 'entreprises-engagees.csv', employersCsv(rows, filters.critere));
      }
      const list = await app.indicators.get(['api-employers', filters, pageSize], () => listEmployers(db, filters, { pageSize }));
      return { donnees: list.rows.map(toEmployerRow), page: list.page, pages: list.pages, total: list.total };
    },
  );

  api.get(
    '/employeurs/:siret',
    {
      ...common,
      schema: {
        summary: 'Un établissement',
        description:
          'Le score d’un établissement critère par critère face à ses pairs, son évolution, le profil de ses embauches, ses contrats et le maintien à 6 et 12 mois. Aucune donnée individuelle ; tout effectif de 1 à 4 personnes est null (secret: true).',
        tags: ['Entreprises engagées'],
        params: siretParams,
        response: { 200: employerDetailSchema, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      allow(request, 'employers');
      const { siret } = request.params;
      const detail = await app.indicators.get(['employer', siret], () => employerDetail(db, siret));
      if (detail === null) throw new ApiProblem(404, `Aucune DSN reçue ne déclare l’établissement de SIRET ${siret}.`);
      return toEmployerDetail(detail);
    },
  );

  api.get(
    '/resultats',
    {
      ...common,
      schema: {
        summary: 'Résultats des dispositifs',
        description:
          'Emploi et emploi durable 6 et 12 mois après la sortie, par dispositif, par trimestre de sortie ou par territoire (vue), dans le territoire du compte. Un effectif de moins de 5 personnes, ou ce qui le trahirait, vaut { valeur: null, secret: true }. Un filtre hors du territoire du compte : 403. En CSV avec Accept: text/csv.',
        tags: ['Résultats'],
        querystring: outcomesQuerySchema,
        response: { 200: jsonOrCsv(outcomesTableSchema, 'Le tableau demandé et sa ligne de total'), ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const user = allow(request, 'outcomes');
      const scope = outcomesTerritory(user);
      if (!scope) throw new ApiProblem(403);
      const { vue, ...raw } = request.query;
      const parsed = parseOutcomeFilters(raw);
      if (!parsed.ok)
        throw new ApiProblem(
          400,
          'Filtre invalide.',
          parsed.errors.map((e) => ({ nom: e.field, message: e.message })),
        );
      const filters: OutcomeFilters = parsed.filters;
      // Names the filter, never the territory's figures nor whether it has any.
      if (!isWithinScope(scope, filters)) {
        throw new ApiProblem(403, 'Le territoire demandé n’est pas dans celui de votre compte : aucun chiffre ne peut être donné.');
      }
      const level = vue === 'territoires' ? territoryLevel(scope, filters) : undefined;
      const table = await app.indicators.get(['outcomes-csv', scope, filters, vue], () => outcomesTable(scope, filters, vue));
      if (wantsCsv(request)) return sendCsv(reply, `resultats-${vue}.csv`, outcomesCsv(table));
      return toOutcomesTable(vue, table, level);
    },
  );

  function outcomesTable(
    scope: TerritoryScope,
    filters: OutcomeFilters,
    view: (typeof VIEWS)[number],
  ): Promise<OutcomesTable<OutcomeLine>> {
    if (view === 'programmes') return outcomesByProgramme(db, scope, filters);
    if (view === 'cohortes') return outcomesByCohort(db, scope, filters);
    return outcomesByTerritory(db, scope, filters, territoryLevel(scope, filters));
  }

  api.get(
    '/participants',
    {
      ...common,
      schema: {
        summary: 'Compteurs PASS IAE',
        description:
          'Les titulaires d’un PASS IAE des SIRET du compte structure : heures faites et restantes, fin prévue, mois sans heures, alertes ; filtres alerte, tri et page comme sur la page /participants (50 par page). En CSV avec Accept: text/csv (toute la liste filtrée).',
        tags: ['Participants'],
        querystring: participantFiltersSchema,
        response: {
          200: jsonOrCsv(participantPageSchema, 'Une page de la liste et les effectifs par alerte'),
          ...problems(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const sirets = participantSirets(allow(request, 'participants'));
      const filters = request.query;
      if (wantsCsv(request)) {
        const all = await listParticipants(db, sirets, { ...filters, page: 1 }, { pageSize: CSV_ROWS_MAX });
        return sendCsv(reply, 'participants.csv', participantsCsv(all.rows));
      }
      const list = await app.indicators.get(['api-participants', sirets, filters], () =>
        listParticipants(db, sirets, filters, { pageSize: PARTICIPANTS_PAGE_SIZE }),
      );
      return toParticipantPage(list);
    },
  );

  api.get(
    '/imports',
    {
      ...common,
      schema: {
        summary: 'Chargements',
        description:
          'Les derniers chargements (DSN, registres, zones), du plus récent au plus ancien, avec leurs comptes. Administrateurs seulement.',
        tags: ['Administration'],
        querystring: importsQuery,
        response: { 200: jsonOrCsv(importRunsSchema, 'Les chargements'), ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      allow(request, 'admin');
      const runs = await listRuns(db, request.query.limite);
      if (wantsCsv(request)) return sendCsv(reply, 'chargements.csv', importRunsCsv(runs));
      return { donnees: runs.map(toImportRun), total: runs.length };
    },
  );
}
