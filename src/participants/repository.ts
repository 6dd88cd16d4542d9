import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ParticipantFilters } from './filters.js';
import {
  ALERT_LABELS,
  contractLabel,
  endReasonLabel,
  PARTICIPANT_ALERTS,
  type ParticipantAlert,
  siaeKindLabel,
  stoppageReasonLabel,
  suspensionReasonLabel,
} from './labels.js';
import type { ParticipantTables } from './tables.js';

// The SIAE manager's view of its PASS IAE holders. Every function takes the SIRETs the caller may see and
// returns nothing about a PASS whose structure (iae_passes.structure_siret) is not one of them.

type Tables = Database & ParticipantTables;
type Db = Kysely<Database>;

export type ParticipantRow = {
  passNumber: string;
  lastName: string | null;
  firstNames: string | null;
  structureSiret: string;
  /** Dates are `AAAA-MM-JJ` strings. */
  startDate: string;
  budgetHours: number;
  hoursWorked: number;
  /** Negative when the budget is overrun. */
  hoursRemaining: number;
  monthsWorked: number;
  monthsWithoutHours: number;
  monthsExplained: number;
  projectedEndDate: string;
  /** First day of the last month counted; null when the DSN covers none of the PASS's months. */
  lastDeclaredMonth: string | null;
  alert: ParticipantAlert | null;
  alertLabel: string | null;
};

/** Per alert, over every PASS of the caller's structures; `any`: with an alert; `all`: every PASS. */
export type AlertCounts = Record<ParticipantAlert, number> & { any: number; all: number };

export type ParticipantList = {
  rows: ParticipantRow[];
  /** PASS matching the alert filter, across every page. */
  total: number;
  /** The page returned: the one asked for, brought back to the last page when past it. */
  page: number;
  /** At least 1, even with no row. */
  pages: number;
  pageSize: number;
  alertCounts: AlertCounts;
};

export type CodeLabel = { code: string; label: string };

export type ParticipantMonth = {
  /** First day of the month, `AAAA-MM-01`. */
  month: string;
  hoursHere: number;
  hoursOtherSiae: number;
  hours: number;
  stoppages: CodeLabel[];
  suspensions: CodeLabel[];
  /** worked: IAE hours; explained: none, but a stoppage or suspension covers it; unexplained: none and nothing covers it. */
  status: 'worked' | 'explained' | 'unexplained';
  /** For a month without hours: the labels of what covers it, joined by ", "; null when unexplained or worked. */
  explanation: string | null;
};

export type TimelineEntry = {
  kind: 'contract' | 'stoppage' | 'suspension';
  /** Contract type, or the stoppage's or suspension's reason; a contract elsewhere is only "Contrat dans une autre SIAE" etc. */
  label: string;
  /** own: a SIRET of the caller; other_siae: an IAE contract (40.073 02 to 07) elsewhere; other_employer: any other. */
  employer: 'own' | 'other_siae' | 'other_employer';
  employerLabel: string;
  /** Only for own: who else employs the person is not disclosed. */
  siret: string | null;
  contractNumber: string | null;
  siaeKind: string | null;
  /** Stoppage or suspension reason code (also given for other employers: the months' explanations show them anyway). */
  reasonCode: string | null;
  /** Declared end reason of an own contract. */
  endReason: string | null;
  startDate: string;
  /** Last day counted: the known end, else the end of the contract or of its last declared month. */
  endDate: string;
  /** False when endDate is only the end of what is known (contract still open, stoppage without return). */
  endKnown: boolean;
  /** endDate - startDate + 1. */
  days: number;
};

export type ParticipantDetail = {
  participant: ParticipantRow & { passEndDate: string | null };
  months: ParticipantMonth[];
  timeline: TimelineEntry[];
};

export type AuditEntry = {
  id: number;
  at: Date;
  userId: number;
  action: string;
  passNumber: string | null;
  detail: unknown;
};

export const PARTICIPANT_VIEW_ACTION = 'participant_view';

// How the register writes a PASS number: no spaces, upper case.
const normalisePassNumber = (passNumber: string) => passNumber.replace(/\s/g, '').toUpperCase();

