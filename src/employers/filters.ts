import { z } from 'zod';
import { ENGAGEMENT_CRITERIA } from '../indicators/settings.js';

// The counsellor's filters on engaged employers, read from the query string (French messages: src/config.ts).

export type CriterionKey = (typeof ENGAGEMENT_CRITERIA)[number];

/** Each engagement criterion (the columns of employer_engagement), as a counsellor reads it. */
export const CRITERIA: Readonly<Record<CriterionKey, { label: string; unit: 'part' | 'jours' }>> = {
  woman: { label: 'recrute des femmes', unit: 'part' },
  under_26: { label: 'recrute des jeunes de moins de 26 ans', unit: 'part' },
  over_50: { label: 'recrute des personnes de 50 ans ou plus', unit: 'part' },
  no_prior_contract: { label: 'donne un premier contrat de travail', unit: 'part' },
  long_unemployed: { label: "recrute des personnes sans emploi depuis plus d'un an", unit: 'part' },
  after_long_stoppage: { label: 'recrute après un long arrêt de travail', unit: 'part' },
  boeth: { label: 'recrute des travailleurs handicapés (BOETH)', unit: 'part' },
  from_programme: { label: "recrute des sortants de dispositifs d'insertion", unit: 'part' },
  cdi: { label: 'propose des CDI', unit: 'part' },
  mean_fixed_term_days: { label: 'propose des contrats hors CDI plus longs (durée moyenne)', unit: 'jours' },
  median_fixed_term_days: { label: 'propose des contrats hors CDI plus longs (durée médiane)', unit: 'jours' },
  full_time: { label: 'propose du temps plein', unit: 'part' },
  retained_6m: { label: 'garde ses recrues 6 mois', unit: 'part' },
  retained_12m: { label: 'garde ses recrues 12 mois', unit: 'part' },
};

/** Sort orders, as the form offers them; `critere_*` sorts on the highlighted criterion's value. */
export const SORTS = {
  score_desc: 'score décroissant',
  score_asc: 'score croissant',
  embauches_desc: "nombre d'embauches décroissant",
  embauches_asc: "nombre d'embauches croissant",
  siret_asc: 'SIRET croissant',
  siret_desc: 'SIRET décroissant',
  critere_desc: 'critère mis en avant décroissant',
  critere_asc: 'critère mis en avant croissant',
} as const;
export type SortKey = keyof typeof SORTS;
const SORT_KEYS = Object.keys(SORTS) as [SortKey, ...SortKey[]];

/** An empty form field means "no filter": blanks are dropped before validation, other values trimmed. */
function dropBlanks(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const entries = Object.entries(query).flatMap(([key, value]) => {
    if (typeof value !== 'string') return [[key, value]];
    const trimmed = value.trim();
    return trimmed === '' ? [] : [[key, trimmed]];
  });
  return Object.fromEntries(entries);
}

const code = (pattern: RegExp, message: string) => z.string({ error: message }).toUpperCase().regex(pattern, message).optional();

export const employerFiltersSchema = z.preprocess(
  dropBlanks,
  z
    .object({
      region: code(/^\d{2,3}$/, 'région : un code de 2 ou 3 chiffres est attendu (par exemple 32)'),
      departement: code(/^(\d{2,3}|2[AB])$/, 'département : un code de 2 ou 3 caractères est attendu (par exemple 75, 2A, 971)'),
      commune: code(/^(\d{5}|2[AB]\d{3})$/, 'commune : un code INSEE de 5 caractères est attendu (par exemple 59350)'),
      zone: code(/^\d{4}$/, "zone d'emploi : un code de 4 chiffres est attendu (ZE2020, par exemple 3214)"),
      section: code(/^[A-U]$/, 'section NAF : une lettre de A à U est attendue'),
      division: code(/^\d{2}$/, 'division NAF : 2 chiffres sont attendus (par exemple 88)'),
      score_min: z.coerce
        .number({ error: 'score minimum : un nombre de 0 à 100 est attendu' })
        .min(0, 'score minimum : un nombre de 0 à 100 est attendu')
        .max(100, 'score minimum : un nombre de 0 à 100 est attendu')
        .optional(),
      engagees: z
        .stringbool({
          truthy: ['oui', '1', 'on', 'true'],
          falsy: ['non', '0', 'off', 'false'],
          error: 'entreprises engagées : « oui » ou « non » est attendu',
        })
        .default(false),
      critere: z.enum(ENGAGEMENT_CRITERIA, { error: `critère inconnu : attendu ${ENGAGEMENT_CRITERIA.join(', ')}` }).optional(),
      tri: z.enum(SORT_KEYS, { error: `tri inconnu : attendu ${SORT_KEYS.join(', ')}` }).default('score_desc'),
      page: z.coerce
        .number({ error: 'page : un nombre entier à partir de 1 est attendu' })
        .int('page : un nombre entier à partir de 1 est attendu')
        .min(1, 'page : un nombre entier à partir de 1 est attendu')
        .default(1),
    })
    .check((ctx) => {
      if (ctx.value.tri.startsWith('critere_') && ctx.value.critere === undefined) {
        ctx.issues.push({
          code: 'custom',
          path: ['tri'],
          input: ctx.value.tri,
          message: 'tri par critère : choisissez aussi le critère à mettre en avant (paramètre critere)',
        });
      }
    }),
);

export type EmployerFilters = z.output<typeof employerFiltersSchema>;

/** Query-string filters validated, or each bad field with its French message. */
export function parseEmployerFilters(
  query: unknown,
): { ok: true; filters: EmployerFilters } | { ok: false; errors: { field: string; message: string }[] } {
  const parsed = employerFiltersSchema.safeParse(query);
  if (parsed.success) return { ok: true, filters: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })) };
}
