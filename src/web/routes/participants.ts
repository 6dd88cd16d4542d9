import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../accounts/roles.js';
import {
  type ParticipantFilters,
  participantFiltersSchema,
  participantsQuery,
  SORT_KEYS,
  type SortParameter,
} from '../../participants/filters.js';
import { ALERT_LABELS, PARTICIPANT_ALERTS, type ParticipantAlert } from '../../participants/labels.js';
import {
  type AlertCounts,
  listParticipants,
  participantDetail,
  recordParticipantView,
  type TimelineEntry,
} from '../../participants/repository.js';
import { AccessDenied, participantSirets, requireJourney } from '../access.js';
import type { RouteDependencies } from '../app.js';
import { formatters } from '../format.js';

// The SIAE manager's journey: its PASS IAE holders, then one person's counter, months and timeline.

const PAGE_SIZE = 25;

class InvalidListQuery extends Error {
  statusCode = 400;
}

// The same answer for an unknown PASS and for another structure's: its existence is never revealed.
class ParticipantNotFound extends Error {
  statusCode = 404;
  constructor() {
    super('Aucun PASS IAE de vos structures ne porte ce numéro. Revenez à la liste des participants pour choisir une personne.');
  }
}

/** What the manager most needs first when opening a column: the most hours, the fewest left, the soonest end... */
const SORT_COLUMNS: { parameter: SortParameter; label: string; firstDirection: 'asc' | 'desc' }[] = [
  { parameter: 'nom', label: 'Nom', firstDirection: 'asc' },
  { parameter: 'pass', label: 'N° de PASS', firstDirection: 'asc' },
  { parameter: 'heures', label: 'Heures travaillées', firstDirection: 'desc' },
  { parameter: 'restant', label: 'Heures restantes', firstDirection: 'asc' },
  { parameter: 'fin', label: 'Fin prévue', firstDirection: 'asc' },
  { parameter: 'sans_heures', label: 'Mois sans heures', firstDirection: 'desc' },
];

const DIRECTION_WORDS = { asc: 'croissant', desc: 'décroissant' } as const;

function sortHeaders(filters: ParticipantFilters, severalStructures: boolean) {
  return SORT_COLUMNS.map(({ parameter, label, firstDirection }) => {
    const sorted = SORT_KEYS[parameter] === filters.sort;
    const next = sorted ? (filters.direction === 'asc' ? 'desc' : 'asc') : firstDirection;
    return {
      // With several structures, the PASS cell also says whose it is.
      label: parameter === 'pass' && severalStructures ? 'N° de PASS et structure' : label,
      ariaSort: sorted ? (filters.direction === 'asc' ? 'ascending' : 'descending') : null,
      href: `/participants?${participantsQuery(filters, { sort: SORT_KEYS[parameter], direction: next, page: 1 })}`,
      action: `trier par ordre ${DIRECTION_WORDS[next]}`,
    };
  });
}

/** First, last, and the pages around the current one; null marks a gap. */
export function pagination(filters: ParticipantFilters, page: number, pages: number) {
  const href = (target: number) => `/participants?${participantsQuery(filters, { page: target })}`;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  const links: ({ page: number; href: string; current: boolean } | null)[] = [];
  for (const [i, p] of shown.entries()) {
    if (i > 0 && p - (shown[i - 1] ?? p) > 1) links.push(null);
    links.push({ page: p, href: href(p), current: p === page });
  }
  return {
    page,
    pages,
    links,
    first: page > 1 ? href(1) : null,
    previous: page > 1 ? href(page - 1) : null,
    next: page < pages ? href(page + 1) : null,
    last: page < pages ? href(pages) : null,
  };
}

const alertFilterValue = (alert: ParticipantFilters['alert']) => (alert === null ? '' : alert === 'any' ? 'toutes' : alert);

function alertOptions(counts: AlertCounts, filters: ParticipantFilters) {
  const options: { alert: ParticipantFilters['alert']; label: string; count: number }[] = [
    { alert: null, label: 'Toutes les personnes', count: counts.all },
    { alert: 'any', label: 'Avec une alerte', count: counts.any },
    ...PARTICIPANT_ALERTS.map((alert) => ({ alert, label: ALERT_LABELS[alert], count: counts[alert] })),
  ];
  return options.map(({ alert, label, count }) => ({
    value: alertFilterValue(alert),
    label,
    count,
    selected: alert === filters.alert,
    href: `/participants?${participantsQuery(filters, { alert, page: 1 })}`,
  }));
}

