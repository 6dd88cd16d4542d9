import type { ColumnType, Generated } from 'kysely';

// One interface per table, as the migrations create them. Dates travel as `AAAA-MM-JJ` strings.
type DateColumn = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Numeric = ColumnType<number, number | string, number | string>;

export interface RegionTable {
  code: string;
  name: string;
}
export interface DepartementTable {
  code: string;
  name: string;
  region_code: string;
}
export interface CommuneTable {
  insee_code: string;
  name: string;
  departement_code: string;
  region_code: string;
  population: number | null;
}
export interface CommunePostalCodeTable {
  postal_code: string;
  insee_code: string;
}
export interface NafCodeTable {
  code: string;
  label: string;
  level: 'section' | 'division' | 'groupe' | 'classe' | 'sous-classe';
  section_code: string | null;
  division_code: string | null;
}

export interface IngestRunTable {
  id: Generated<number>;
  kind: 'dsn' | 'participants' | 'passes' | 'zones' | 'exposures';
  started_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
  status: Generated<'running' | 'done' | 'failed' | 'interrupted'>;
  files: Generated<number>;
  declarations: Generated<number>;
  replaced: Generated<number>;
  cancelled: Generated<number>;
  rows: Generated<number>;
  rejected: Generated<number>;
  warnings: Generated<number>;
  establishments_by_fallback: Generated<number>;
  establishments_unplaced: Generated<number>;
}
export interface IngestRejectionTable {
  id: Generated<number>;
  run_id: number;
  kind: Generated<'rejection' | 'warning'>;
  file: string | null;
  line: number | null;
  rubric: string | null;
  field: string | null;
  message: string;
}

export interface DeclarationTable {
  id: Generated<number>;
  checksum: Buffer;
  siret: string;
  declared_month: DateColumn;
  nature: string;
  type: string;
  fraction: string;
  file_name: string;
  file_checksum: Buffer;
  first_line: number;
  line_count: number;
  person_count: number;
  run_id: number | null;
  replaced_by: number | null;
  loaded_at: Generated<Timestamp>;
  siren: string | null;
  naf_code: string | null;
  company_naf_code: string | null;
  postal_code: string | null;
  town: string | null;
  subject: Generated<string>;
}

export interface EstablishmentTable {
  siret: string;
  siren: string;
  naf_code: string | null;
  company_naf_code: string | null;
  postal_code: string | null;
  town: string | null;
  commune_insee_code: string | null;
  departement_code: string | null;
  region_code: string | null;
  placement: 'code_postal' | 'localite' | 'departement' | null;
  first_declared_month: DateColumn;
  last_declared_month: DateColumn;
}

export interface DeclaredIdentityChangeTable {
  declaration_id: number;
  former_key: Buffer;
  person_key: Buffer;
  change_date: DateColumn | null;
}

export interface PersonLinkTable {
  former_key: Buffer;
  person_key: Buffer;
  declared_month: DateColumn;
  declaration_id: number;
}

export interface PersonTable {
  person_key: Buffer;
  identified_by: 'nir' | 'ntt';
  sex: '01' | '02' | null;
  birth_year: number | null;
  birth_month: number | null;
  birth_date: DateColumn | null;
  last_name: string | null;
  first_names: string | null;
  education_level: string | null;
  first_declared_month: DateColumn | null;
  last_declared_month: DateColumn | null;
}
export interface DeclaredPersonTable extends Omit<PersonTable, 'first_declared_month' | 'last_declared_month'> {
  declaration_id: number;
}

interface ContractAttributes {
  contract_key: string;
  person_key: Buffer;
  siret: string;
  contract_number: string;
  start_date: DateColumn;
  pcs: string | null;
  nature: string;
  public_scheme: string | null;
  planned_end_date: DateColumn | null;
  hours_unit: string | null;
  reference_hours: Numeric | null;
  contract_hours: Numeric | null;
  time_mode: string | null;
  fixed_term_reason: string | null;
  boeth_status: string | null;
  scheme_complement: string | null;
}
export interface DeclaredContractTable extends ContractAttributes {
  declaration_id: number;
}
export interface ContractTable extends ContractAttributes {
  first_declared_month: DateColumn;
  last_declared_month: DateColumn;
  /** The declaration its attributes come from: the latest in force that declares it. */
  declaration_id: number;
  end_date: DateColumn | null;
  end_kind: 'declared' | 'implicit' | null;
}

