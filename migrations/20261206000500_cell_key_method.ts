import { type Kysely, sql } from 'kysely';

// The cell key method (issue 12 groundwork), as statistical offices protect tables built on demand: every
// person-exit has a fixed random record key, a cell's key is the sum of its records' keys modulo 2^32, and a
// perturbation table indexed by the cell's count and key gives its noise. The same set of people always gets
// the same noise, whatever filters built the cell, so differences of published counts give no exact count.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- 32 bits of a hash of the person's key and the exit: the person's key is an HMAC under the secret NIR key,
    -- so a record key cannot be recomputed from anything published.
    create function ckm_record_key(person_key bytea, programme text, structure_siret text, exit_date date) returns bigint
    language sql immutable strict parallel safe
    return ('x' || substr(encode(sha256(person_key || convert_to(
      '|' || programme || '|' || structure_siret || '|' || to_char(exit_date, 'YYYY-MM-DD'), 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint;

    -- The perturbation table: for a count class (1, 2, 3 and more), the noise drawn when the cell key, as a
    -- fraction of 2^32, falls in [key_from, key_to). At most 2 either way, mean 0, variance about 1 from 2 on;
    -- a count of 1 may be shown as 0, a 0 is never perturbed.
    create table ckm_ptable (
      count_class integer not null check (count_class between 1 and 3),
      noise integer not null check (noise between -2 and 2),
      key_from numeric not null,
      key_to numeric not null,
      primary key (count_class, noise),
      check (key_from < key_to)
    );
    insert into ckm_ptable (count_class, noise, key_from, key_to) values
      (1, -1, 0, 0.30), (1, 0, 0.30, 0.75), (1, 1, 0.75, 0.95), (1, 2, 0.95, 1),
      (2, -2, 0, 0.08), (2, -1, 0.08, 0.30), (2, 0, 0.30, 0.70), (2, 1, 0.70, 0.92), (2, 2, 0.92, 1),
      (3, -2, 0, 0.08), (3, -1, 0.08, 0.30), (3, 0, 0.30, 0.70), (3, 1, 0.70, 0.92), (3, 2, 0.92, 1);

    -- A count of people as published: the true count plus the noise its cell key draws; never below 0.
    create function ckm_perturbed(people bigint, key_sum numeric) returns integer
    language sql stable strict parallel safe
    return case when people <= 0 then 0 else greatest(0, people + (
      select p.noise from ckm_ptable p
      where p.count_class = least(people, 3) and mod(key_sum, 4294967296) / 4294967296 >= p.key_from
        and mod(key_sum, 4294967296) / 4294967296 < p.key_to))::integer end;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function ckm_perturbed(bigint, numeric); drop table ckm_ptable; drop function ckm_record_key(bytea, text, text, date)`.execute(
    db,
  );
}
