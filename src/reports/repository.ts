import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { OutcomeCounts } from '../outcomes/measures.js';
import { protectLines } from '../outcomes/measures.js';
import { COUNTS, type CountsRow, exitsInScope, NO_EXITS, type ProgrammeOutcomeView, toCounts } from '../outcomes/queries.js';
import { type OutcomeLine, type OutcomesTable, programmeLabel, type TerritoryLevel } from '../outcomes/repository.js';
import { SECRET_THRESHOLD } from '../outcomes/secret.js';
import type { TerritoryScope } from '../outcomes/territory.js';
import { ALERT_LABELS, type ParticipantAlert } from '../participants/labels.js';
import type { ParticipantTables } from '../participants/tables.js';
import type { ReportPeriod } from './period.js';

// The figures of the automated reports. A structure's report reads only the rows of the SIRETs it is given (names
// included: they are its own people); a funder's report reads aggregates of its territory, the secret applied.

type Tables = Database & ParticipantTables & { programme_outcomes: ProgrammeOutcomeView };
type Db = Kysely<Database>;

export type AlertedPerson = { passNumber: string; name: string; alert: ParticipantAlert; alertLabel: string };
export type ExitPerson = {
  name: string;
  programme: string;
  exitDate: string;
  /** `null`: not yet observable (the DSN does not cover that month yet). */
  m6: ExitStatus | null;
  m12: ExitStatus | null;
};
export type ExitStatus = 'durable' | 'transition' | 'in_programme' | 'none';
/** Counts of a structure's exits; a rate only from SECRET_THRESHOLD observable exits, too unstable below. */
export type ExitHorizon = {
  observable: number;
  employed: number;
  durable: number;
  employedRate: number | null;
  durableRate: number | null;
};
export type ExitSummaryLine = { programme: string | null; label: string; exits: number; m6: ExitHorizon; m12: ExitHorizon };

export type StructureReport = {
  participants: { present: number; entries: number; exits: number };
  hours: { total: number; months: { month: string; hours: number }[] };
  alerts: { passes: number; counts: Record<ParticipantAlert, number>; people: AlertedPerson[] };
  exits: { people: ExitPerson[]; lines: ExitSummaryLine[]; total: ExitSummaryLine };
};

const sirets = (list: readonly string[]) => sql`${[...list]}::text[]`;

async function participantCounts(db: Kysely<Tables>, list: readonly string[], period: ReportPeriod) {
  const { rows } = await sql<StructureReport['participants']>`
    with spells as (
      select person_key, start_date as entry_date, end_date as exit_date from iae_passes where structure_siret = any(${sirets(list)})
      union all
      select person_key, entry_date, exit_date from programme_enrolments where structure_siret = any(${sirets(list)})
    )
    select
      (count(distinct person_key) filter (where entry_date < ${period.to}::date
        and (exit_date is null or exit_date >= ${period.from}::date)))::int as present,
      (count(distinct person_key) filter (where entry_date >= ${period.from}::date and entry_date < ${period.to}::date))::int as entries,
      (count(distinct person_key) filter (where exit_date >= ${period.from}::date and exit_date < ${period.to}::date))::int as exits
    from spells`.execute(db);
  return rows[0] as StructureReport['participants'];
}

async function hoursWorked(db: Kysely<Tables>, list: readonly string[], period: ReportPeriod) {
  const { rows } = await sql<{ month: string | null; hours: number }>`
    select to_char(g.month, 'YYYY-MM-DD') as month, coalesce(sum(m.hours_structure), 0)::float8 as hours
    from generate_series(${period.from}::date, ${period.to}::date - interval '1 month', interval '1 month') g(month)
    left join iae_pass_months m on m.month = g.month::date and m.structure_siret = any(${sirets(list)})
    group by grouping sets ((g.month), ())
    order by g.month nulls last`.execute(db);
  const months = rows.filter((row) => row.month !== null).map((row) => ({ month: row.month as string, hours: row.hours }));
  return { total: rows.find((row) => row.month === null)?.hours ?? 0, months };
}

/**
 * iae_pass_counters' alert rules, applied to the months up to the end of the period only: the alerts as they stood
 * then. For the latest declared month they are the counters' own alerts (a test checks it).
 */