function passesOf(db: Kysely<Tables>, structureSirets: readonly string[]) {
  return db
    .selectFrom('iae_passes as p')
    .innerJoin('iae_pass_counters as c', 'c.pass_number', 'p.pass_number')
    .leftJoin('persons as ps', 'ps.person_key', 'p.person_key')
    .where('p.structure_siret', 'in', structureSirets);
}

// The register's names first; the DSN's when the register has none. First names travel with their last name.
const lastName = sql<string | null>`coalesce(p.last_name, ps.last_name)`;
const firstNames = sql<string | null>`case when p.last_name is not null then p.first_names else ps.first_names end`;

function selectParticipant(db: Kysely<Tables>, structureSirets: readonly string[]) {
  return passesOf(db, structureSirets).select([
    'p.pass_number as passNumber',
    lastName.as('lastName'),
    firstNames.as('firstNames'),
    'p.structure_siret as structureSiret',
    'p.start_date as startDate',
    'p.end_date as passEndDate',
    'c.budget_hours as budgetHours',
    'c.hours_worked as hoursWorked',
    'c.hours_remaining as hoursRemaining',
    'c.months_worked as monthsWorked',
    'c.months_without_hours as monthsWithoutHours',
    'c.months_explained as monthsExplained',
    'c.projected_end_date as projectedEndDate',
    'c.last_declared_month as lastDeclaredMonth',
    'c.alert',
    'p.person_key as personKey',
  ]);
}

type SelectedParticipant = Awaited<ReturnType<ReturnType<typeof selectParticipant>['executeTakeFirstOrThrow']>>;

// pg returns numeric as number (src/db/pg-types.ts); Number() keeps this true whatever the parser.
function toRow(r: SelectedParticipant): ParticipantRow {
  return {
    passNumber: r.passNumber,
    lastName: r.lastName,
    firstNames: r.firstNames,
    structureSiret: r.structureSiret,
    startDate: r.startDate,
    budgetHours: Number(r.budgetHours),
    hoursWorked: Number(r.hoursWorked),
    hoursRemaining: Number(r.hoursRemaining),
    monthsWorked: r.monthsWorked,
    monthsWithoutHours: r.monthsWithoutHours,
    monthsExplained: r.monthsExplained,
    projectedEndDate: r.projectedEndDate,
    lastDeclaredMonth: r.lastDeclaredMonth,
    alert: r.alert,
    alertLabel: r.alert ? ALERT_LABELS[r.alert] : null,
  };
}

const SORT_COLUMNS = {
  passNumber: sql`p.pass_number`,
  hoursWorked: sql`c.hours_worked`,
  hoursRemaining: sql`c.hours_remaining`,
  projectedEndDate: sql`c.projected_end_date`,
  monthsWithoutHours: sql`c.months_without_hours`,
} as const;
// Accents sort with their letter (É with E), as a French reader expects.
const NAME_ORDER = [sql`coalesce(p.last_name, ps.last_name) collate "fr-x-icu"`, sql`${firstNames} collate "fr-x-icu"`];

async function countAlerts(db: Kysely<Tables>, structureSirets: readonly string[]): Promise<AlertCounts> {
  const counts = await passesOf(db, structureSirets)
    .select([
      sql<number>`count(*)::int`.as('all'),
      sql<number>`(count(*) filter (where c.alert is not null))::int`.as('any'),
      ...PARTICIPANT_ALERTS.map((alert) => sql<number>`(count(*) filter (where c.alert = ${alert}))::int`.as(alert)),
    ])
    .executeTakeFirstOrThrow();
  return counts as unknown as AlertCounts;
}

const EMPTY_COUNTS: AlertCounts = { all: 0, any: 0, no_hours_2_months: 0, ending_soon: 0, budget_exhausted: 0 };

