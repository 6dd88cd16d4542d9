import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { ENGAGEMENT_CRITERIA } from '../indicators/settings.js';
import { CDD_NATURES, type ContractCategory, contractCategory, natureLabel } from './contract-natures.js';
import { CRITERION_COLUMNS, inWindow, SECRET_MINIMUM } from './criteria-columns.js';
import { CRITERIA, type CriterionKey } from './filters.js';
import { CountCells } from './secret.js';

// One employer's engagement, criterion by criterion, and what its hires of the 24-month window look like.
// Every count of 1 to 4 people is null (statistical secret, ./secret.ts), with what would give it away: a share
// of the same people, the count beside it when the rest is 1 to 4, a second cell of its line. Counsellors see no
// individual. The establishment's hires over the 24 months stay shown: the 5-hire minimum of the score needs them.

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
  /** Null when none is observable, or secret: fewer than 5 observable, or 1 to 4 retained or not retained. */
  retained: number | null;
  /** Null with `retained`. */
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
    /**
     * Share from 0 to 1, or days; null without value or when secret: fewer than 5 hires have one (`known`), or the
     * share's count is secret (profile, contracts, retention below).
     */
    value: number | null;
    known: number;
    /** Percentile rank among peers, 0 to 1, higher is better; null without a score or a value. */
    rank: number | null;
    weight: number;
  }[];
  /** One point per quarter end the DSN covers, oldest first (employer_engagement_history); `hires` null when 1 to 4. */
  trend: { quarter: string; hires: number | null; score: number | null; engaged: boolean }[];
  /**
   * Count and share of each flag among the hires whose flag is known; both null when secret: fewer than 5 known,
   * or 1 to 4 hires with the flag or without it.
   */
  profile: { key: ProfileFlag; label: string; count: number | null; known: number; share: number | null }[];
  /** Hires by kind of contract and by nature; null counts when secret, all of them and no natures under 5 hires. */
  contracts: {
    suppressed: boolean;
    cdi: number | null;
    cdd: number | null;
    other: number | null;
    natures: { nature: string; label: string; category: ContractCategory; count: number | null }[];
  };
  /**
   * Contracts other than CDI with a length (`contracts`, null when secret); buckets empty and mean and median null
   * under 5 of them, bucket counts null when secret.
   */
  fixedTerm: {
    contracts: number | null;
    suppressed: boolean;
    buckets: { key: FixedTermBucket; label: string; count: number | null }[];
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
const share = (count: number | null, known: number) => (count === null || known === 0 ? null : count / known);

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

type Natures = Awaited<ReturnType<typeof readNatures>>;
type Trend = EmployerDetail['trend'];

/**
 * Every count of people the page shows, as one table of the statistical secret (./secret.ts): each line a total and
 * its parts, complements never shown but computed so that a count beside its base gives away no rest of 1 to 4.
 * Lines: each profile flag (known = with + without); hires = CDI + other than CDI (= CDD + others, = contracts
 * with a length + without); each kind = its natures; contracts with a length = length buckets; each retention
 * (observable = retained + not retained); checked for sums of hidden cells only: hires = CDI + CDD + others, other
 * than CDI = its natures, hires = all natures. A CDI share is then secret exactly when its count or the rest is 1
 * to 4 (CDI is never chosen as a second cell), as the list checks it (criteria-columns.ts criterionShown); the test
 * "hides in the list exactly what the employer page hides" holds them together.
 */
function protectCounts(totals: HireTotals, natures: Natures, trend: Trend) {
  const cells = new CountCells();
  const count = (name: string) => totals[name] ?? 0;
  const flag = (key: ProfileFlag) => {
    const [known, flagged] = [count(`${key}_known`), count(`${key}_count`)];
    const cell = cells.cell(flagged);
    cells.sum(cells.cell(known), [cell, cells.cell(known - flagged, { hidden: true })]);
    return cell;
  };
  const profile = Object.fromEntries((Object.keys(PROFILE_FLAGS) as ProfileFlag[]).map((key) => [key, flag(key)])) as Record<
    ProfileFlag,
    number
  >;

  const hires = cells.cell(totals.hires);
  const category = { cdi: count('category_cdi'), cdd: count('category_cdd'), autre: count('category_autre') };
  const kinds = { cdi: cells.cell(category.cdi), cdd: cells.cell(category.cdd), autre: cells.cell(category.autre) };
  const notCdi = cells.cell(category.cdd + category.autre, { hidden: true });
  cells.sum(hires, [kinds.cdi, notCdi]);
  cells.sum(notCdi, [kinds.cdd, kinds.autre]);
  cells.sum(hires, [kinds.cdi, kinds.cdd, kinds.autre], { checkOnly: true });
  const natureCells = natures.map((row) => cells.cell(row.count));
  for (const kind of ['cdi', 'cdd', 'autre'] as const) {
    const parts = natureCells.filter((_, i) => contractCategory(natures[i]?.nature ?? '') === kind);
    if (parts.length > 0) cells.sum(kinds[kind], parts);
  }
  // Natures other than CDI first: then only a CDI hidden anyway can make the line of all natures hide a CDI nature.
  const otherNatures = natureCells.filter((_, i) => contractCategory(natures[i]?.nature ?? '') !== 'cdi');
  if (otherNatures.length > 0) cells.sum(notCdi, otherNatures, { checkOnly: true });
  cells.sum(hires, natureCells, { checkOnly: true });
  // Non-CDI contracts without any end date: never shown, but nearly always none, so readers would take them for 0:
  // hiding them protects nothing, they are not free.
  const fixedTerm = cells.cell(totals.fixed_term);
  cells.sum(notCdi, [fixedTerm, cells.cell(category.cdd + category.autre - totals.fixed_term)]);
  const buckets = FIXED_TERM_BUCKETS.map(({ key }) => cells.cell(count(`bucket_${key}`)));
  cells.sum(fixedTerm, buckets);

  const retention = (months: '6m' | '12m') => {
    const [observable, retained] = [count(`observable_${months}`), count(`retained_${months}`)];
    const cell = cells.cell(retained);
    cells.sum(cells.cell(observable), [cell, cells.cell(observable - retained, { hidden: true })]);
    return cell;
  };
  const retained = { '6m': retention('6m'), '12m': retention('12m') };
  // Quarter hires of 1 to 4 hidden: only the current total explains a missing score (5-hire minimum), past ones need not.
  const quarters = trend.map((point) => cells.cell(point.hires ?? 0));

  const published = cells.protect();
  return {
    profile: (key: ProfileFlag) => published(profile[key]),
    kind: (kind: ContractCategory) => published(kinds[kind]),
    natures: natureCells.map(published),
    fixedTerm: published(fixedTerm),
    buckets: buckets.map(published),
    retained: (months: '6m' | '12m') => published(retained[months]),
    quarters: quarters.map(published),
  };
}
type PublishedCounts = ReturnType<typeof protectCounts>;

/** A criterion's value, null when secret: a share when its count is (a length when under 5 contracts: `known`). */
function criterionPublished(key: CriterionKey, known: number, value: number | null, counts: PublishedCounts) {
  const { hire } = CRITERION_COLUMNS[key];
  if (hire === 'fixed_term_days') return shown(known, value);
  if (hire === 'is_cdi') return counts.kind('cdi') === null ? null : value;
  if (hire === 'retained_6m' || hire === 'retained_12m')
    return counts.retained(hire === 'retained_6m' ? '6m' : '12m') === null ? null : value;
  return counts.profile(hire as ProfileFlag) === null ? null : value;
}

function retention(totals: HireTotals, months: '6m' | '12m', counts: PublishedCounts): Retention {
  const observable = totals[`observable_${months}`] ?? 0;
  const retained = observable === 0 ? null : counts.retained(months);
  return { observable, retained, rate: share(retained, observable) };
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
  const counts = protectCounts(totals, natures, trend);
  const contractsShown = totals.hires >= SECRET_MINIMUM;
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
        value: criterionPublished(key, known, identity[value] as number | null, counts),
        known,
        rank: identity[rank] as number | null,
        weight: setting(`weights.${key}`),
      };
    }),
    trend: trend.map((point, i) => ({ ...point, hires: counts.quarters[i] ?? null })),
    profile: (Object.keys(PROFILE_FLAGS) as ProfileFlag[]).map((key) => {
      const known = totals[`${key}_known`] ?? 0;
      const count = known === 0 ? null : counts.profile(key);
      return { key, label: PROFILE_FLAGS[key], count, known, share: share(count, known) };
    }),
    contracts: {
      suppressed: !contractsShown,
      cdi: counts.kind('cdi'),
      cdd: counts.kind('cdd'),
      other: counts.kind('autre'),
      natures: contractsShown
        ? natures.map((row, i) => ({
            ...row,
            label: natureLabel(row.nature),
            category: contractCategory(row.nature),
            count: counts.natures[i] ?? null,
          }))
        : [],
    },
    fixedTerm: {
      contracts: counts.fixedTerm,
      suppressed: !fixedTermShown,
      buckets: fixedTermShown ? FIXED_TERM_BUCKETS.map(({ key, label }, i) => ({ key, label, count: counts.buckets[i] ?? null })) : [],
      meanDays: fixedTermShown ? totals.mean_days : null,
      medianDays: fixedTermShown ? totals.median_days : null,
    },
    retention: { m6: retention(totals, '6m', counts), m12: retention(totals, '12m', counts) },
    method: {
      minimumHires: setting('minimumHires'),
      minimumPeers: setting('minimumPeers'),
      engagedScore: setting('engagedScore'),
      secretMinimum: SECRET_MINIMUM,
    },
  };
}