async function alertsAtEnd(db: Kysely<Tables>, list: readonly string[], period: ReportPeriod): Promise<StructureReport['alerts']> {
  const { rows } = await sql<{ alert: ParticipantAlert | null; all_alerts: number; passes: number; people: AlertedPerson[] | null }>`
    with months as (
      select pass_number, month, hours_structure + hours_other_siae as hours,
        cardinality(stoppage_reasons) + cardinality(suspension_reasons) > 0 as explained,
        max(month) over (partition by pass_number) as last_month
      from iae_pass_months
      where structure_siret = any(${sirets(list)}) and month < ${period.to}::date
    ), counted as (
      select p.pass_number, p.start_date, c.budget_hours,
        coalesce(p.last_name, ps.last_name) as last_name,
        case when p.last_name is not null then p.first_names else ps.first_names end as first_names,
        coalesce(sum(m.hours), 0) as hours_worked,
        count(m.month) filter (where m.hours <= 0)::int as months_without_hours,
        max(m.month) as last_month,
        count(*) filter (where m.month >= m.last_month - interval '1 month' and m.hours <= 0 and not m.explained) = 2 as silent
      from iae_passes p
      join iae_pass_counters c using (pass_number)
      left join persons ps on ps.person_key = p.person_key
      left join months m on m.pass_number = p.pass_number
      where p.structure_siret = any(${sirets(list)}) and p.start_date < ${period.to}::date
        and (p.end_date is null or p.end_date >= ${period.from}::date)
      group by p.pass_number, p.start_date, c.budget_hours, p.last_name, p.first_names, ps.last_name, ps.first_names
    ), judged as (
      select *, case
          when budget_hours - hours_worked <= 0 then 'budget_exhausted'
          when silent then 'no_hours_2_months'
          when (start_date + (24 + months_without_hours) * interval '1 month' - interval '1 day')::date
            < last_month + interval '4 months' then 'ending_soon'
        end as alert
      from counted
    )
    select alert, grouping(alert)::int as all_alerts, count(*)::int as passes,
      json_agg(json_build_object('passNumber', pass_number, 'name', concat_ws(' ', last_name, first_names), 'alert', alert)
        order by last_name collate "fr-x-icu", first_names collate "fr-x-icu", pass_number) filter (where alert is not null) as people
    from judged
    group by grouping sets ((alert), ())`.execute(db);
  const count = (alert: ParticipantAlert) => rows.find((row) => !row.all_alerts && row.alert === alert)?.passes ?? 0;
  const people = rows.find((row) => row.all_alerts)?.people ?? [];
  return {
    passes: rows.find((row) => row.all_alerts)?.passes ?? 0,
    counts: {
      no_hours_2_months: count('no_hours_2_months'),
      ending_soon: count('ending_soon'),
      budget_exhausted: count('budget_exhausted'),
    },
    people: people.map((person) => ({ ...person, alertLabel: ALERT_LABELS[person.alert] })),
  };
}

function exitsOf(db: Kysely<Tables>, list: readonly string[], period: ReportPeriod) {
  return db
    .selectFrom('programme_outcomes as o')
    .where('o.structure_siret', 'in', list)
    .where('o.exit_date', '>=', period.from)
    .where('o.exit_date', '<', period.to);
}

const status = (horizon: 'm6' | 'm12') =>
  sql<ExitStatus | null>`case
    when o.${sql.raw(`employed_${horizon}`)} is null then null
    when o.${sql.raw(`durable_${horizon}`)} then 'durable'
    when o.${sql.raw(`employed_${horizon}`)} then 'transition'
    when o.${sql.raw(`in_programme_${horizon}`)} then 'in_programme'
    else 'none' end`;

// The register's names first, then the PASS's, then the DSN's.
const registerName = sql<{ last_name: string; first_names: string | null }>`(
  select n.last_name, n.first_names from (
    select e.last_name, e.first_names, 1 as rank from programme_enrolments e
    where e.person_key = o.person_key and e.structure_siret = o.structure_siret and e.programme = o.programme and e.last_name is not null
    union all
    select p.last_name, p.first_names, 2 from iae_passes p
    where p.person_key = o.person_key and p.structure_siret = o.structure_siret and p.last_name is not null
  ) n order by n.rank limit 1)`;

async function exitPeople(db: Kysely<Tables>, list: readonly string[], period: ReportPeriod): Promise<ExitPerson[]> {
  const rows = await exitsOf(db, list, period)
    .leftJoin('persons as ps', 'ps.person_key', 'o.person_key')
    .leftJoinLateral(registerName.as('r'), (join) => join.onTrue())
    .select([
      sql<string>`concat_ws(' ', coalesce(r.last_name, ps.last_name), case when r.last_name is not null then r.first_names else ps.first_names end)`.as(
        'name',
      ),
      'o.programme',
      sql<string>`to_char(o.exit_date, 'YYYY-MM-DD')`.as('exitDate'),
      status('m6').as('m6'),
      status('m12').as('m12'),
    ])
    .orderBy('o.exit_date')
    .orderBy(sql`coalesce(r.last_name, ps.last_name) collate "fr-x-icu"`)
    .execute();
  return rows.map((row) => ({ ...row, programme: programmeLabel(row.programme) }));
}