/** One page of the PASS of the caller's structures, filtered by alert and sorted; the alert counts beside it. */
export async function listParticipants(
  db: Db,
  structureSirets: readonly string[],
  filters: ParticipantFilters,
  { pageSize }: { pageSize: number },
): Promise<ParticipantList> {
  if (structureSirets.length === 0) return { rows: [], total: 0, page: 1, pages: 1, pageSize, alertCounts: EMPTY_COUNTS };
  const tdb = db.withTables<ParticipantTables>();
  const alertCounts = await countAlerts(tdb, structureSirets);
  const total = filters.alert === null ? alertCounts.all : alertCounts[filters.alert];
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filters.page, pages);

  let query = selectParticipant(tdb, structureSirets);
  if (filters.alert === 'any') query = query.where('c.alert', 'is not', null);
  else if (filters.alert !== null) query = query.where('c.alert', '=', filters.alert);
  if (filters.sort !== 'name') query = query.orderBy(SORT_COLUMNS[filters.sort], filters.direction);
  for (const column of NAME_ORDER) query = query.orderBy(column, filters.sort === 'name' ? filters.direction : 'asc');
  const rows = await query
    .orderBy('p.pass_number')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { rows: rows.map(toRow), total, page, pages, pageSize, alertCounts };
}

function toMonth(r: { month: string; hoursHere: number; hoursOtherSiae: number; stoppageReasons: string[]; suspensionReasons: string[] }) {
  const hoursHere = Number(r.hoursHere);
  const hoursOtherSiae = Number(r.hoursOtherSiae);
  const hours = hoursHere + hoursOtherSiae;
  const stoppages = r.stoppageReasons.map((code) => ({ code, label: stoppageReasonLabel(code) }));
  const suspensions = r.suspensionReasons.map((code) => ({ code, label: suspensionReasonLabel(code) }));
  const covering = [...stoppages, ...suspensions].map((reason) => reason.label);
  // Same rule as iae_pass_counters: a month without hours is one whose total is zero or less.
  const status: ParticipantMonth['status'] = hours > 0 ? 'worked' : covering.length > 0 ? 'explained' : 'unexplained';
  return {
    month: r.month,
    hoursHere,
    hoursOtherSiae,
    hours,
    stoppages,
    suspensions,
    status,
    explanation: status === 'explained' ? covering.join(', ') : null,
  } satisfies ParticipantMonth;
}

type TimelineRow = {
  kind: TimelineEntry['kind'];
  own: boolean;
  iae: boolean;
  siret: string | null;
  contract_number: string | null;
  nature: string | null;
  public_scheme: string | null;
  scheme_complement: string | null;
  reason: string | null;
  start_date: string;
  end_date: string;
  end_known: boolean;
  days: number;
};

// Contracts, stoppages and suspensions that reach the PASS's start or later, with the same spans as
// absence_periods. Another employer's contract keeps only its dates: no SIRET, number, type nor end reason.
function readTimeline(db: Kysely<Tables>, personKey: Buffer, passStart: string, structureSirets: readonly string[]) {
  return sql<TimelineRow>`
    with spans as (
      select s.contract_key, s.end_date, s.iae, s.siret = any(${[...structureSirets]}::text[]) as own
      from contract_spans s where s.person_key = ${personKey}
    ), entries as (
      select 'contract' as kind, 0 as rank, sp.own, sp.iae, c.siret, c.contract_number, c.nature, c.public_scheme,
        c.scheme_complement, e.reason, c.start_date, sp.end_date, c.end_date is not null as end_known
      from spans sp join contracts c using (contract_key) left join contract_ends e using (contract_key)
      union all
      select 'stoppage', 1, sp.own, sp.iae, null, null, null, null, null, w.reason, w.last_worked_date + 1,
        coalesce(w.return_date - 1, w.planned_end_date, sp.end_date), w.return_date is not null or w.planned_end_date is not null
      from work_stoppages w join spans sp using (contract_key)
      union all
      select 'suspension', 2, sp.own, sp.iae, null, null, null, null, null, u.reason, u.start_date,
        coalesce(u.end_date, sp.end_date), u.end_date is not null
      from suspensions u join spans sp using (contract_key)
    )
    select kind, own, iae,
      case when own then siret end as siret,
      case when own then contract_number end as contract_number,
      case when own then nature end as nature,
      case when own then public_scheme end as public_scheme,
      case when own then scheme_complement end as scheme_complement,
      case when kind <> 'contract' or own then reason end as reason,
      start_date, end_date, end_known, (end_date - start_date + 1)::int as days
    from entries
    where end_date >= ${passStart}::date and end_date >= start_date
    order by start_date, rank, end_date`.execute(db);
}

