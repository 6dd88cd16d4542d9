import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { ENGAGEMENT_CRITERIA } from '../indicators/settings.js';
import { CDD_NATURES, type ContractCategory, contractCategory, natureLabel } from './contract-natures.js';
import { CRITERION_COLUMNS, inWindow, SECRET_MINIMUM } from './criteria-columns.js';
import { CRITERIA, type CriterionKey } from './filters.js';

// One employer's engagement, criterion by criterion, and what its hires of the 24-month window look like.
// Every aggregate over fewer than SECRET_MINIMUM people is null (statistical secret): counsellors see no individual.

export type Place = { code: string; name: string | null };

/** The hiring profile's flags (columns of employer_hires). */
export const PROFILE_FLAGS = {
  woman: 'femmes',
  under_26: 'moins de 26 ans',
  over_50: '50 ans ou plus',
  no_prior_contract: 'sans contrat de travail antérieur',
  long_unemployed: "sans contrat depuis plus d'un an",
  after_long_stoppage: 'après un arrêt de travail de 6 mois ou plus',
  boeth: 'travailleurs handicapés (BOETH)',
  from_programme: "sortants d'un dispositif d'insertion depuis moins de 6 mois",
  full_time: 'à temps plein',
} as const;
export type ProfileFlag = keyof typeof PROFILE_FLAGS;

/** Lengths of fixed-term contracts: a contract lasts N months when the day after its end is N months after its start. */
export const FIXED_TERM_BUCKETS = [
  { key: 'moins_1_mois', label: "moins d'un mois", from: null, to: '1 month' },
  { key: '1_3_mois', label: '1 à 3 mois', from: '1 month', to: '3 months' },
  { key: '3_6_mois', label: '3 à 6 mois', from: '3 months', to: '6 months' },
  { key: '6_12_mois', label: '6 à 12 mois', from: '6 months', to: '12 months' },
  { key: '12_mois_plus', label: '12 mois ou plus', from: '12 months', to: null },
] as const;
export type FixedTermBucket = (typeof FIXED_TERM_BUCKETS)[number]['key'];

export type Retention = {
  /** Hires whose 6th (12th) month the DSN already covers. */
  observable: number;
  /** Null when fewer than 5 are observable. */
  retained: number | null;
  rate: number | null;
};

export type EmployerDetail = {
  siret: string;
  /** The DSN carries no establishment name: the SIRET. */
  name: string;
  /** The town label the establishment declares (S21.G00.11.005). */
  town: string | null;
  commune: Place | null;
  departement: Place | null;
  region: Place | null;
  naf: Place | null;
  nafDivision: Place | null;
  nafSection: Place | null;
  /** The 24 months of hires: first day of the first month, last day of the last month the DSN covers. */
  window: { from: string; to: string } | null;
  hires: number;
  score: number | null;
  engaged: boolean;
  /** Null without a score. `division`: same NAF division and département; `section`: same section and région. */
  peerGroup: { kind: 'division' | 'section'; naf: Place; territory: Place; size: number } | null;
  criteria: {
    key: CriterionKey;
    label: string;
    unit: 'part' | 'jours';
    /** Share from 0 to 1, or days; null without value or when fewer than 5 hires have one (`known`). */
    value: number | null;
    known: number;
    /** Percentile rank among peers, 0 to 1, higher is better; null without a score or a value. */
    rank: number | null;
    weight: number;
  }[];
  /** One point per quarter end the DSN covers, oldest first (employer_engagement_history). */
  trend: { quarter: string; hires: number; score: number | null; engaged: boolean }[];
  /** Count and share of each flag among the hires whose flag is known; both null when fewer than 5 are known. */
  profile: { key: ProfileFlag; label: string; count: number | null; known: number; share: number | null }[];
  /** Null counts and no natures under 5 hires. */
  contracts: {
    suppressed: boolean;
    cdi: number | null;
    cdd: number | null;
    other: number | null;
    natures: { nature: string; label: string; category: ContractCategory; count: number }[];
  };
  /** Contracts other than CDI; buckets empty and mean and median null under 5 of them. */
  fixedTerm: {
    contracts: number;
    suppressed: boolean;
    buckets: { key: FixedTermBucket; label: string; count: number }[];
    meanDays: number | null;
    medianDays: number | null;
  };
  retention: { m6: Retention; m12: Retention };
  /** The method's parameters as the views used them (indicator_settings). */
  method: { minimumHires: number; minimumPeers: number; engagedScore: number; secretMinimum: number };
};

type IdentityRow = {
  siret: string;
  town: string | null;
  commune_code: string | null;
  commune_name: string | null;
  departement_code: string | null;
  departement_name: string | null;
  region_code: string | null;
  region_name: string | null;
  naf_code: string | null;
  naf_label: string | null;
  division_code: string | null;
  division_label: string | null;
  section_code: string | null;
  section_label: string | null;
  window_from: string | null;
  window_to: string | null;
  hires: number | null;
  score: number | null;
  engaged: boolean;
  peer_group: string | null;
  peers: number | null;
  peer_naf_label: string | null;
  peer_territory_name: string | null;
} & Record<string, unknown>;

