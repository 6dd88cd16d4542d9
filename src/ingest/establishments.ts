import { IN_RUN, monthBounds, newer } from './run-scope.js';

const ESTABLISHMENT_ATTRIBUTES = ['siren', 'naf_code', 'company_naf_code', 'postal_code', 'town'];
const COMMUNE_ATTRIBUTES = ['commune_insee_code', 'departement_code', 'region_code'];
const normalizedName = (column: string) =>
  `upper(translate(${column}, 'àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ-''', 'aaaeeeeiioouuucAAAEEEEIIOOUUUC  '))`;

// The commune comes from the postal code; the town label picks among communes sharing it, else the largest.
export const RESOLVE_ESTABLISHMENTS = `
  insert into establishments (siret, ${ESTABLISHMENT_ATTRIBUTES.join(', ')}, ${COMMUNE_ATTRIBUTES.join(', ')},
    first_declared_month, last_declared_month)
  select s.siret, ${ESTABLISHMENT_ATTRIBUTES.map((c) => `s.${c}`).join(', ')},
    commune.insee_code, commune.departement_code, commune.region_code, s.first_month, s.declared_month
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
  on conflict (siret) do update set
    ${[...ESTABLISHMENT_ATTRIBUTES, ...COMMUNE_ATTRIBUTES].map((c) => newer('establishments', c)).join(',\n    ')},
    ${monthBounds('establishments')}`;
