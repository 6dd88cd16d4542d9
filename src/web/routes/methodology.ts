import type { FastifyInstance } from 'fastify';
import { ENGAGEMENT_CRITERIA, readIndicatorSettings } from '../../indicators/settings.js';
import { SECRET_THRESHOLD } from '../../outcomes/secret.js';
import { ALERT_LABELS, type ParticipantAlert } from '../../participants/labels.js';
import { requireJourney } from '../access.js';
import type { RouteDependencies } from '../app.js';

// The method page: every indicator in plain French, with the parameters the SQL reads (settings.json), so
// that what is shown and what is computed cannot drift apart.

type Criterion = (typeof ENGAGEMENT_CRITERIA)[number];

const CRITERIA: Record<Criterion, { name: string; group: 'profil' | 'qualite'; definition: string }> = {
  woman: { name: 'Femmes', group: 'profil', definition: 'Part des embauches de femmes.' },
  under_26: {
    name: 'Moins de 26 ans',
    group: 'profil',
    definition: 'Part des embauches de personnes de moins de 26 ans le jour de l’embauche.',
  },
  over_50: {
    name: '50 ans ou plus',
    group: 'profil',
    definition: 'Part des embauches de personnes de 50 ans ou plus le jour de l’embauche.',
  },
  no_prior_contract: {
    name: 'Premier contrat',
    group: 'profil',
    definition: 'Part des embauches de personnes qui n’avaient aucun contrat de travail connu avant celui-ci.',
  },
  long_unemployed: {
    name: 'Sans emploi depuis un an',
    group: 'profil',
    definition:
      'Part des embauches de personnes sans aucun contrat actif dans les 365 jours précédents (inconnu quand la DSN ne remonte pas si loin).',
  },
  after_long_stoppage: {
    name: 'Après un long arrêt',
    group: 'profil',
    definition: 'Part des embauches de personnes sorties, dans les 12 mois précédents, d’un arrêt de travail de 6 mois ou plus.',
  },
  boeth: {
    name: 'Travailleurs handicapés',
    group: 'profil',
    definition: 'Part des embauches de bénéficiaires de l’obligation d’emploi des travailleurs handicapés (BOETH, rubrique DSN 40.072).',
  },
  from_programme: {
    name: 'Sortants de dispositif',
    group: 'profil',
    definition: 'Part des embauches de personnes sorties d’un dispositif d’insertion dans les 6 mois précédents.',
  },
  cdi: {
    name: 'CDI',
    group: 'qualite',
    definition: 'Part des embauches en contrat à durée indéterminée (CDI, CDI intermittent, CDI intérimaire).',
  },
  mean_fixed_term_days: {
    name: 'Durée moyenne des contrats courts',
    group: 'qualite',
    definition:
      'Durée moyenne, en jours, des contrats qui ne sont pas des CDI (fin réelle, sinon prévue) : plus elle est longue, mieux l’établissement est classé.',
  },
  median_fixed_term_days: {
    name: 'Durée médiane des contrats courts',
    group: 'qualite',
    definition: 'Durée médiane des mêmes contrats : la moitié dure moins, la moitié dure plus.',
  },
  full_time: { name: 'Temps plein', group: 'qualite', definition: 'Part des embauches à temps plein.' },
  retained_6m: {
    name: 'Toujours là 6 mois après',
    group: 'qualite',
    definition:
      'Part des personnes embauchées qui travaillent encore dans l’établissement, sous un contrat quelconque, 6 mois après l’embauche.',
  },
  retained_12m: {
    name: 'Toujours là 12 mois après',
    group: 'qualite',
    definition: 'La même part, 12 mois après l’embauche.',
  },
};

/** The alerts in the order the counter gives them priority (iae_pass_counters.alert). */
const ALERTS: { key: ParticipantAlert; definition: string }[] = [
  { key: 'budget_exhausted', definition: 'il ne reste plus d’heures sur le budget du PASS.' },
  {
    key: 'no_hours_2_months',
    definition: 'les deux derniers mois déclarés n’ont aucune heure, et aucun arrêt de travail ni aucune suspension ne l’explique.',
  },
  { key: 'ending_soon', definition: 'la fin prévue du parcours tombe avant la fin du 3ᵉ mois qui suit le dernier mois déclaré.' },
];

/** Full-time hours in a month (35 h a week): the unit the PASS budget is explained in. */
const FULL_TIME_MONTH_HOURS = 151.67;

const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

export function methodologyView() {
  const settings = readIndicatorSettings();
  const { weights, minimumHires, minimumPeers, engagedScore } = settings.engagement;
  const totalWeight = ENGAGEMENT_CRITERIA.reduce((sum, key) => sum + weights[key], 0);
  const criteria = ENGAGEMENT_CRITERIA.map((key) => ({
    key,
    ...CRITERIA[key],
    weight: weights[key],
    weightText: number.format(weights[key]),
    share: totalWeight > 0 ? weights[key] / totalWeight : 0,
  }));
  return {
    passBudgetHours: number.format(settings.passBudgetHours),
    passBudgetMonths: number.format(Math.round((settings.passBudgetHours / FULL_TIME_MONTH_HOURS) * 10) / 10),
    fullTimeMonthHours: number.format(FULL_TIME_MONTH_HOURS),
    minimumHires,
    minimumPeers,
    engagedScore: number.format(engagedScore),
    totalWeight: number.format(totalWeight),
    profileCriteria: criteria.filter((c) => c.group === 'profil'),
    qualityCriteria: criteria.filter((c) => c.group === 'qualite'),
    secretThreshold: SECRET_THRESHOLD,
    alerts: ALERTS.map((alert) => ({ ...alert, label: ALERT_LABELS[alert.key] })),
  };
}

/** The method page (issue 4, part 6): every signed-in role. */
export async function methodologyRoutes(app: FastifyInstance, _deps: RouteDependencies): Promise<void> {
  app.get('/methodologie', { preHandler: requireJourney('methodology') }, async (_request, reply) =>
    reply.page('pages/methodology', { title: 'Méthodologie', ...methodologyView() }),
  );
}
