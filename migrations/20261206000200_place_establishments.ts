import { type Kysely, sql } from 'kysely';

// Establishments whose postal code the communes reference does not know (CEDEX, generic codes such as 69000)
// are placed from the postal code's département and their town label; `placement` says how each one was placed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table establishments add column placement text
      check (placement in ('code_postal', 'localite', 'departement'));

    -- The département of a postal code's prefix, null when the reference has no such département (00000, 98000 Monaco).
    -- Immutable although it reads departements: reference data, loaded once and never changed.
    create function departement_of_postal_code(postal_code text) returns text language sql immutable parallel safe
      return (
        select code from departements
        where code = case
          when postal_code !~ '^[0-9]{5}$' then null
          -- Saint-Barthélemy and Saint-Martin kept Guadeloupe's prefix but are the collectivités 977 and 978.
          when postal_code = '97133' then '977'
          when postal_code = '97150' then '978'
          -- Overseas: 3 digits, the départements 971 to 976 and the collectivités the reference lists (975, 984 to 988).
          when postal_code ~ '^9[78]' then left(postal_code, 3)
          -- Corsica: the reference puts every 200xx and 201xx code in 2A, every 202xx and 206xx in 2B.
          when postal_code ~ '^20' then case when postal_code < '20200' then '2A' else '2B' end
          else left(postal_code, 2)
        end
      );

    -- A town label or commune name for comparison: 'Saint-Étienne' and 'ST ETIENNE CEDEX 1' are both SAINT ETIENNE.
    -- Accents are translated in both cases because upper() of an accented letter depends on the server's locale.
    -- A bracketed qualifier goes: INSEE's two 'Castillon (Canton de …)' are both CASTILLON, as a town label would say.
    create function town_key(town text) returns text language sql immutable parallel safe
      return btrim(
        regexp_replace(regexp_replace(regexp_replace(regexp_replace(
          regexp_replace(
            upper(replace(replace(replace(replace(
              translate(regexp_replace(town, '\\([^)]*\\)', '', 'g'),
                'àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ',
                'aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUYY'),
              'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')),
            '[^A-Z0-9]+', ' ', 'g'),
          '\\mCEDEX.*$', ''),
          ' [0-9]{1,2} ?(E|ER|ERE|EME)?( ARRONDISSEMENT)? ?$', ''),
          '\\mST\\M', 'SAINT', 'g'),
          '\\mSTE\\M', 'SAINTE', 'g')
      );

    -- The fallback looks a town up among the communes of one département.
    create index communes_town_key on communes (departement_code, town_key(name));

    -- Establishments resolved before: a commune came from the postal code; the others are placed as an ingest would.
    update establishments set placement = 'code_postal' where commune_insee_code is not null;
    update establishments e set departement_code = d.code, region_code = d.region_code, placement = 'departement'
    from departements d
    where e.commune_insee_code is null and d.code = departement_of_postal_code(e.postal_code);
    update establishments e set commune_insee_code = m.insee_code, placement = 'localite'
    from (
      select e.siret, min(c.insee_code) as insee_code
      from establishments e join communes c on c.departement_code = e.departement_code and town_key(c.name) = town_key(e.town)
      where e.placement = 'departement'
      group by e.siret having count(*) = 1
    ) m
    where m.siret = e.siret;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update establishments set commune_insee_code = null, departement_code = null, region_code = null
    where placement in ('localite', 'departement');
    alter table establishments drop column placement;
    drop index communes_town_key;
    drop function town_key(text), departement_of_postal_code(text);
  `.execute(db);
}
