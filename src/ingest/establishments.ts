import type pg from 'pg';
import { IN_RUN, monthBounds, newer } from './run-scope.js';

const ESTABLISHMENT_ATTRIBUTES = ['siren', 'naf_code', 'company_naf_code', 'postal_code', 'town'];
const PLACE_ATTRIBUTES = ['commune_insee_code', 'departement_code', 'region_code', 'placement'];
const normalizedName = (column: string) =>
  `upper(translate(${column}, 'àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ-''', 'aaaeeeeiioouuucAAAEEEEIIOOUUUC  '))`;

// The commune comes from the postal code; the town label picks among communes sharing it, else the largest.
// A postal code the reference lacks (CEDEX, 69000) gives its département (departement_of_postal_code), and the
// commune of that département whose name has the town label's key when exactly one has it.
export const RESOLVE_ESTABLISHMENTS = `
  insert into establishments (siret, ${ESTABLISHMENT_ATTRIBUTES.join(', ')}, ${PLACE_ATTRIBUTES.join(', ')},
    first_declared_month, last_declared_month)
  select s.siret, ${ESTABLISHMENT_ATTRIBUTES.map((c) => `s.${c}`).join(', ')},
    coalesce(commune.insee_code, fallback.insee_code),
    coalesce(commune.departement_code, fallback.departement_code),
    coalesce(commune.region_code, fallback.region_code),
    case
      when commune.insee_code is not null then 'code_postal'
      when fallback.insee_code is not null then 'localite'
      when fallback.departement_code is not null then 'departement'
    end,
    s.first_month, s.declared_month
  from (
    select distinct on (siret) *, min(declared_month) over (partition by siret) as first_month
    from declarations
    where id ${IN_RUN} and replaced_by is null and siren is not null
    order by siret, declared_month desc, id desc
  ) s
  left join lateral (
    select c.insee_code, c.departement_code, c.region_code
    from commune_postal_codes p join communes c using (insee_code)
    where p.postal_code = s.postal_code
    order by ${normalizedName('c.name')} = ${normalizedName('s.town')} desc, c.population desc nulls last
    limit 1
  ) commune on true
  -- limit 1 keeps this subquery whole, so its outer-only condition gates it: establishments placed above skip it.
  left join lateral (
    select d.code as departement_code, d.region_code, (
      select min(c.insee_code) from communes c
      where c.departement_code = d.code and town_key(c.name) = town_key(s.town)
      having count(*) = 1
    ) as insee_code
    from departements d
    where commune.insee_code is null and d.code = departement_of_postal_code(s.postal_code)
    limit 1
  ) fallback on true
  on conflict (siret) do update set
    ${[...ESTABLISHMENT_ATTRIBUTES, ...PLACE_ATTRIBUTES].map((c) => newer('establishments', c)).join(',\n    ')},
    ${monthBounds('establishments')}`;

/** Establishments of a run's declarations placed without their postal code (by town or département) or not at all. */
export async function countRunPlacements(client: pg.PoolClient, runId: number): Promise<{ placedByFallback: number; unplaced: number }> {
  const { rows } = await client.query<{ placedByFallback: number; unplaced: number }>(
    `select count(*) filter (where placement in ('localite', 'departement'))::int as "placedByFallback",
       count(*) filter (where placement is null)::int as unplaced
     from establishments
     where siret in (select siret from declarations where run_id = $1)`,
    [runId],
  );
  return rows[0] ?? { placedByFallback: 0, unplaced: 0 };
}
