// French labels of the codes a SIAE manager reads about a participant. Written from the norm's code lists
// (NEODeS P24V01), shortened for a table cell; public-service-only codes ([FP]) are left out: they get the
// fallback label with their code.

export const PARTICIPANT_ALERTS = ['no_hours_2_months', 'ending_soon', 'budget_exhausted'] as const;
export type ParticipantAlert = (typeof PARTICIPANT_ALERTS)[number];

export const ALERT_LABELS: Record<ParticipantAlert, string> = {
  no_hours_2_months: 'Aucune heure depuis 2 mois',
  ending_soon: 'Fin de parcours dans moins de 3 mois',
  budget_exhausted: "Budget d'heures épuisé",
};

/** Arrêt de travail, S21.G00.60.001. */
export const STOPPAGE_REASON_LABELS: Readonly<Record<string, string>> = {
  '01': 'Arrêt maladie',
  '02': 'Congé maternité',
  '03': "Congé paternité et d'accueil de l'enfant",
  '04': 'Accident de trajet',
  '05': 'Maladie professionnelle',
  '06': 'Accident du travail',
  '07': 'Femme enceinte dispensée de travail',
  '09': "Congé d'adoption",
  '15': 'Temps partiel thérapeutique (maladie)',
  '16': 'Temps partiel thérapeutique (accident du travail)',
  '17': 'Temps partiel thérapeutique (accident de trajet)',
  '18': 'Temps partiel thérapeutique (maladie professionnelle)',
  '19': "Congé de deuil d'enfant",
};

/** Autre suspension de l'exécution du contrat, S21.G00.65.001. */
export const SUSPENSION_REASON_LABELS: Readonly<Record<string, string>> = {
  '112': 'Invalidité catégorie 1',
  '114': 'Invalidité catégorie 2',
  '116': 'Invalidité catégorie 3',
  '200': 'Congés payés',
  '301': 'Congé de formation professionnelle',
  '501': 'Congé non rémunéré',
  '507': 'Chômage intempéries',
  '601': 'Mobilité',
  '602': 'Chômage sans rupture du contrat (activité partielle)',
  '603': 'Détention provisoire',
  '605': 'Congé statutaire',
  '607': 'Congé de présence parentale',
  '609': 'Congé individuel de formation',
  '610': 'Projet de transition professionnelle',
  '611': 'Congé de bilan de compétences',
  '612': 'Congé de candidat ou élu',
  '615': "Congé de formation de cadres et d'animateurs pour la jeunesse",
  '617': 'Congé de formation des moins de 25 ans',
  '618': 'Congé de formation économique, sociale et syndicale',
  '620': 'Congé de mobilité',
  '621': "Congé de participation aux instances d'emploi ou de formation",
  '625': 'Congé de reclassement',
  '626': 'Congé de représentation',
  '627': 'Congé de solidarité familiale',
  '628': 'Congé de solidarité internationale',
  '630': "Congé d'enseignement ou de recherche",
  '631': 'Congé mutualiste de formation',
  '632': "Congé parental d'éducation",
  '633': 'Congé pour acquisition de la nationalité',
  '634': 'Congé pour catastrophe naturelle',
  '635': "Congé pour création ou reprise d'entreprise",
  '636': 'Congé pour enfant malade',
  '637': 'Congé pour évènement familial',
  '638': "Congé pour validation des acquis de l'expérience",
  '639': 'Congé sabbatique',
  '642': 'Aide au passage à temps partiel (FNE)',
  '643': "Congé de conversion avec prise en charge par l'État",
  '644': "Congé de conversion sans prise en charge par l'État",
  '645': 'Préretraite progressive',
  '646': "Préretraite d'entreprise sans rupture du contrat",
  '647': "Réduction du temps d'emploi",
  '648': 'Allocation spéciale du FNE',
  '650': 'Congé de proche aidant',
  '651': 'Congé pour mandat parlementaire',
  '652': 'Inaptitude temporaire liée à la grossesse',
  '677': 'Disponibilité pour élever un enfant de moins de 12 ans',
  '680': 'Congé sans solde cotisé',
  '686': 'Contrat suspendu pour expatriation',
};

/** Nature du contrat, S21.G00.40.007. */
export const CONTRACT_NATURE_LABELS: Readonly<Record<string, string>> = {
  '01': 'CDI',
  '02': 'CDD',
  '03': 'Contrat de mission (intérim)',
  '07': 'CDI intermittent',
  '08': 'CDI intérimaire',
  '09': 'CDI de droit public',
  '10': 'CDD de droit public',
  '20': 'Détachement de fonctionnaire (avec pension)',
  '21': 'Détachement de fonctionnaire (sans pension)',
  '29': 'Convention de stage',
  '32': "Contrat d'appui au projet d'entreprise",
  '50': 'Nomination dans la fonction publique',
  '51': 'Collaborateur occasionnel du service public',
  '52': "Cumul d'activité accessoire (fonction publique)",
  '53': "Contrat d'emploi pénitentiaire",
  '54': "Contrat d'emploi pénitentiaire en apprentissage",
  '60': "Contrat d'engagement éducatif",
  '70': "Contrat de soutien et d'aide par le travail",
  '80': 'Mandat social',
  '81': "Mandat d'élu",
  '82': "CDI de chantier ou d'opération",
  '89': 'Service civique',
  '90': 'Autre contrat, convention ou mandat',
  '91': "Contrat d'engagement maritime à durée indéterminée",
  '92': "Contrat d'engagement maritime à durée déterminée",
  '93': 'Ligne de service',
};

