import type pg from 'pg';
import { COLUMNS } from './rows.js';

// Each resolved fact is the latest observation (by declared month, then load order) among the declarations
// still in force. Facts are resolved once per run, not per batch: a contract seen in 24 monthly declarations
// is written once. The run's declarations are those of every run still marked running (this one, and any
// run killed before it finished, so that a re-run after a crash completes the work), plus the earlier
// declarations they replaced or cancelled.
const RUNNING = `select id from ingest_runs where kind = 'dsn' and status = 'running'`;
const COLLECT_RUN_DECLARATIONS = `
  create temp table run_declarations on commit drop as
  select id from declarations where run_id in (${RUNNING})
  union
  select id from declarations where replaced_by in (select id from declarations where run_id in (${RUNNING}));
  analyze run_declarations`;
const IN_RUN = 'in (select id from run_declarations)';

// Every declared column but the two keys: person, establishment, number, start and the contract's terms.
const CONTRACT_ATTRIBUTES = COLUMNS.contracts.filter((c) => c !== 'declaration_id' && c !== 'contract_key');

const set = (columns: string[]) => columns.map((c) => `${c} = excluded.${c}`).join(', ');

const RESOLVE_CONTRACTS = `
  with keys as (
    select distinct contract_key from declared_contracts where declaration_id ${IN_RUN}
  ), observed as (
    select o.*, d.declared_month
    from keys k
    join declared_contracts o using (contract_key)
    join declarations d on d.id = o.declaration_id and d.replaced_by is null
  ), bounds as (
    select contract_key, min(declared_month) as first_month, max(declared_month) as last_month
    from observed group by contract_key
  ), latest as (
    select distinct on (contract_key) * from observed order by contract_key, declared_month desc, declaration_id desc
  ), gone as (
    delete from contracts c using keys k
    where c.contract_key = k.contract_key and not exists (select 1 from bounds b where b.contract_key = k.contract_key)
  )
  insert into contracts (contract_key, ${CONTRACT_ATTRIBUTES.join(', ')}, first_declared_month, last_declared_month, declaration_id)
  select l.contract_key, ${CONTRACT_ATTRIBUTES.map((c) => `l.${c}`).join(', ')}, b.first_month, b.last_month, l.declaration_id
  from latest l join bounds b using (contract_key)
  on conflict (contract_key) do update set ${set(CONTRACT_ATTRIBUTES)},
    first_declared_month = excluded.first_declared_month, last_declared_month = excluded.last_declared_month,
    declaration_id = excluded.declaration_id`;

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

// A contract no longer declared while its establishment keeps declaring 3 more months ended at its last month.
const RESOLVE_END_DATES = `
  with sirets as (
    select distinct siret from declarations where id ${IN_RUN}
  ), coverage as (
    select d.siret, max(d.declared_month) as last_month
    from declarations d join sirets using (siret)
    where d.nature = '01' and d.type <> '04' and d.replaced_by is null
    group by d.siret
  ), resolved as (
    select c.contract_key,
      case
        when e.end_date is not null then e.end_date
        when v.last_month >= c.last_declared_month + interval '3 months'
          then (c.last_declared_month + interval '1 month' - interval '1 day')::date
      end as end_date,
      case
        when e.end_date is not null then 'declared'
        when v.last_month >= c.last_declared_month + interval '3 months' then 'implicit'
      end as end_kind
    from contracts c
    join coverage v on v.siret = c.siret
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

/** Contracts, ends, stoppages, suspensions and end dates of the declarations the running runs touched. */
export async function resolveRunFacts(client: pg.PoolClient): Promise<void> {
  await client.query('begin');
  try {
    await client.query(`select pg_advisory_xact_lock(hashtext('sillage-ingest'))`);
    await client.query(COLLECT_RUN_DECLARATIONS);
    for (const statement of [RESOLVE_CONTRACTS, RESOLVE_ENDS, RESOLVE_STOPPAGES, RESOLVE_SUSPENSIONS, RESOLVE_END_DATES]) {
      await client.query(statement);
    }
    await client.query(FORGET_ORPHAN_PERSONS);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
