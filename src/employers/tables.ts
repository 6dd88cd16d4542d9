import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

// Tables and views this module reads that src/db/schema.ts does not declare. Dates travel as `AAAA-MM-JJ`.

export interface EmploymentZoneTable {
  code: string;
  name: string;
}
export interface CommuneEmploymentZoneTable {
  insee_code: string;
  zone_code: string;
}

export interface IndicatorSettingTable {
  name: string;
  value: number;
}

export interface DsnCoverageView {
  first_month: string | null;
  last_month: string | null;
}

/** One row per hire (migrations/20261123000600_create_employer_hires.ts). */
export interface EmployerHireView {
  siret: string;
  person_key: Buffer;
  hire_date: string;
  woman: boolean;
  under_26: boolean | null;
  over_50: boolean | null;
  no_prior_contract: boolean;
  long_unemployed: boolean | null;
  after_long_stoppage: boolean;
  boeth: boolean;
  from_programme: boolean;
  nature: string;
  is_cdi: boolean;
  fixed_term_days: number | null;
  full_time: boolean;
  retained_6m: boolean | null;
  retained_12m: boolean | null;
  contract_key: string;
}

type Value = number | null;

/** One row per establishment that hired in the window (migrations/20261123000700_create_employer_engagement.ts). */
export interface EmployerEngagementView {
  period: string;
  siret: string;
  hires: number;
  woman_share: Value;
  under_26_share: Value;
  over_50_share: Value;
  no_prior_contract_share: Value;
  long_unemployed_share: Value;
  after_long_stoppage_share: Value;
  boeth_share: Value;
  from_programme_share: Value;
  cdi_share: Value;
  mean_fixed_term_days: Value;
  median_fixed_term_days: Value;
  full_time_share: Value;
  retained_6m_share: Value;
  retained_12m_share: Value;
  woman_rank: Value;
  under_26_rank: Value;
  over_50_rank: Value;
  no_prior_contract_rank: Value;
  long_unemployed_rank: Value;
  after_long_stoppage_rank: Value;
  boeth_rank: Value;
  from_programme_rank: Value;
  cdi_rank: Value;
  mean_fixed_term_days_rank: Value;
  median_fixed_term_days_rank: Value;
  full_time_rank: Value;
  retained_6m_rank: Value;
  retained_12m_rank: Value;
  peer_group: string | null;
  peers: number | null;
  score: Value;
  label: 'engagee' | null;
}
export interface EmployerEngagementHistoryView extends EmployerEngagementView {
  quarter: string;
}

export type EmployersTables = {
  employment_zones: EmploymentZoneTable;
  commune_employment_zones: CommuneEmploymentZoneTable;
  indicator_settings: IndicatorSettingTable;
  dsn_coverage: DsnCoverageView;
  employer_hires: EmployerHireView;
  employer_engagement: EmployerEngagementView;
  employer_engagement_history: EmployerEngagementHistoryView;
};

export type EmployersDatabase = Database & EmployersTables;

/** The shared Kysely instance seen with this module's tables and views as well. */
export const withEmployerTables = (db: Kysely<Database>): Kysely<EmployersDatabase> => db.withTables<EmployersTables>();