const place = (code: string | null, name: string | null): Place | null => (code === null ? null : { code, name });
const shown = (known: number, value: number | null) => (known >= SECRET_MINIMUM ? value : null);
const share = (count: number, known: number) => (known >= SECRET_MINIMUM ? count / known : null);

async function readIdentity(db: Kysely<Database>, siret: string): Promise<IdentityRow | undefined> {
  const criterionColumns = Object.values(CRITERION_COLUMNS).flatMap(({ value, rank }) => [
    sql`${sql.ref(`g.${value}`)}::float8 as ${sql.ref(value)}`,
    sql`${sql.ref(`g.${rank}`)}::float8 as ${sql.ref(rank)}`,
  ]);
  const { rows } = await sql<IdentityRow>`
    select e.siret, e.town, e.commune_insee_code as commune_code, c.name as commune_name,
      e.departement_code, d.name as departement_name, e.region_code, r.name as region_name,
      e.naf_code, n.label as naf_label, nd.code as division_code, nd.label as division_label,
      ns.code as section_code, ns.label as section_label,
      (cov.last_month - interval '23 months')::date::text as window_from,
      (cov.last_month + interval '1 month' - interval '1 day')::date::text as window_to,
      g.hires, g.score::float8 as score, g.label is not distinct from 'engagee' as engaged, g.peer_group, g.peers,
      pn.label as peer_naf_label, coalesce(pd.name, pr.name) as peer_territory_name,
      ${sql.join(criterionColumns)}
    from establishments e
    cross join dsn_coverage cov
    left join employer_engagement g on g.siret = e.siret
    left join communes c on c.insee_code = e.commune_insee_code
    left join departements d on d.code = e.departement_code
    left join regions r on r.code = e.region_code
    left join naf_codes n on n.code = e.naf_code
    left join naf_codes nd on nd.code = left(e.naf_code, 2)
    left join naf_codes ns on ns.code = nd.section_code
    left join naf_codes pn on pn.code = split_part(g.peer_group, ':', 2)
    left join departements pd on g.peer_group like 'division:%' and pd.code = split_part(g.peer_group, ':', 3)
    left join regions pr on g.peer_group like 'section:%' and pr.code = split_part(g.peer_group, ':', 3)
    where e.siret = ${siret}`.execute(db);
  return rows[0];
}

type HireTotals = Record<string, number | null> & {
  hires: number;
  fixed_term: number;
  mean_days: number | null;
  median_days: number | null;
};

async function readHireTotals(db: Kysely<Database>, siret: string): Promise<HireTotals> {
  const flags = Object.keys(PROFILE_FLAGS).map(
    (flag) => sql`count(*) filter (where ${sql.ref(`h.${flag}`)})::int as ${sql.ref(`${flag}_count`)},
      count(${sql.ref(`h.${flag}`)})::int as ${sql.ref(`${flag}_known`)}`,
  );
  const ends = sql`h.hire_date + h.fixed_term_days`;
  const buckets = FIXED_TERM_BUCKETS.map(({ key, from, to }) => {
    const lower = from === null ? sql`true` : sql`${ends} >= h.hire_date + ${sql.lit(from)}::interval`;
    const upper = to === null ? sql`true` : sql`${ends} < h.hire_date + ${sql.lit(to)}::interval`;
    return sql`count(*) filter (where ${lower} and ${upper})::int as ${sql.ref(`bucket_${key}`)}`;
  });
  const { rows } = await sql<HireTotals>`
    select count(*)::int as hires, ${sql.join(flags)}, ${sql.join(buckets)},
      count(h.fixed_term_days)::int as fixed_term,
      avg(h.fixed_term_days)::float8 as mean_days,
      (percentile_cont(0.5) within group (order by h.fixed_term_days))::float8 as median_days,
      count(*) filter (where h.retained_6m)::int as retained_6m, count(h.retained_6m)::int as observable_6m,
      count(*) filter (where h.retained_12m)::int as retained_12m, count(h.retained_12m)::int as observable_12m,
      count(*) filter (where h.is_cdi)::int as category_cdi,
      count(*) filter (where not h.is_cdi and h.nature in (${sql.join(CDD_NATURES.map((nature) => sql.lit(nature)))}))::int as category_cdd,
      count(*) filter (where not h.is_cdi and h.nature not in (${sql.join(CDD_NATURES.map((nature) => sql.lit(nature)))}))::int
        as category_autre
    from employer_hires h cross join dsn_coverage cov
    where h.siret = ${siret} and ${inWindow(sql`cov.last_month`)}`.execute(db);
  return rows[0] as HireTotals;
}

async function readNatures(db: Kysely<Database>, siret: string) {
  const { rows } = await sql<{ nature: string; count: number }>`
    select h.nature, count(*)::int as count
    from employer_hires h cross join dsn_coverage cov
    where h.siret = ${siret} and ${inWindow(sql`cov.last_month`)}
    group by h.nature order by count(*) desc, h.nature`.execute(db);
  return rows;
}

