import type { ColumnType, Generated } from 'kysely';

// Tables and views this journey reads and writes, until src/db/schema.ts holds them: the repository adds them
// with `db.withTables<ParticipantTables>()`, which wants type aliases (an interface has no index signature).
type DateColumn = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Numeric = ColumnType<number, number | string, number | string>;

export type IaePassMonthsView = {
  pass_number: string;
  person_key: Buffer;
  structure_siret: string;
  month: DateColumn;
  hours_structure: Numeric;
  hours_other_siae: Numeric;
  stoppage_reasons: string[];
  suspension_reasons: string[];
};

export type IaePassCountersView = {
  pass_number: string;
  person_key: Buffer;
  structure_siret: string;
  start_date: DateColumn;
  budget_hours: Numeric;
  hours_worked: Numeric;
  hours_remaining: Numeric;
  months_worked: number;
  months_without_hours: number;
  months_explained: number;
  projected_end_date: DateColumn;
  last_declared_month: DateColumn | null;
  alert: 'budget_exhausted' | 'no_hours_2_months' | 'ending_soon' | null;
};

export type AuditLogTable = {
  id: Generated<number>;
  at: Timestamp;
  user_id: number;
  action: string;
  pass_number: string | null;
  person_key: Buffer | null;
  detail: unknown | null;
};

export type ParticipantTables = {
  iae_pass_months: IaePassMonthsView;
  iae_pass_counters: IaePassCountersView;
  audit_log: AuditLogTable;
};
