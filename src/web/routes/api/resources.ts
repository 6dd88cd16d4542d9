import { z } from 'zod';
import type { EmployerDetail, EmployerListRow } from '../../../employers/repository.js';
import type { Cell, HorizonOutcome, OutcomeLine, OutcomesTable, RateCell } from '../../../outcomes/repository.js';
import type { ParticipantList, ParticipantRow } from '../../../participants/repository.js';
import type { RunSummary } from '../admin/imports-repository.js';

// What the API answers, as zod schemas (the OpenAPI document is generated from them) and the mapping from the
// repositories' rows: French names, as everything a user reads; a figure under the statistical secret is
// `{ valeur: null, secret: true }`, never its value.

const place = z.object({ code: z.string(), nom: z.string().nullable() }).nullable();
const toPlace = (code: string | null, name: string | null) => (code === null ? null : { code, nom: name });

export const employerRowSchema = z.object({
  siret: z.string().meta({ description: 'SIRET de l’établissement (14 chiffres)' }),
  nom: z.string(),
  commune: place,
  departement: place,
  naf: place,
  embauches: z.number().int().meta({ description: 'Embauches sur les 24 derniers mois couverts par la DSN' }),
  score: z.number().nullable().meta({ description: 'Score d’engagement sur 100 ; null sous le minimum d’embauches' }),
  engagee: z.boolean(),
  critere: z
    .object({ cle: z.string(), valeur: z.number().nullable(), secret: z.boolean(), rang: z.number().nullable() })
    .nullable()
    .meta({ description: 'Le critère mis en avant (paramètre critere) ; valeur null et secret true sous le secret statistique' }),
});

export const employerPageSchema = z.object({
  donnees: z.array(employerRowSchema),
  page: z.number().int(),
  pages: z.number().int(),
  total: z.number().int(),
});

export const toEmployerRow = (row: EmployerListRow): z.output<typeof employerRowSchema> => ({
  siret: row.siret,
  nom: row.name,
  commune: toPlace(row.communeCode, row.communeName),
  departement: toPlace(row.departementCode, row.departementName),
  naf: toPlace(row.nafCode, row.nafLabel),
  embauches: row.hires,
  score: row.score,
  engagee: row.engaged,
  critere: row.criterion
    ? { cle: row.criterion.key, valeur: row.criterion.value, secret: row.criterion.secret, rang: row.criterion.rank }
    : null,
});

const detailPlace = (p: { code: string; name: string | null } | null) => (p === null ? null : { code: p.code, nom: p.name });
const retentionSchema = z.object({
  observables: z.number().int(),
  maintenus: z.number().int().nullable(),
  taux: z.number().nullable(),
  secret: z.boolean(),
});

export const employerDetailSchema = z.object({
  siret: z.string(),
  nom: z.string(),
  ville: z.string().nullable(),
  commune: place,
  departement: place,
  region: place,
  naf: place,
  divisionNaf: place,
  sectionNaf: place,
  fenetre: z.object({ debut: z.string(), fin: z.string() }).nullable(),
  embauches: z.number().int(),
  score: z.number().nullable(),
  engagee: z.boolean(),
  pairs: z.object({ type: z.enum(['division', 'section']), naf: place, territoire: place, effectif: z.number().int() }).nullable(),
  criteres: z.array(
    z.object({
      cle: z.string(),
      libelle: z.string(),
      unite: z.enum(['part', 'jours']),
      valeur: z.number().nullable(),
      secret: z.boolean(),
      connus: z.number().int(),
      rang: z.number().nullable(),
      poids: z.number(),
    }),
  ),
  evolution: z.array(
    z.object({ trimestre: z.string(), embauches: z.number().int().nullable(), score: z.number().nullable(), engagee: z.boolean() }),
  ),
  profil: z.array(
    z.object({
      cle: z.string(),
      libelle: z.string(),
      effectif: z.number().int().nullable(),
      connus: z.number().int(),
      part: z.number().nullable(),
      secret: z.boolean(),
    }),
  ),
  contrats: z.object({
    secret: z.boolean(),
    cdi: z.number().int().nullable(),
    cdd: z.number().int().nullable(),
    autres: z.number().int().nullable(),
    natures: z.array(z.object({ nature: z.string(), libelle: z.string(), categorie: z.string(), effectif: z.number().int().nullable() })),
  }),
  contratsALimite: z.object({
    contrats: z.number().int().nullable(),
    secret: z.boolean(),
    durees: z.array(z.object({ cle: z.string(), libelle: z.string(), effectif: z.number().int().nullable() })),
    moyenneJours: z.number().nullable(),
    medianeJours: z.number().nullable(),
  }),
  maintien: z.object({ m6: retentionSchema, m12: retentionSchema }),
  methode: z.object({ embauchesMinimum: z.number(), pairsMinimum: z.number(), scoreEngagee: z.number(), secretMinimum: z.number() }),
});

