import type pg from 'pg';
import { RESOLVE_ESTABLISHMENTS } from './establishments.js';
import { resolveIdentities } from './identities.js';
import { COLUMNS } from './rows.js';
import { IN_RUN, monthBounds, newer } from './run-scope.js';
import { RUN_LOCK_SPACE } from './runs.js';

// Each resolved fact is the latest observation (by declared month, then load order) among the declarations
// still in force. Facts are resolved once per run, not per batch: a contract seen in 24 monthly declarations
// is written once. The run's declarations are its own and those of every dead run (marked running, its lock
// free: killed before it finished), so that the next ingest after a crash completes the work, plus the earlier
// declarations they replaced or cancelled. A dead run is then closed as interrupted, in the same transaction.
// The CASE keeps the lock attempt to other running DSN runs; the attempt's lock ends with the transaction.
const COLLECT_DEAD_RUNS = (runId: number) => `
  create temp table dead_runs on commit drop as
  select id from ingest_runs
  where case when kind = 'dsn' and status = 'running' and id <> ${runId}
    then pg_try_advisory_xact_lock(${RUN_LOCK_SPACE}, id::int) else false end`;
const RUNNING = (runId: number) => `select ${runId} union all select id from dead_runs`;
const COLLECT_RUN_DECLARATIONS = (runId: number) => `
  create temp table run_declarations on commit drop as
  select id from declarations where run_id in (${RUNNING(runId)})
  union
  select id from declarations where replaced_by in (select id from declarations where run_id in (${RUNNING(runId)}));
  analyze run_declarations;
  create temp table run_contracts on commit drop as
  select distinct contract_key from declared_contracts where declaration_id in (select id from run_declarations);
  analyze run_contracts`;
const CLOSE_DEAD_RUNS = `
  update ingest_runs r set status = 'interrupted',
    declarations = (select count(*)::int from declarations d where d.run_id = r.id)
  where r.id in (select id from dead_runs)`;
// After identities are resolved, which may widen the run to declarations of other establishments.
const COLLECT_RUN_COVERAGE = `
  -- The last month each establishment of the run declared, for the implicit end of a contract it stopped
  -- declaring: read by the contracts and by the end dates.
  create temp table run_coverage on commit drop as
  select d.siret, max(d.declared_month) as last_month
  from declarations d
  where d.nature in ('01', '09') and d.type <> '04' and d.replaced_by is null
    and d.siret in (select siret from declarations where id in (select id from run_declarations))
  group by d.siret`;

// Every declared column but the two keys: person, establishment, number, start and the contract's terms.
const CONTRACT_ATTRIBUTES = COLUMNS.contracts.filter((c) => c !== 'declaration_id' && c !== 'contract_key');

const PERSON_ATTRIBUTES = COLUMNS.persons.filter((c) => c !== 'declaration_id' && c !== 'person_key');
// The latest observation is found on narrow rows (key, month, declaration) by one hash aggregate, then
// read whole: sorting every wide declared row costs several times more on a large run.
const LATEST = `max(array[d.declared_month - date '2000-01-01', d.id])`;

const RESOLVE_PERSONS = `
  with latest as (
    select p.person_key, min(d.declared_month) as first_month, max(d.declared_month) as last_month, ${LATEST} as latest
    from declared_persons p
    join declarations d on d.id = p.declaration_id and d.replaced_by is null
    where p.declaration_id ${IN_RUN}
    group by p.person_key
  )
  insert into persons (person_key, ${PERSON_ATTRIBUTES.join(', ')}, first_declared_month, last_declared_month)
  select l.person_key, ${PERSON_ATTRIBUTES.map((c) => `p.${c}`).join(', ')}, l.first_month, l.last_month
  from latest l join declared_persons p on p.declaration_id = l.latest[2] and p.person_key = l.person_key
  on conflict (person_key) do update set
    ${PERSON_ATTRIBUTES.map((c) => newer('persons', c)).join(',\n    ')},
    ${monthBounds('persons')}`;

const set = (columns: string[]) => columns.map((c) => `${c} = excluded.${c}`).join(', ');

// A contract ends at its declared end (`e`, contract_ends); else, when its establishment declared 3 more months
// without it (`v`, run_coverage), at the end of its last declared month.
const endDate = (lastMonth: string) => `case
    when e.end_date is not null then e.end_date
    when v.last_month >= ${lastMonth} + interval '3 months' then (${lastMonth} + interval '1 month' - interval '1 day')::date
  end`;
const endKind = (lastMonth: string) => `case
    when e.end_date is not null then 'declared'
    when v.last_month >= ${lastMonth} + interval '3 months' then 'implicit'
  end`;

