import { type Kysely, sql } from 'kysely';

// Employer engagement scores (DOMAIN.md section 4). Method and weights: docs/indicators.md and
// src/indicators/settings.json. The criteria are listed here once; their SQL follows from the list.
const CRITERIA: [name: string, column: string, value: string][] = [
  ['woman', 'woman_share', 'avg(woman::int)'],
  ['under_26', 'under_26_share', 'avg(under_26::int)'],
  ['over_50', 'over_50_share', 'avg(over_50::int)'],
  ['no_prior_contract', 'no_prior_contract_share', 'avg(no_prior_contract::int)'],
  ['long_unemployed', 'long_unemployed_share', 'avg(long_unemployed::int)'],
  ['after_long_stoppage', 'after_long_stoppage_share', 'avg(after_long_stoppage::int)'],
  ['boeth', 'boeth_share', 'avg(boeth::int)'],
  ['from_programme', 'from_programme_share', 'avg(from_programme::int)'],
  ['cdi', 'cdi_share', 'avg(is_cdi::int)'],
  ['mean_fixed_term_days', 'mean_fixed_term_days', 'avg(fixed_term_days)'],
  ['median_fixed_term_days', 'median_fixed_term_days', 'percentile_cont(0.5) within group (order by fixed_term_days)'],
  ['full_time', 'full_time_share', 'avg(full_time::int)'],
  ['retained_6m', 'retained_6m_share', 'avg(retained_6m::int)'],
  ['retained_12m', 'retained_12m_share', 'avg(retained_12m::int)'],
];

const setting = (name: string) => `(select value from indicator_settings where name = '${name}')`;
const weight = (name: string) => setting(`engagement.weights.${name}`);

const rankColumn = ([, column]: (typeof CRITERIA)[number]) => `${column.replace(/_share$/, '')}_rank`;

// Each criterion's percentile rank among the establishment's peers: (peers below + half the peers equal) /
// peers, from 0 to 1 (0.5 when all are equal). An establishment without a value for a criterion (no
// fixed-term hire, say) is left out of that criterion's ranking and of its score.
const rank = (criterion: (typeof CRITERIA)[number]) => {
  const [, column] = criterion;
  const peers = `partition by period, peer_group, ${column} is null`;
  return `case when ${column} is not null then
      (rank() over (${peers} order by ${column}) - 1 + 0.5 * count(*) over (${peers}, ${column}))::float8
      / count(*) over (${peers})
    end as ${rankColumn(criterion)}`;
};

// The score: the weighted mean of the ranks that exist, on 100.
const score = `100 * (${CRITERIA.map((c) => `coalesce(${rankColumn(c)} * ${weight(c[0])}, 0)`).join(' + ')})
  / nullif(${CRITERIA.map((c) => `case when ${rankColumn(c)} is not null then ${weight(c[0])} else 0 end`).join(' + ')}, 0)`;

export async function up(db: Kysely<any>): Promise<void> {
  const body = `
    with periods as (
      select unnest($1::date[]) as period
    ), window_hires as (
      -- The 24 months ending with the period's month.
      select p.period, h.*
      from periods p join employer_hires h
        on h.hire_date >= p.period - interval '23 months' and h.hire_date < p.period + interval '1 month'
    ), per_establishment as (
      select period, siret, count(*)::int as hires, ${CRITERIA.map(([, column, value]) => `${value}::float8 as ${column}`).join(', ')}
      from window_hires group by period, siret
    ), placed as (
      select s.*, e.departement_code, e.region_code, left(e.naf_code, 2) as naf_division, n.section_code as naf_section,
        count(*) over (partition by s.period, left(e.naf_code, 2), e.departement_code) as local_peers
      from per_establishment s
      join establishments e using (siret)
      left join naf_codes n on n.code = left(e.naf_code, 2)
      where s.hires >= ${setting('engagement.minimumHires')}
    ), grouped as (
      select *,
        case when local_peers >= ${setting('engagement.minimumPeers')}
          then 'division:' || naf_division || ':' || departement_code
          else 'section:' || naf_section || ':' || region_code
        end as peer_group
      from placed
    ), ranked as (
      select period, siret, peer_group, count(*) over (partition by period, peer_group)::int as peers, ${CRITERIA.map(rank).join(', ')}
      from grouped
    )
    select s.period, s.siret, s.hires, ${CRITERIA.map(([, column]) => `s.${column}`).join(', ')},
      ${CRITERIA.map((c) => `r.${rankColumn(c)}`).join(', ')},
      r.peer_group, r.peers,
      round((${score.replaceAll(/\b(\w+_rank)\b/g, 'r.$1')})::numeric, 1) as score
    from per_establishment s left join ranked r using (period, siret)`;

  await sql
    .raw(`
    insert into indicator_settings values
      ('engagement.minimumHires', 5), ('engagement.minimumPeers', 10), ('engagement.engagedScore', 60)
      ${CRITERIA.map(([name]) => `, ('engagement.weights.${name}', 1)`).join('')};

    -- Shares, ranks and scores of every establishment that hired, for the 24 months ending with each period.
    create function employer_engagement_over(periods date[]) returns table (
      period date, siret text, hires int, ${CRITERIA.map(([, column]) => `${column} float8`).join(', ')},
      ${CRITERIA.map((c) => `${rankColumn(c)} float8`).join(', ')}, peer_group text, peers int, score numeric
    ) language sql stable
    -- REFRESH MATERIALIZED VIEW runs with a safe search_path since PostgreSQL 17: keep the one of creation.
    set search_path from current
    as $body$ ${body} $body$;

    create materialized view employer_engagement as
    select e.*, case when e.score >= ${setting('engagement.engagedScore')} then 'engagee' end as label
    from employer_engagement_over(array[(select last_month from dsn_coverage)]) e;
    create unique index employer_engagement_key on employer_engagement (siret);

    -- The same at the end of each quarter the DSN covers, for trend charts.
    create materialized view employer_engagement_history as
    select date_trunc('quarter', e.period)::date as quarter, e.*,
      case when e.score >= ${setting('engagement.engagedScore')} then 'engagee' end as label
    from employer_engagement_over(array(
      select m::date from dsn_coverage c, generate_series(c.first_month, c.last_month, interval '1 month') m
      where extract(month from m) in (3, 6, 9, 12)
    )) e;
    create unique index employer_engagement_history_key on employer_engagement_history (siret, quarter);
  `)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop materialized view employer_engagement_history;
    drop materialized view employer_engagement;
    drop function employer_engagement_over(date[]);
    delete from indicator_settings where name like 'engagement.%';
  `.execute(db);
}