interface ContractEndAttributes {
  contract_key: string;
  person_key: Buffer;
  end_date: DateColumn;
  reason: string;
}
export interface DeclaredContractEndTable extends ContractEndAttributes {
  declaration_id: number;
}
export type ContractEndTable = ContractEndAttributes;

interface WorkStoppageAttributes {
  contract_key: string;
  person_key: Buffer;
  last_worked_date: DateColumn;
  reason: string;
  planned_end_date: DateColumn | null;
  return_date: DateColumn | null;
}
export interface DeclaredWorkStoppageTable extends WorkStoppageAttributes {
  declaration_id: number;
}
export type WorkStoppageTable = WorkStoppageAttributes;

interface SuspensionAttributes {
  contract_key: string;
  person_key: Buffer;
  start_date: DateColumn;
  reason: string;
  end_date: DateColumn | null;
}
export interface DeclaredSuspensionTable extends SuspensionAttributes {
  declaration_id: number;
}
export type SuspensionTable = SuspensionAttributes;

export interface ContractHoursTable {
  declaration_id: number;
  contract_key: string;
  person_key: Buffer;
  month: DateColumn;
  hours: Numeric;
}

export interface ProgrammeEnrolmentTable {
  id: Generated<number>;
  person_key: Buffer;
  programme: string;
  structure_siret: string;
  entry_date: DateColumn;
  exit_date: DateColumn | null;
  last_name: string | null;
  first_names: string | null;
  run_id: number | null;
}
export interface IaePassTable {
  pass_number: string;
  person_key: Buffer;
  structure_siret: string;
  start_date: DateColumn;
  end_date: DateColumn | null;
  last_name: string | null;
  first_names: string | null;
  run_id: number | null;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  role: 'admin' | 'conseiller' | 'structure' | 'financeur';
  demo: Generated<boolean>;
  created_at: Generated<Date>;
  disabled_at: Timestamp | null;
}
export interface UserScopeTable {
  user_id: number;
  kind: 'siret' | 'departement' | 'region' | 'france';
  code: Generated<string>;
}
export interface SessionTable {
  token_hash: Buffer;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface IndicatorRefreshTable {
  view_name: string;
  refreshed_at: Timestamp;
  loads: number;
  last_run_id: number | null;
  settings_checksum: string;
}
/** View: each indicator view, whether it reflects the latest loads and settings. */
export interface IndicatorFreshnessView {
  view_name: string;
  refreshed_at: Date | null;
  last_run_id: number | null;
  stale: boolean;
}

export interface Database {
  regions: RegionTable;
  departements: DepartementTable;
  communes: CommuneTable;
  commune_postal_codes: CommunePostalCodeTable;
  naf_codes: NafCodeTable;
  ingest_runs: IngestRunTable;
  ingest_rejections: IngestRejectionTable;
  declarations: DeclarationTable;
  establishments: EstablishmentTable;
  persons: PersonTable;
  declared_identity_changes: DeclaredIdentityChangeTable;
  person_links: PersonLinkTable;
  declared_persons: DeclaredPersonTable;
  declared_contracts: DeclaredContractTable;
  declared_contract_ends: DeclaredContractEndTable;
  declared_work_stoppages: DeclaredWorkStoppageTable;
  declared_suspensions: DeclaredSuspensionTable;
  contract_hours: ContractHoursTable;
  contracts: ContractTable;
  contract_ends: ContractEndTable;
  work_stoppages: WorkStoppageTable;
  suspensions: SuspensionTable;
  programme_enrolments: ProgrammeEnrolmentTable;
  iae_passes: IaePassTable;
  users: UserTable;
  user_scopes: UserScopeTable;
  sessions: SessionTable;
  indicator_refreshes: IndicatorRefreshTable;
  indicator_freshness: IndicatorFreshnessView;
}