export function toEmployerDetail(detail: EmployerDetail): z.output<typeof employerDetailSchema> {
  const { secretMinimum } = detail.method;
  // Null with known values, or too few hires to tell: secret; no hire has a value among enough hires: unmeasurable.
  const secret = (value: number | null, known: number) => value === null && !(known === 0 && detail.hires >= secretMinimum);
  const retention = (r: EmployerDetail['retention']['m6']) => ({
    observables: r.observable,
    maintenus: r.retained,
    taux: r.rate,
    secret: r.observable > 0 && r.retained === null,
  });
  return {
    siret: detail.siret,
    nom: detail.name,
    ville: detail.town,
    commune: detailPlace(detail.commune),
    departement: detailPlace(detail.departement),
    region: detailPlace(detail.region),
    naf: detailPlace(detail.naf),
    divisionNaf: detailPlace(detail.nafDivision),
    sectionNaf: detailPlace(detail.nafSection),
    fenetre: detail.window && { debut: detail.window.from, fin: detail.window.to },
    embauches: detail.hires,
    score: detail.score,
    engagee: detail.engaged,
    pairs: detail.peerGroup && {
      type: detail.peerGroup.kind,
      naf: detailPlace(detail.peerGroup.naf),
      territoire: detailPlace(detail.peerGroup.territory),
      effectif: detail.peerGroup.size,
    },
    criteres: detail.criteria.map((c) => ({
      cle: c.key,
      libelle: c.label,
      unite: c.unit,
      valeur: c.value,
      secret: secret(c.value, c.known),
      connus: c.known,
      rang: c.rank,
      poids: c.weight,
    })),
    evolution: detail.trend.map((t) => ({ trimestre: t.quarter, embauches: t.hires, score: t.score, engagee: t.engaged })),
    profil: detail.profile.map((p) => ({
      cle: p.key,
      libelle: p.label,
      effectif: p.count,
      connus: p.known,
      part: p.share,
      secret: secret(p.count, p.known),
    })),
    contrats: {
      secret: detail.contracts.suppressed,
      cdi: detail.contracts.cdi,
      cdd: detail.contracts.cdd,
      autres: detail.contracts.other,
      natures: detail.contracts.natures.map((n) => ({ nature: n.nature, libelle: n.label, categorie: n.category, effectif: n.count })),
    },
    contratsALimite: {
      contrats: detail.fixedTerm.contracts,
      secret: detail.fixedTerm.suppressed,
      durees: detail.fixedTerm.buckets.map((b) => ({ cle: b.key, libelle: b.label, effectif: b.count })),
      moyenneJours: detail.fixedTerm.meanDays,
      medianeJours: detail.fixedTerm.medianDays,
    },
    maintien: { m6: retention(detail.retention.m6), m12: retention(detail.retention.m12) },
    methode: {
      embauchesMinimum: detail.method.minimumHires,
      pairsMinimum: detail.method.minimumPeers,
      scoreEngagee: detail.method.engagedScore,
      secretMinimum,
    },
  };
}

const cell = z
  .object({ valeur: z.number().nullable(), secret: z.boolean() })
  .meta({ description: 'Un effectif ou un taux ; { valeur: null, secret: true } sous le secret statistique (moins de 5 personnes)' });
const toCell = (c: Cell | RateCell) => ({ valeur: c.value, secret: c.secret });

const horizonSchema = z.object({
  observables: cell,
  enEmploi: cell,
  tauxEmploi: cell,
  enEmploiDurable: cell,
  tauxEmploiDurable: cell,
  dansLeDispositif: cell,
  partDansLeDispositif: cell,
});
const toHorizon = (h: HorizonOutcome) => ({
  observables: toCell(h.observable),
  enEmploi: toCell(h.employed),
  tauxEmploi: toCell(h.employedRate),
  enEmploiDurable: toCell(h.durable),
  tauxEmploiDurable: toCell(h.durableRate),
  dansLeDispositif: toCell(h.inProgramme),
  partDansLeDispositif: toCell(h.inProgrammeRate),
});

const outcomeLineSchema = z.object({
  libelles: z.array(z.string()),
  programme: z.string().nullable().optional(),
  cohorte: z.string().nullable().optional(),
  code: z.string().nullable().optional().meta({ description: 'Code de la région, du département ou SIRET de la structure' }),
  sorties: cell,
  m6: horizonSchema,
  m12: horizonSchema,
});