async function readTrend(db: Kysely<Database>, siret: string): Promise<EmployerDetail['trend']> {
  const { rows } = await sql<EmployerDetail['trend'][number]>`
    select quarter::text as quarter, hires, score::float8 as score, label is not distinct from 'engagee' as engaged
    from employer_engagement_history where siret = ${siret} order by quarter`.execute(db);
  return rows;
}

async function readSettings(db: Kysely<Database>): Promise<Map<string, number>> {
  const { rows } = await sql<{ name: string; value: number }>`
    select name, value::float8 as value from indicator_settings where name like 'engagement.%'`.execute(db);
  return new Map(rows.map((row) => [row.name, row.value]));
}

/** How many hires of the window have a value for the criterion: below 5, its value is not shown. */
function knownFor(key: CriterionKey, totals: HireTotals): number {
  const { hire } = CRITERION_COLUMNS[key];
  if (hire === 'is_cdi') return totals.hires;
  if (hire === 'fixed_term_days') return totals.fixed_term;
  if (hire === 'retained_6m') return totals.observable_6m ?? 0;
  if (hire === 'retained_12m') return totals.observable_12m ?? 0;
  return totals[`${hire}_known`] ?? 0;
}

function retention(totals: HireTotals, months: '6m' | '12m'): Retention {
  const observable = totals[`observable_${months}`] ?? 0;
  const retained = totals[`retained_${months}`] ?? 0;
  return { observable, retained: shown(observable, retained), rate: share(retained, observable) };
}

/** The employer's page: null for a SIRET the DSN never declared. */
export async function employerDetail(db: Kysely<Database>, siret: string): Promise<EmployerDetail | null> {
  const identity = await readIdentity(db, siret);
  if (identity === undefined) return null;
  const [totals, natures, trend, settings] = await Promise.all([
    readHireTotals(db, siret),
    readNatures(db, siret),
    readTrend(db, siret),
    readSettings(db),
  ]);
  const setting = (name: string) => settings.get(`engagement.${name}`) ?? 0;
  const contractsShown = totals.hires >= SECRET_MINIMUM;
  const categoryCount = (category: ContractCategory) => (contractsShown ? (totals[`category_${category}`] ?? 0) : null);
  const fixedTermShown = totals.fixed_term >= SECRET_MINIMUM;
  const [kind, nafCode, territoryCode] = identity.peer_group?.split(':') ?? [];
  return {
    siret: identity.siret,
    name: identity.siret,
    town: identity.town,
    commune: place(identity.commune_code, identity.commune_name),
    departement: place(identity.departement_code, identity.departement_name),
    region: place(identity.region_code, identity.region_name),
    naf: place(identity.naf_code, identity.naf_label),
    nafDivision: place(identity.division_code, identity.division_label),
    nafSection: place(identity.section_code, identity.section_label),
    window: identity.window_from && identity.window_to ? { from: identity.window_from, to: identity.window_to } : null,
    hires: identity.hires ?? 0,
    score: identity.score,
    engaged: identity.engaged,
    peerGroup:
      (kind === 'division' || kind === 'section') && nafCode && territoryCode
        ? {
            kind,
            naf: { code: nafCode, name: identity.peer_naf_label },
            territory: { code: territoryCode, name: identity.peer_territory_name },
            size: identity.peers ?? 0,
          }
        : null,
    criteria: ENGAGEMENT_CRITERIA.map((key) => {
      const known = knownFor(key, totals);
      const { value, rank } = CRITERION_COLUMNS[key];
      return {
        key,
        ...CRITERIA[key],
        value: shown(known, identity[value] as number | null),
        known,
        rank: identity[rank] as number | null,
        weight: setting(`weights.${key}`),
      };
    }),
    trend,
    profile: (Object.keys(PROFILE_FLAGS) as ProfileFlag[]).map((key) => {
      const known = totals[`${key}_known`] ?? 0;
      const count = totals[`${key}_count`] ?? 0;
      return { key, label: PROFILE_FLAGS[key], count: shown(known, count), known, share: share(count, known) };
    }),
    contracts: {
      suppressed: !contractsShown,
      cdi: categoryCount('cdi'),
      cdd: categoryCount('cdd'),
      other: categoryCount('autre'),
      natures: contractsShown
        ? natures.map((row) => ({ ...row, label: natureLabel(row.nature), category: contractCategory(row.nature) }))
        : [],
    },
    fixedTerm: {
      contracts: totals.fixed_term,
      suppressed: !fixedTermShown,
      buckets: fixedTermShown ? FIXED_TERM_BUCKETS.map(({ key, label }) => ({ key, label, count: totals[`bucket_${key}`] ?? 0 })) : [],
      meanDays: fixedTermShown ? totals.mean_days : null,
      medianDays: fixedTermShown ? totals.median_days : null,
    },
    retention: { m6: retention(totals, '6m'), m12: retention(totals, '12m') },
    method: {
      minimumHires: setting('minimumHires'),
      minimumPeers: setting('minimumPeers'),
      engagedScore: setting('engagedScore'),
      secretMinimum: SECRET_MINIMUM,
    },
  };
}
