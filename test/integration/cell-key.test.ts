import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// The cell key method's SQL (migrations/20261206000500): the perturbation table and the noise it draws.

let database: TestDatabase;
const rows = async <T>(text: string, values: unknown[] = []) => (await database.pool.query(text, values)).rows as T[];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('cell key method', () => {
  it('covers every cell key once per count class, with noise of mean 0 and at most 2', async () => {
    const table = await rows<{ count_class: number; noise: number; key_from: string; key_to: string }>(
      'select count_class, noise, key_from::text, key_to::text from ckm_ptable order by count_class, key_from',
    );
    for (const countClass of [1, 2, 3]) {
      const ranges = table.filter((r) => r.count_class === countClass);
      expect(ranges[0]?.key_from).toBe('0');
      expect(ranges.at(-1)?.key_to).toBe('1');
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.key_from).toBe(ranges[i - 1]?.key_to);
      const mean = ranges.reduce((sum, r) => sum + r.noise * (Number(r.key_to) - Number(r.key_from)), 0);
      expect(Math.abs(mean)).toBeLessThan(1e-9);
    }
    expect(
      await rows('select count_class, sum(noise ^ 2 * (key_to - key_from))::float8 as variance from ckm_ptable group by 1 order by 1'),
    ).toEqual([
      { count_class: 1, variance: 0.7 },
      { count_class: 2, variance: 1.08 },
      { count_class: 3, variance: 1.08 },
    ]);
  });

  it('leaves 0 at 0, moves other counts by at most 2, never below 0, the same way for the same cell key', async () => {
    const [result] = await rows<{ zeros: number; far: number; negative: number; unstable: number; mean_noise: number }>(`
      with cells as (
        select n, (random() * 1e12)::numeric(20, 0) as key_sum from generate_series(0, 60) n, generate_series(1, 400)
      )
      select count(*) filter (where n = 0 and ckm_perturbed(n, key_sum) <> 0)::int as zeros,
        count(*) filter (where abs(ckm_perturbed(n, key_sum) - n) > 2)::int as far,
        count(*) filter (where ckm_perturbed(n, key_sum) < 0)::int as negative,
        count(*) filter (where ckm_perturbed(n, key_sum) <> ckm_perturbed(n, key_sum + 4294967296 * 7))::int as unstable,
        avg(ckm_perturbed(n, key_sum) - n) filter (where n >= 3)::float8 as mean_noise
      from cells`);
    expect(result).toMatchObject({ zeros: 0, far: 0, negative: 0, unstable: 0 });
    expect(Math.abs(result?.mean_noise ?? 1)).toBeLessThan(0.1);
  });

  it('gives a set of person-exits the same noise whatever query gathered it', async () => {
    const [result] = await rows<{ by_filter: number; by_union: number; exact: number }>(`
      with exits as (
        select sha256(convert_to(i::text, 'UTF8')) as person_key, case when i % 3 = 0 then 'aci' else 'ei' end as programme,
          '55210055400017' as siret, date '2024-01-01' + (i % 90) as exit_date, i % 2 = 0 as woman
        from generate_series(1, 200) i
      ), keyed as (
        select *, ckm_record_key(person_key, programme, siret, exit_date) as record_key from exits
      )
      select
        (select ckm_perturbed(count(*), sum(record_key)) from keyed where programme = 'aci' and woman) as by_filter,
        (select ckm_perturbed(count(*), sum(record_key)) from (
          select * from keyed where programme = 'aci' and woman and exit_date < '2024-02-01'
          union all select * from keyed where programme = 'aci' and woman and exit_date >= '2024-02-01') u) as by_union,
        (select count(*)::int from keyed where programme = 'aci' and woman) as exact`);
    expect(result?.by_filter).toBe(result?.by_union);
    expect(Math.abs((result?.by_filter ?? 0) - (result?.exact ?? 0))).toBeLessThanOrEqual(2);
  });

  it('draws record keys over 32 bits, different for each person-exit', async () => {
    expect(
      await rows(`
        select min(k) >= 0 and max(k) < 4294967296 as in_range, count(distinct k)::int as keys
        from (select ckm_record_key(sha256(convert_to(i::text, 'UTF8')), 'aci', '55210055400017', date '2024-01-01') as k
              from generate_series(1, 1000) i) r`),
    ).toEqual([{ in_range: true, keys: 1000 }]);
  });
});