/** Badge colour per alert: no hours or no hours left call for action now, an end within 3 months for planning. */
const ALERT_BADGES: Record<ParticipantAlert, 'error' | 'warning'> = {
  no_hours_2_months: 'error',
  budget_exhausted: 'error',
  ending_soon: 'warning',
};

/** Monthly hours for the chart and its table: the PASS's structure, other SIAE stacked on it. */
function hoursChart(months: { month: string; hoursHere: number; hoursOtherSiae: number }[]) {
  return {
    type: 'bar',
    labels: months.map((m) => formatters.month(m.month)),
    datasets: [
      { label: 'Dans la structure du PASS', data: months.map((m) => m.hoursHere) },
      { label: 'Dans d’autres SIAE', data: months.map((m) => m.hoursOtherSiae) },
    ],
    stacked: true,
    yTitle: 'Heures travaillées',
  };
}

const KIND_LABELS: Record<TimelineEntry['kind'], string> = { contract: 'Contrat', stoppage: 'Arrêt de travail', suspension: 'Suspension' };

/** "29 jours", "au moins 120 jours (environ 4 mois)" when the end is only the last month known. */
function durationLabel(days: number, endKnown: boolean) {
  const span = `${formatters.int(days)} jour${days > 1 ? 's' : ''}${days >= 61 ? ` (environ ${formatters.int(Math.round(days / 30.44))} mois)` : ''}`;
  return endKnown ? span : `au moins ${span}`;
}

// requireJourney has already turned away anyone else: this only narrows the type.
function signedInUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AccessDenied();
  return request.user;
}

export async function participantRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  const preHandler = requireJourney('participants');
  // Named persons: never kept by a browser or proxy cache (this plugin's routes only).
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/participants', { preHandler }, async (request, reply) => {
    const parsed = participantFiltersSchema.safeParse(request.query);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `paramètre « ${issue.path.join('.')} » : ${issue.message}`);
      throw new InvalidListQuery(`Adresse de la liste invalide (${problems.join(' ; ')}). Corrigez ce paramètre ou rouvrez la liste.`);
    }
    const filters = parsed.data;
    const sirets = participantSirets(signedInUser(request));
    // Counters change only with a refresh: the page is kept until then, per set of SIRETs and filters.
    return reply.cachedPage([sirets, filters], 'pages/participants/list', async () => {
      const list = await listParticipants(db, sirets, filters, { pageSize: PAGE_SIZE });
      return {
        title: 'Participants',
        sirets,
        list,
        filters,
        sortValue: new URLSearchParams(participantsQuery(filters)).get('tri'),
        alertOptions: alertOptions(list.alertCounts, filters),
        alertBadges: ALERT_BADGES,
        headers: sortHeaders(filters, sirets.length > 1),
        pagination: pagination(filters, list.page, list.pages),
      };
    });
  });

  app.get<{ Params: { pass: string } }>('/participants/:pass', { preHandler }, async (request, reply) => {
    const { pass } = request.params;
    const user = signedInUser(request);
    const sirets = participantSirets(user);
    const detail = pass.length <= 64 ? await participantDetail(db, sirets, pass) : null;
    if (!detail) throw new ParticipantNotFound();
    // Written before anything is shown: no view of a named person without its trace.
    await recordParticipantView(db, { userId: user.id, passNumber: detail.participant.passNumber });
    const monthsWithoutHours = detail.months.filter((month) => month.status !== 'worked');
    return reply.page('pages/participants/detail', {
      title: `PASS IAE ${detail.participant.passNumber}`,
      charts: true,
      sirets,
      ...detail,
      timeline: detail.timeline.map((entry) => ({
        ...entry,
        kindLabel: KIND_LABELS[entry.kind],
        duration: durationLabel(entry.days, entry.endKnown),
      })),
      monthsWithoutHours,
      unexplained: monthsWithoutHours.filter((month) => month.status === 'unexplained').length,
      chart: hoursChart(detail.months),
      alertBadges: ALERT_BADGES,
    });
  });
}