// Contracts after their ends (RESOLVE_ENDS): each is written once, its end date with it.
const RESOLVE_CONTRACTS = `
  with latest as (
    select o.contract_key, min(d.declared_month) as first_month, max(d.declared_month) as last_month, ${LATEST} as latest
    from declared_contracts o
    join declarations d on d.id = o.declaration_id and d.replaced_by is null
    where o.contract_key in (select contract_key from run_contracts)
    group by o.contract_key
  ), resolved as (
    insert into contracts (contract_key, ${CONTRACT_ATTRIBUTES.join(', ')}, first_declared_month, last_declared_month,
      declaration_id, end_date, end_kind)
    select l.contract_key, ${CONTRACT_ATTRIBUTES.map((c) => `o.${c}`).join(', ')}, l.first_month, l.last_month,
      o.declaration_id, ${endDate('l.last_month')}, ${endKind('l.last_month')}
    from latest l
    join declared_contracts o on o.contract_key = l.contract_key and o.declaration_id = l.latest[2]
    left join contract_ends e on e.contract_key = l.contract_key
    left join run_coverage v on v.siret = o.siret
    on conflict (contract_key) do update set ${set(CONTRACT_ATTRIBUTES)},
      first_declared_month = excluded.first_declared_month, last_declared_month = excluded.last_declared_month,
      declaration_id = excluded.declaration_id, end_date = excluded.end_date, end_kind = excluded.end_kind
    returning contract_key
  )
  delete from contracts c using run_contracts k
  where c.contract_key = k.contract_key and not exists (select 1 from resolved r where r.contract_key = k.contract_key)`;

/** Ends, stoppages and suspensions: the latest observation wins, and a cancelling reason removes the fact. */
function resolveEvents(table: string, declared: string, identity: string[], attributes: string[], cancelReason: string): string {
  const id = identity.join(', ');
  return `
    with keys as (
      select distinct ${id} from ${declared} where declaration_id ${IN_RUN}
    ), latest as (
      select distinct on (${id}) o.*
      from keys k
      join ${declared} o using (${id})
      join declarations d on d.id = o.declaration_id and d.replaced_by is null
      order by ${id}, d.declared_month desc, o.declaration_id desc
    ), gone as (
      delete from ${table} t using keys k
      where ${identity.map((c) => `t.${c} = k.${c}`).join(' and ')}
        and not exists (
          select 1 from latest l where ${identity.map((c) => `l.${c} = k.${c}`).join(' and ')} and l.reason <> '${cancelReason}'
        )
    )
    insert into ${table} (${id}, person_key, ${attributes.join(', ')})
    select ${id}, person_key, ${attributes.join(', ')} from latest where reason <> '${cancelReason}'
    on conflict (${id}) do update set person_key = excluded.person_key, ${set(attributes)}`;
}

const RESOLVE_ENDS = resolveEvents('contract_ends', 'declared_contract_ends', ['contract_key'], ['end_date', 'reason'], '099');
const RESOLVE_STOPPAGES = resolveEvents(
  'work_stoppages',
  'declared_work_stoppages',
  ['contract_key', 'last_worked_date'],
  ['reason', 'planned_end_date', 'return_date'],
  '99',
);
const RESOLVE_SUSPENSIONS = resolveEvents(
  'suspensions',
  'declared_suspensions',
  ['contract_key', 'start_date'],
  ['reason', 'end_date'],
  '998',
);

// Contracts the run did not declare, at establishments it did: their implicit ends may have come.
const RESOLVE_END_DATES = `
  with resolved as (
    select c.contract_key, ${endDate('c.last_declared_month')} as end_date, ${endKind('c.last_declared_month')} as end_kind
    from contracts c
    join run_coverage v on v.siret = c.siret
    left join contract_ends e on e.contract_key = c.contract_key
  )
  update contracts c set end_date = r.end_date, end_kind = r.end_kind
  from resolved r
  where r.contract_key = c.contract_key
    and (c.end_date is distinct from r.end_date or c.end_kind is distinct from r.end_kind)`;

// A cancelled declaration may leave persons with nothing else known about them.
const FORGET_ORPHAN_PERSONS = `
  delete from persons p
  where p.person_key in (
      select o.person_key from declared_contracts o join declarations d on d.id = o.declaration_id
      where d.id ${IN_RUN} and d.replaced_by is not null
    )
    and not exists (select 1 from contracts c where c.person_key = p.person_key)
    and not exists (select 1 from programme_enrolments e where e.person_key = p.person_key)
    and not exists (select 1 from iae_passes i where i.person_key = p.person_key)`;

/** Persons, establishments, contracts, ends, stoppages, suspensions and end dates of the declarations the run and dead runs touched. */
export async function resolveRunFacts(client: pg.PoolClient, runId: number): Promise<void> {
  await client.query('begin');
  try {
    // Aggregates over a whole run's declared rows stay in memory instead of spilling to disk.
    await client.query(`select pg_advisory_xact_lock(hashtext('sillage-ingest')); set local work_mem = '64MB'`);
    await client.query(COLLECT_DEAD_RUNS(runId));
    await client.query(COLLECT_RUN_DECLARATIONS(runId));
    await resolveIdentities(client);
    await client.query(COLLECT_RUN_COVERAGE);
    for (const statement of [
      RESOLVE_PERSONS,
      RESOLVE_ESTABLISHMENTS,
      RESOLVE_ENDS,
      RESOLVE_CONTRACTS,
      RESOLVE_STOPPAGES,
      RESOLVE_SUSPENSIONS,
      RESOLVE_END_DATES,
    ]) {
      await client.query(statement);
    }
    await client.query(FORGET_ORPHAN_PERSONS);
    await client.query(CLOSE_DEAD_RUNS);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
