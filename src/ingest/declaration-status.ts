import type pg from 'pg';

export type StatusChanges = { replaced: number; cancelled: number };

// For one SIRET, month, fraction and subject (the monthly declaration, or one signalement's event), the
// declaration in force is the latest cancel-and-replace, cancel (types 03, 04, 05) or substitution (nature 09)
// if any, else the latest normal one: so a replacement that arrives before its original still wins. Every
// other declaration of that identity points to it through replaced_by.
const RESOLVE_STATUSES = `
  with touched as (
    select distinct siret, declared_month, fraction, subject from declarations where id = any($1::bigint[])
  ), ranked as (
    select d.id, d.replaced_by as previous,
      first_value(d.id) over (
        partition by d.siret, d.declared_month, d.fraction, d.subject
        order by (d.type in ('03', '04', '05') or d.nature = '09') desc, d.id desc
      ) as winner
    from declarations d join touched t using (siret, declared_month, fraction, subject)
  ), changed as (
    update declarations d set replaced_by = nullif(r.winner, d.id)
    from ranked r
    where r.id = d.id and d.replaced_by is distinct from nullif(r.winner, d.id)
    returning d.id, d.replaced_by, r.previous
  )
  select c.id, c.previous is null and c.replaced_by is not null as superseded, w.type as winner_type
  from changed c left join declarations w on w.id = c.replaced_by`;

export async function resolveDeclarationStatuses(client: pg.PoolClient, declarationIds: number[]): Promise<StatusChanges> {
  const { rows } = await client.query<{ id: number; superseded: boolean; winner_type: string | null }>(RESOLVE_STATUSES, [declarationIds]);
  const superseded = rows.filter((row) => row.superseded);
  return {
    replaced: superseded.filter((row) => row.winner_type !== '04').length,
    cancelled: superseded.filter((row) => row.winner_type === '04').length,
  };
}
