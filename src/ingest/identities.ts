import type pg from 'pg';
import { IN_RUN } from './run-scope.js';

// A person whose NIR changed, or whose temporary number (NTT) gave way to the NIR, is one person: every fact
// known under a former key moves to the current key, whatever order the files came in. Links are keys only.

// Links the run's declarations in force declare, each former key to the current key of its target. A link
// between two keys already of one person changes nothing; links are never undone.
const ADD_LINKS = `
  with declared as (
    select distinct on (i.former_key) i.former_key, coalesce(t.person_key, i.person_key) as person_key,
      d.declared_month, d.id as declaration_id
    from declared_identity_changes i
    join declarations d on d.id = i.declaration_id and d.replaced_by is null and d.type <> '04'
    left join person_links t on t.former_key = i.person_key
    where i.declaration_id ${IN_RUN}
    order by i.former_key, d.declared_month desc, d.id desc
  ), fresh as (
    -- A former key already linked elsewhere merges its current person into the new one.
    select coalesce(l.person_key, n.former_key) as former_key, n.person_key, n.declared_month, n.declaration_id
    from declared n left join person_links l on l.former_key = n.former_key
  )
  insert into person_links (former_key, person_key, declared_month, declaration_id)
  select distinct on (former_key) former_key, person_key, declared_month, declaration_id from fresh
  where former_key <> person_key
  order by former_key, declared_month desc, declaration_id desc
  on conflict (former_key) do nothing`;

// Keys that became former keys stop being anyone's current key: their links follow them, until stable.
const FOLLOW_LINKS = `
  update person_links l set person_key = t.person_key
  from person_links t
  where l.person_key = t.former_key and t.person_key <> l.former_key`;
// Two keys declared as each other's former in one run: the later declaration tells which one is current.
const BREAK_CYCLES = `
  delete from person_links l using person_links r
  where l.person_key = r.former_key and r.person_key = l.former_key
    and (l.declared_month, l.declaration_id) < (r.declared_month, r.declaration_id)`;

// Contracts under a former key, resolved by an earlier run or declared by this one, and their new identity.
const COLLECT_MOVES = `
  create temp table moved_contracts on commit drop as
  select distinct c.contract_key as old_key, contract_key_of(c.siret, l.person_key, c.contract_number, c.start_date) as new_key,
    l.person_key
  from person_links l join contracts c on c.person_key = l.former_key
  union
  select distinct o.contract_key, contract_key_of(o.siret, l.person_key, o.contract_number, o.start_date), l.person_key
  from declared_contracts o join person_links l on l.former_key = o.person_key
  where o.declaration_id ${IN_RUN};
  analyze moved_contracts`;

// Declared rows move to the new contract key; a declaration holding the contract under both keys keeps the new one.
const DECLARED_TABLES: [string, string[]][] = [
  ['declared_contracts', []],
  ['declared_contract_ends', []],
  ['declared_work_stoppages', ['last_worked_date']],
  ['declared_suspensions', ['start_date']],
  ['contract_hours', ['month']],
];
const MOVE_DECLARED = DECLARED_TABLES.map(
  ([table, keyColumns]) => `
  delete from ${table} o using moved_contracts m, ${table} k
  where o.contract_key = m.old_key and k.contract_key = m.new_key and k.declaration_id = o.declaration_id
    ${keyColumns.map((c) => `and k.${c} = o.${c}`).join(' ')};
  update ${table} o set contract_key = m.new_key, person_key = m.person_key from moved_contracts m where o.contract_key = m.old_key`,
);

// Declarations that held a moved contract are resolved again with the run; their persons move too.
const WIDEN_RUN = `
  insert into run_declarations
  select distinct o.declaration_id from declared_contracts o join moved_contracts m on m.new_key = o.contract_key
  except select id from run_declarations;
  insert into run_contracts select new_key from moved_contracts except select contract_key from run_contracts;
  delete from declared_persons p using person_links l, declared_persons k
  where p.person_key = l.former_key and p.declaration_id ${IN_RUN} and k.declaration_id = p.declaration_id and k.person_key = l.person_key;
  update declared_persons p set person_key = l.person_key from person_links l
  where p.person_key = l.former_key and p.declaration_id ${IN_RUN}`;

// Facts resolved under a former key are gone; the run resolves them again under the current key.
const FORGET_FORMER = `
  delete from contracts where contract_key in (select old_key from moved_contracts);
  delete from contract_ends where contract_key in (select old_key from moved_contracts);
  delete from work_stoppages where contract_key in (select old_key from moved_contracts);
  delete from suspensions where contract_key in (select old_key from moved_contracts);
  update iae_passes p set person_key = l.person_key from person_links l where p.person_key = l.former_key;
  delete from programme_enrolments e using person_links l, programme_enrolments k
  where e.person_key = l.former_key and k.person_key = l.person_key
    and (k.programme, k.structure_siret, k.entry_date) = (e.programme, e.structure_siret, e.entry_date);
  update programme_enrolments e set person_key = l.person_key from person_links l where e.person_key = l.former_key;
  delete from persons where person_key in (select former_key from person_links)`;

const MAX_CHAIN = 16;

/** Within the run's transaction, after run_declarations and run_contracts are collected, before facts are resolved. */
export async function resolveIdentities(client: pg.PoolClient): Promise<void> {
  const added = await client.query(ADD_LINKS);
  if ((added.rowCount ?? 0) > 0) {
    await client.query(BREAK_CYCLES);
    for (let step = 0; step < MAX_CHAIN; step++) if (((await client.query(FOLLOW_LINKS)).rowCount ?? 0) === 0) break;
  }
  const { rows } = await client.query<{ linked: boolean }>('select exists (select 1 from person_links) as linked');
  if (!rows[0]?.linked) return;
  await client.query(COLLECT_MOVES);
  for (const statement of MOVE_DECLARED) await client.query(statement);
  await client.query(WIDEN_RUN);
  await client.query(FORGET_FORMER);
}