const OTHER_EMPLOYER = {
  other_siae: { employerLabel: 'Autre SIAE', contract: 'Contrat dans une autre SIAE' },
  other_employer: { employerLabel: 'Autre employeur', contract: 'Contrat chez un autre employeur' },
} as const;

function toTimelineEntry(r: TimelineRow): TimelineEntry {
  const employer = r.own ? 'own' : r.iae ? 'other_siae' : 'other_employer';
  const label =
    r.kind === 'stoppage'
      ? stoppageReasonLabel(r.reason ?? '')
      : r.kind === 'suspension'
        ? suspensionReasonLabel(r.reason ?? '')
        : employer === 'own'
          ? contractLabel(r.nature ?? '', r.public_scheme)
          : OTHER_EMPLOYER[employer].contract;
  return {
    kind: r.kind,
    label,
    employer,
    employerLabel: employer === 'own' ? 'Votre structure' : OTHER_EMPLOYER[employer].employerLabel,
    siret: r.siret,
    contractNumber: r.contract_number,
    siaeKind: r.scheme_complement ? siaeKindLabel(r.scheme_complement) : null,
    reasonCode: r.kind === 'contract' ? null : r.reason,
    endReason: r.kind === 'contract' && r.reason ? endReasonLabel(r.reason) : null,
    startDate: r.start_date,
    endDate: r.end_date,
    endKnown: r.end_known,
    days: r.days,
  };
}

/**
 * One PASS with its months and its timeline; null when the PASS is unknown or belongs to a structure outside
 * structureSirets: the caller answers both the same way (404), so that existence is never revealed.
 */
export async function participantDetail(db: Db, structureSirets: readonly string[], passNumber: string): Promise<ParticipantDetail | null> {
  if (structureSirets.length === 0) return null;
  const tdb = db.withTables<ParticipantTables>();
  const pass = await selectParticipant(tdb, structureSirets)
    .where('p.pass_number', '=', normalisePassNumber(passNumber))
    .executeTakeFirst();
  if (!pass) return null;
  const [months, timeline] = await Promise.all([
    tdb
      .selectFrom('iae_pass_months')
      .where('pass_number', '=', pass.passNumber)
      .select([
        'month',
        'hours_structure as hoursHere',
        'hours_other_siae as hoursOtherSiae',
        'stoppage_reasons as stoppageReasons',
        'suspension_reasons as suspensionReasons',
      ])
      .orderBy('month')
      .execute(),
    readTimeline(tdb, pass.personKey, pass.startDate, structureSirets),
  ]);
  return {
    participant: { ...toRow(pass), passEndDate: pass.passEndDate },
    months: months.map(toMonth),
    timeline: timeline.rows.map(toTimelineEntry),
  };
}

/** Writes that a user saw a named person's PASS; the person is read from the PASS when not given. */
export async function recordParticipantView(db: Db, view: { userId: number; passNumber: string; personKey?: Buffer }): Promise<void> {
  const passNumber = normalisePassNumber(view.passNumber);
  const tdb = db.withTables<ParticipantTables>();
  await tdb
    .insertInto('audit_log')
    .values((eb) => ({
      user_id: view.userId,
      action: PARTICIPANT_VIEW_ACTION,
      pass_number: passNumber,
      person_key: view.personKey ?? eb.selectFrom('iae_passes').where('pass_number', '=', passNumber).select('person_key'),
    }))
    .execute();
}

/** The latest audit rows, newest first, for one PASS and/or one user. */
export async function listAudit(db: Db, options: { passNumber?: string; userId?: number; limit: number }): Promise<AuditEntry[]> {
  let query = db
    .withTables<ParticipantTables>()
    .selectFrom('audit_log')
    .select(['id', 'at', 'user_id as userId', 'action', 'pass_number as passNumber', 'detail']);
  if (options.passNumber !== undefined) query = query.where('pass_number', '=', normalisePassNumber(options.passNumber));
  if (options.userId !== undefined) query = query.where('user_id', '=', options.userId);
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}