function summaryHorizon(counts: OutcomeCounts['m6']): ExitHorizon {
  const rate = (n: number) => (counts.observable >= SECRET_THRESHOLD ? n / counts.observable : null);
  return {
    observable: counts.observable,
    employed: counts.employed,
    durable: counts.durable,
    employedRate: rate(counts.employed),
    durableRate: rate(counts.durable),
  };
}

async function exitSummary(db: Kysely<Tables>, list: readonly string[], period: ReportPeriod) {
  const rows = await exitsOf(db, list, period)
    .select(['o.programme', sql<number>`grouping(o.programme)::int`.as('all_programmes'), ...COUNTS])
    .groupBy(sql`grouping sets ((o.programme), ())`)
    .orderBy('o.programme')
    .execute();
  const line = (programme: string | null, counts: OutcomeCounts): ExitSummaryLine => ({
    programme,
    label: programme === null ? 'Ensemble' : programmeLabel(programme),
    exits: counts.exits,
    m6: summaryHorizon(counts.m6),
    m12: summaryHorizon(counts.m12),
  });
  const total = rows.find((row) => row.all_programmes);
  return {
    lines: rows.filter((row) => !row.all_programmes).map((row) => line(row.programme, toCounts(row))),
    total: line(null, total ? toCounts(total) : NO_EXITS),
  };
}

/** A structure's report over its own SIRETs: empty figures when it has none. */
export async function structureReport(db: Db, structureSirets: readonly string[], period: ReportPeriod): Promise<StructureReport> {
  const tdb = db.withTables<ParticipantTables & { programme_outcomes: ProgrammeOutcomeView }>();
  const list = structureSirets.length === 0 ? [''] : structureSirets;
  const [participants, hours, alerts, people, summary] = await Promise.all([
    participantCounts(tdb, list, period),
    hoursWorked(tdb, list, period),
    alertsAtEnd(tdb, list, period),
    exitPeople(tdb, list, period),
    exitSummary(tdb, list, period),
  ]);
  return { participants, hours, alerts, exits: { people, ...summary } };
}

const GROUP_KEYS: Record<
  'programme' | TerritoryLevel,
  { header: string; key: RawBuilder<string | null>; name: RawBuilder<string | null> }
> = {
  programme: { header: 'Dispositif', key: sql`o.programme`, name: sql`o.programme` },
  region: { header: 'Région', key: sql`e.region_code`, name: sql`r.name` },
  departement: { header: 'Département', key: sql`e.departement_code`, name: sql`d.name` },
  structure: { header: 'Structure', key: sql`o.structure_siret`, name: sql`e.town` },
};

/**
 * Exits of one month in the scope, per programme or territory with a total, protected as one table (the outcomes
 * repository's own tables filter on a quarter or a year only).
 */
export async function monthOutcomes(
  db: Db,
  scope: TerritoryScope,
  period: ReportPeriod,
  by: 'programme' | TerritoryLevel,
): Promise<OutcomesTable<OutcomeLine & { code: string | null }>> {
  const { header, key, name } = GROUP_KEYS[by];
  const rows = (await exitsInScope(db, scope, {})
    .where('o.exit_date', '>=', period.from)
    .where('o.exit_date', '<', period.to)
    .select([key.as('code'), name.as('name'), sql<number>`grouping(${key})::int`.as('is_total'), ...COUNTS])
    .groupBy(sql`grouping sets ((${key}, ${name}), ())`)
    .orderBy(key)
    .execute()) as (CountsRow & { code: string | null; name: string | null; is_total: number })[];
  const total = rows.find((row) => row.is_total);
  const parts = rows.filter((row) => !row.is_total);
  const measures = protectLines(
    [total ? toCounts(total) : NO_EXITS, ...parts.map(toCounts)],
    [{ total: 0, parts: parts.map((_, i) => i + 1) }],
  );
  const label = (row: { code: string | null; name: string | null }) => {
    if (row.code === null) return 'Territoire non renseigné';
    if (by === 'programme') return programmeLabel(row.code);
    if (by === 'structure') return row.name ? `${row.name} (SIRET ${row.code})` : `SIRET ${row.code}`;
    return row.name ?? row.code;
  };
  return {
    dimensions: [header],
    lines: parts.map((row, i) => ({ code: row.code, labels: [label(row)], ...measures[i + 1] }) as OutcomeLine & { code: string | null }),
    total: { code: null, labels: ['Ensemble'], ...measures[0] } as OutcomeLine & { code: string | null },
  };
}

/** Writes that a user opened a report naming people: one audit row for the report, with its period. */
export async function recordReportView(db: Db, view: { userId: number; report: string; period: string; people: number }): Promise<void> {
  await db
    .withTables<ParticipantTables>()
    .insertInto('audit_log')
    .values({
      user_id: view.userId,
      action: 'report_view',
      detail: JSON.stringify({ report: view.report, period: view.period, people: view.people }),
    })
    .execute();
}