export const outcomesTableSchema = z.object({
  vue: z.enum(['programmes', 'cohortes', 'territoires']),
  niveau: z.enum(['region', 'departement', 'structure']).optional(),
  dimensions: z.array(z.string()),
  lignes: z.array(outcomeLineSchema),
  total: outcomeLineSchema,
});

type AnyOutcomeLine = OutcomeLine & { programme?: string | null; cohort?: string | null; code?: string | null };
const toOutcomeLine = (line: AnyOutcomeLine): z.output<typeof outcomeLineSchema> => ({
  libelles: line.labels,
  ...('programme' in line ? { programme: line.programme } : {}),
  ...('cohort' in line ? { cohorte: line.cohort } : {}),
  ...('code' in line ? { code: line.code } : {}),
  sorties: toCell(line.exits),
  m6: toHorizon(line.m6),
  m12: toHorizon(line.m12),
});

export const toOutcomesTable = (
  view: z.output<typeof outcomesTableSchema>['vue'],
  table: OutcomesTable<AnyOutcomeLine>,
  level?: 'region' | 'departement' | 'structure',
): z.output<typeof outcomesTableSchema> => ({
  vue: view,
  ...(level ? { niveau: level } : {}),
  dimensions: table.dimensions,
  lignes: table.lines.map(toOutcomeLine),
  total: toOutcomeLine(table.total),
});

export const participantSchema = z.object({
  pass: z.string(),
  nom: z.string().nullable(),
  prenoms: z.string().nullable(),
  siretStructure: z.string(),
  debut: z.string(),
  heuresBudget: z.number(),
  heuresTravaillees: z.number(),
  heuresRestantes: z.number(),
  moisTravailles: z.number().int(),
  moisSansHeures: z.number().int(),
  moisExpliques: z.number().int(),
  finPrevue: z.string(),
  dernierMoisDeclare: z.string().nullable(),
  alerte: z.string().nullable(),
  libelleAlerte: z.string().nullable(),
});

export const participantPageSchema = z.object({
  donnees: z.array(participantSchema),
  page: z.number().int(),
  pages: z.number().int(),
  total: z.number().int(),
  alertes: z.object({
    toutes: z.number().int(),
    avecAlerte: z.number().int(),
    no_hours_2_months: z.number().int(),
    ending_soon: z.number().int(),
    budget_exhausted: z.number().int(),
  }),
});

export const toParticipant = (row: ParticipantRow): z.output<typeof participantSchema> => ({
  pass: row.passNumber,
  nom: row.lastName,
  prenoms: row.firstNames,
  siretStructure: row.structureSiret,
  debut: row.startDate,
  heuresBudget: row.budgetHours,
  heuresTravaillees: row.hoursWorked,
  heuresRestantes: row.hoursRemaining,
  moisTravailles: row.monthsWorked,
  moisSansHeures: row.monthsWithoutHours,
  moisExpliques: row.monthsExplained,
  finPrevue: row.projectedEndDate,
  dernierMoisDeclare: row.lastDeclaredMonth,
  alerte: row.alert,
  libelleAlerte: row.alertLabel,
});

export const toParticipantPage = (list: ParticipantList): z.output<typeof participantPageSchema> => ({
  donnees: list.rows.map(toParticipant),
  page: list.page,
  pages: list.pages,
  total: list.total,
  alertes: {
    toutes: list.alertCounts.all,
    avecAlerte: list.alertCounts.any,
    no_hours_2_months: list.alertCounts.no_hours_2_months,
    ending_soon: list.alertCounts.ending_soon,
    budget_exhausted: list.alertCounts.budget_exhausted,
  },
});

export const importRunSchema = z.object({
  id: z.number().int(),
  type: z.string().meta({ description: 'dsn, participants, passes ou zones' }),
  statut: z.enum(['running', 'done', 'failed', 'interrupted']),
  debut: z.string(),
  fin: z.string().nullable(),
  fichiers: z.number().int(),
  declarations: z.number().int(),
  remplacees: z.number().int(),
  annulees: z.number().int(),
  lignes: z.number().int(),
  rejets: z.number().int(),
});
export const importRunsSchema = z.object({ donnees: z.array(importRunSchema), total: z.number().int() });

export const toImportRun = (run: RunSummary): z.output<typeof importRunSchema> => ({
  id: run.id,
  type: run.kind,
  statut: run.status,
  debut: run.startedAt.toISOString(),
  fin: run.finishedAt ? new Date(run.finishedAt).toISOString() : null,
  fichiers: run.files,
  declarations: run.declarations,
  remplacees: run.replaced,
  annulees: run.cancelled,
  lignes: run.rows,
  rejets: run.rejected,
});
