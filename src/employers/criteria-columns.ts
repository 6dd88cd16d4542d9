import { type RawBuilder, sql } from 'kysely';
import { SECRET_THRESHOLD } from '../outcomes/secret.js';
import { CRITERIA, type CriterionKey } from './filters.js';
import type { EmployerEngagementView, EmployerHireView } from './tables.js';

/** No aggregate about fewer people than this is shown to counsellors: the one threshold of the statistical secret. */
export const SECRET_MINIMUM = SECRET_THRESHOLD;

type EngagementColumn = keyof EmployerEngagementView & string;

/** Where each criterion lives: its value and rank in employer_engagement, the hire column it is computed from. */
export const CRITERION_COLUMNS: Readonly<
  Record<CriterionKey, { value: EngagementColumn; rank: EngagementColumn; hire: keyof EmployerHireView }>
> = {
  woman: { value: 'woman_share', rank: 'woman_rank', hire: 'woman' },
  under_26: { value: 'under_26_share', rank: 'under_26_rank', hire: 'under_26' },
  over_50: { value: 'over_50_share', rank: 'over_50_rank', hire: 'over_50' },
  no_prior_contract: { value: 'no_prior_contract_share', rank: 'no_prior_contract_rank', hire: 'no_prior_contract' },
  long_unemployed: { value: 'long_unemployed_share', rank: 'long_unemployed_rank', hire: 'long_unemployed' },
  after_long_stoppage: { value: 'after_long_stoppage_share', rank: 'after_long_stoppage_rank', hire: 'after_long_stoppage' },
  boeth: { value: 'boeth_share', rank: 'boeth_rank', hire: 'boeth' },
  from_programme: { value: 'from_programme_share', rank: 'from_programme_rank', hire: 'from_programme' },
  cdi: { value: 'cdi_share', rank: 'cdi_rank', hire: 'is_cdi' },
  mean_fixed_term_days: { value: 'mean_fixed_term_days', rank: 'mean_fixed_term_days_rank', hire: 'fixed_term_days' },
  median_fixed_term_days: { value: 'median_fixed_term_days', rank: 'median_fixed_term_days_rank', hire: 'fixed_term_days' },
  full_time: { value: 'full_time_share', rank: 'full_time_rank', hire: 'full_time' },
  retained_6m: { value: 'retained_6m_share', rank: 'retained_6m_rank', hire: 'retained_6m' },
  retained_12m: { value: 'retained_12m_share', rank: 'retained_12m_rank', hire: 'retained_12m' },
};

/** Hires `h` of the 24 months ending with the month `period` (the window of employer_engagement). */
export const inWindow = (period: RawBuilder<unknown>) =>
  sql<boolean>`h.hire_date >= ${period} - interval '23 months' and h.hire_date < ${period} + interval '1 month'`;

/**
 * How many hires of engagement row `g`'s window have a value for the criterion (`known`) and, for a share, how
 * many of them it counts (`count`; null for a length): a lateral subquery, joined as `k`.
 */
export function criterionCounts(key: CriterionKey): RawBuilder<unknown> {
  const column = sql.ref(`h.${CRITERION_COLUMNS[key].hire}`);
  const count = CRITERIA[key].unit === 'part' ? sql`count(*) filter (where ${column})::int` : sql`null::int`;
  return sql`lateral (
    select count(${column})::int as known, ${count} as count
    from employer_hires h where h.siret = g.siret and ${inWindow(sql.ref('g.period'))}
  )`;
}

const small = (count: RawBuilder<unknown>) => sql`${count} between 1 and ${sql.lit(SECRET_MINIMUM - 1)}`;

/**
 * Whether row `g`'s value of the criterion whose counts are `k` may be shown (statistical secret, as the employer's
 * page applies it, src/employers/detail.ts): at least SECRET_MINIMUM hires have a value, and for a share neither
 * the hires it counts nor the others (the complement the share gives away) are 1 to 4 people. A length (mean or
 * median days) is an aggregate over the fixed-term contracts: shown from SECRET_MINIMUM contracts.
 */
export const criterionShown = sql<boolean>`(k.known >= ${sql.lit(SECRET_MINIMUM)}
  and (k.count is null or not (${small(sql`k.count`)} or ${small(sql`k.known - k.count`)})))`;

/** Hidden by the secret, rather than not measurable (no hire has a value while the hires are numerous enough). */
export const criterionSecret = sql<boolean>`(not ${criterionShown} and not (k.known = 0 and g.hires >= ${sql.lit(SECRET_MINIMUM)}))`;

/** The criterion's value of engagement row `g`, null when not shown (criterionShown). */
export function criterionValue(key: CriterionKey): RawBuilder<number | null> {
  return sql<number | null>`case when ${criterionShown} then ${sql.ref(`g.${CRITERION_COLUMNS[key].value}`)} end`;
}