/** Dispositif de politique publique, S21.G00.40.008: named in place of the nature when it says more. */
export const PUBLIC_SCHEME_LABELS: Readonly<Record<string, string>> = {
  '21': 'Contrat initiative emploi (CUI-CIE)',
  '41': 'Parcours emploi compétences (PEC)',
  '42': "Contrat d'accès à l'emploi (DOM)",
  '61': 'Contrat de professionnalisation',
  '64': "Contrat d'apprentissage",
  '65': "Contrat d'apprentissage",
  '70': 'CDD senior',
  '71': "CDD d'insertion (CDDI)",
  '81': "Contrat d'apprentissage (secteur public)",
  '94': 'Contrat adulte relais',
};

/** Complément de dispositif, S21.G00.40.073: the kind of SIAE (01 is an entreprise adaptée, not IAE). */
export const SIAE_KIND_LABELS: Readonly<Record<string, string>> = {
  '01': 'Entreprise adaptée',
  '02': "Atelier et chantier d'insertion (ACI)",
  '03': 'Association intermédiaire (AI)',
  '04': "Entreprise d'insertion (EI)",
  '05': "Entreprise de travail temporaire d'insertion (ETTI)",
  '06': "Atelier et chantier d'insertion en milieu pénitentiaire",
  '07': "Entreprise d'insertion en milieu pénitentiaire",
};

/** Motif de fin du contrat, S21.G00.62.002. */
export const END_REASON_LABELS: Readonly<Record<string, string>> = {
  '011': 'Licenciement (liquidation ou redressement judiciaire)',
  '012': "Licenciement (fermeture de l'établissement)",
  '014': 'Licenciement économique',
  '015': "Licenciement pour fin de chantier ou d'opération",
  '020': 'Licenciement pour autre motif',
  '025': 'Autre fin de contrat pour motif économique',
  '026': 'Rupture économique (contrat de sécurisation professionnelle)',
  '031': 'Fin de CDD',
  '032': "Fin de mission d'intérim",
  '033': 'Rupture anticipée pour inaptitude',
  '034': "Fin de période d'essai (employeur)",
  '035': "Fin de période d'essai (salarié)",
  '036': "Rupture anticipée à l'initiative de l'employeur",
  '037': "Rupture anticipée à l'initiative du salarié",
  '038': 'Mise à la retraite',
  '039': 'Départ à la retraite',
  '043': 'Rupture conventionnelle',
  '058': "Prise d'acte de la rupture",
  '059': 'Démission',
  '065': "Décès de l'employeur",
  '066': 'Décès du salarié',
  '081': "Fin de contrat d'apprentissage",
  '082': 'Résiliation judiciaire',
  '083': 'Rupture pour force majeure',
  '084': "Rupture d'un commun accord",
  '085': 'Fin de mandat',
  '086': 'Licenciement (convention CATS)',
  '087': 'Licenciement pour faute grave',
  '088': 'Licenciement pour faute lourde',
  '089': 'Licenciement pour force majeure',
  '091': 'Licenciement pour inaptitude non professionnelle',
  '092': 'Licenciement pour inaptitude professionnelle',
  '093': "Licenciement sur décision d'une autorité administrative",
  '094': 'Rupture anticipée pour arrêt de tournage',
  '095': 'Rupture anticipée pour faute grave',
  '096': 'Rupture anticipée pour faute lourde',
  '097': "Rupture anticipée (fermeture de l'établissement)",
  '098': "Retrait d'enfant",
  '100': 'Mutation sans rupture du contrat',
  '110': 'Rupture conventionnelle collective',
  '111': 'Rupture amiable (congé de mobilité)',
  '112': 'Rupture (accord de performance collective)',
  '113': 'Licenciement pour motif spécifique',
  '114': "Rupture d'un commun accord pour entrée en PAP",
  '115': 'Licenciement (loi du 15 septembre 2017)',
  '116': 'Fin de ligne de service',
  '117': 'Licenciement économique (refus du contrat de sécurisation professionnelle)',
  '118': "Fin de contrat d'appui au projet d'entreprise",
  '998': 'Transfert du contrat vers un autre établissement',
  '999': "Fin de relation avec l'employeur",
};

const lookup = (table: Readonly<Record<string, string>>, fallback: string) => (code: string) => table[code] ?? `${fallback} (code ${code})`;

export const alertLabel = (alert: ParticipantAlert): string => ALERT_LABELS[alert];
export const stoppageReasonLabel = lookup(STOPPAGE_REASON_LABELS, 'Arrêt de travail');
export const suspensionReasonLabel = lookup(SUSPENSION_REASON_LABELS, 'Suspension du contrat');
export const endReasonLabel = lookup(END_REASON_LABELS, 'Fin de contrat');
export const siaeKindLabel = lookup(SIAE_KIND_LABELS, 'Structure');

/** The public scheme's name when it has one (a CDDI rather than a CDD), else the nature's. */
export function contractLabel(nature: string, publicScheme: string | null): string {
  const scheme = publicScheme ? PUBLIC_SCHEME_LABELS[publicScheme] : undefined;
  return scheme ?? CONTRACT_NATURE_LABELS[nature] ?? `Contrat (nature ${nature})`;
}
