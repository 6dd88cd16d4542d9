import type pg from 'pg';
import { COLUMNS } from './rows.js';

// Each resolved fact is the latest observation (by declared month, then load order) among the declarations
// still in force.

// Every declared column but the two keys: person, establishment, number, start and the contract's terms.
const CONTRACT_ATTRIBUTES = COLUMNS.contracts.filter((c) => c !== 'declaration_id' && c !== 'contract_key');

const set = (columns: string[]) => columns.map((c) => `${c} = excluded.${c}`).join(', ');

const RESOLVE_CONTRACTS = `
  with keys as (
    select distinct contract_key from declared_contracts where declaration_id = any($1::bigint[])
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

const newerThanStored =
  '(excluded.last_declared_month, excluded.declaration_id) >= (contracts.last_declared_month, contracts.declaration_id)';

// New declarations only add observations: each contract keeps the newer of its stored and its new version.
const ADD_CONTRACT_OBSERVATIONS = `
  insert into contracts (contract_key, ${CONTRACT_ATTRIBUTES.join(', ')}, first_declared_month, last_declared_month, declaration_id)
  select distinct on (o.contract_key) o.contract_key, ${CONTRACT_ATTRIBUTES.map((c) => `o.${c}`).join(', ')},
    min(d.declared_month) over (partition by o.contract_key), d.declared_month, o.declaration_id
  from declared_contracts o
  join declarations d on d.id = o.declaration_id and d.replaced_by is null
  where o.declaration_id = any($1::bigint[])
  order by o.contract_key, d.declared_month desc, o.declaration_id desc
  on conflict (contract_key) do update set
    ${[...CONTRACT_ATTRIBUTES, 'declaration_id']
      .map((c) => `${c} = case when ${newerThanStored} then excluded.${c} else contracts.${c} end`)
      .join(',\n    ')},
    first_declared_month = least(contracts.first_declared_month, excluded.first_declared_month),
    last_declared_month = greatest(contracts.last_declared_month, excluded.last_declared_month)`;

/** Ends, stoppages and suspensions: the latest observation wins, and a cancelling reason removes the fact. */
function resolveEvents(table: string, declared: string, identity: string[], attributes: string[], cancelReason: string): string {
  const id = identity.join(', ');
  return `
    with keys as (
      select distinct ${id} from ${declared} where declaration_id = any($1::bigint[])
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
// Resolved once per run, for the establishments declared by runs still marked running: this one, and any
// run that was killed before it finished, so that a re-run after a crash completes the work.
const RESOLVE_END_DATES = `
  with sirets as (
    select distinct siret from declarations
    where run_id in (select id from ingest_runs where kind = 'dsn' and status = 'running')
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

/**
 * Facts after a batch: the new declarations' observations are added; facts observed in declarations that
 * were replaced or cancelled are recomputed from the declarations still in force.
 */
export async function resolveFacts(client: pg.PoolClient, batchIds: number[], changedIds: number[]): Promise<void> {
  const affected = [...new Set([...batchIds, ...changedIds])];
  await client.query(ADD_CONTRACT_OBSERVATIONS, [batchIds]);
  if (changedIds.length > 0) await client.query(RESOLVE_CONTRACTS, [changedIds]);
  await client.query(RESOLVE_ENDS, [affected]);
  await client.query(RESOLVE_STOPPAGES, [affected]);
  await client.query(RESOLVE_SUSPENSIONS, [affected]);
}

export async function resolveEndDates(client: pg.PoolClient): Promise<void> {
  await client.query(RESOLVE_END_DATES);
}
