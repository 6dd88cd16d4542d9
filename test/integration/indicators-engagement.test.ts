import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.js';
import { contract, declaration, individual } from '../helpers/dsn-builder.js';
import { loadIndicatorFixture } from '../helpers/indicator-fixture.js';

// A hand-built fixture: every hire on 3 June 2024, the only month declared. Long unemployment and retention
// are then unknown (null) for everyone and stay out of the scores; no earlier contract, stoppage or
// programme exit exists, so those three criteria are equal (rank 0.5) for all. Weights: settings.json.
type Hire = { woman?: boolean; age?: 'young' | 'senior'; cdd?: number; partTime?: boolean; boeth?: boolean };
const LILLE = { postalCode: '59000', town: 'LILLE' };
const ARRAS = { postalCode: '62000', town: 'ARRAS' };
const ESTABLISHMENTS: { name: string; siren: string; naf: string; place: typeof LILLE; hires: Hire[] }[] = [
  // A: women 3/5, under 26 2/5, over 50 0, CDI 5/5, full time 5/5, BOETH 1/5.
  {
    name: 'A',
    siren: '552100554',
    naf: '8899B',
    place: LILLE,
    hires: [{ woman: true, age: 'young', boeth: true }, { woman: true, age: 'young' }, { woman: true }, {}, {}],
  },
  // B: women 1/5, under 26 1/5, over 50 1/5, CDI 2/5, three CDD of 30 days, full time 4/5.
  {
    name: 'B',
    siren: '732829320',
    naf: '8899B',
    place: LILLE,
    hires: [{ woman: true, age: 'young' }, { age: 'senior' }, { cdd: 30 }, { cdd: 30 }, { cdd: 30, partTime: true }],
  },
  // C (NAF 86, Pas-de-Calais): women 5/5, over 50 2/5, five part-time CDD of 90 days.
  {
    name: 'C',
    siren: '542065479',
    naf: '8610Z',
    place: ARRAS,
    hires: Array.from({ length: 5 }, (_, i) => ({ woman: true, age: i < 2 ? ('senior' as const) : undefined, cdd: 90, partTime: true })),
  },
  // D: 4 hires, under the minimum of 5: no score.
  { name: 'D', siren: '402968393', naf: '8899B', place: LILLE, hires: [{}, {}, {}, {}] },
  // E (retail, NAF section G): alone among its peers.
  { name: 'E', siren: '443061841', naf: '4711F', place: LILLE, hires: [{}, {}, {}, { woman: true }, {}] },
];

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
let order = 0;
function hireBlocks(hire: Hire): string[] {
  order += 1;
  const year = hire.age === 'young' ? '2000' : hire.age === 'senior' ? '1970' : '1985';
  const nir = `${hire.woman ? 2 : 1}${year.slice(2)}0159350${String(order).padStart(3, '0')}`;
  return [
    ...individual({ nir, lastName: `PERSONNE${order}`, birth: `0101${year}` }),
    ...contract({
      start: '2024-06-03',
      number: `H${order}`,
      nature: hire.cdd ? '02' : '01',
      plannedEnd: hire.cdd ? addDays('2024-06-03', hire.cdd - 1) : undefined,
      time: hire.partTime ? '20' : '10',
      boeth: hire.boeth ? '01' : undefined,
    }),
  ];
}

let database: TestDatabase;
beforeAll(async () => {
  const declarations = ESTABLISHMENTS.map((e) =>
    declaration({ siren: e.siren, nic: '00011', month: '2024-06', naf: e.naf, ...e.place }, ...e.hires.map(hireBlocks)),
  );
  database = await loadIndicatorFixture({ files: [declarations] });
});
afterAll(async () => {
  await database.drop();
});

const siretOf = (name: string) => `${ESTABLISHMENTS.find((e) => e.name === name)?.siren}00011`;
const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

describe('employer_engagement', () => {
  it('ranks each criterion among peers, falls back to NAF section and région, and scores from 5 hires', async () => {
    const { rows } = await database.pool.query(`select * from employer_engagement order by siret`);
    const bySiret = new Map(rows.map((row) => [row.siret, row]));
    const a = bySiret.get(siretOf('A'));
    const b = bySiret.get(siretOf('B'));
    const c = bySiret.get(siretOf('C'));
    const d = bySiret.get(siretOf('D'));
    const e = bySiret.get(siretOf('E'));

    // Every column of A: shares, then ranks (see below), peers, score and label.
    const rounded = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]));
    expect({ ...rounded, score: Number(a.score) }).toEqual({
      period: '2024-06-01',
      siret: siretOf('A'),
      hires: 5,
      woman_share: 0.6,
      under_26_share: 0.4,
      over_50_share: 0,
      no_prior_contract_share: 1,
      long_unemployed_share: null,
      after_long_stoppage_share: 0,
      boeth_share: 0.2,
      from_programme_share: 0,
      cdi_share: 1,
      mean_fixed_term_days: null,
      median_fixed_term_days: null,
      full_time_share: 1,
      retained_6m_share: null,
      retained_12m_share: null,
      woman_rank: 0.5,
      under_26_rank: 0.833,
      over_50_rank: 0.167,
      no_prior_contract_rank: 0.5,
      long_unemployed_rank: null,
      after_long_stoppage_rank: 0.5,
      boeth_rank: 0.833,
      from_programme_rank: 0.5,
      cdi_rank: 0.833,
      mean_fixed_term_days_rank: null,
      median_fixed_term_days_rank: null,
      full_time_rank: 0.833,
      retained_6m_rank: null,
      retained_12m_rank: null,
      peer_group: 'section:Q:32',
      peers: 3,
      score: 63,
      label: 'engagee',
    });

    // Fewer than 10 scored peers in NAF 88 + Nord (A, B) and NAF 86 + Pas-de-Calais (C): all three are
    // compared within section Q (health and social work) and région 32 (Hauts-de-France).
    expect([a.peer_group, b.peer_group, c.peer_group]).toEqual(['section:Q:32', 'section:Q:32', 'section:Q:32']);
    expect([a.peers, b.peers, c.peers]).toEqual([3, 3, 3]);
    expect([a.hires, a.woman_share, a.under_26_share, a.cdi_share, a.full_time_share, a.boeth_share]).toEqual([5, 0.6, 0.4, 1, 1, 0.2]);
    expect([b.mean_fixed_term_days, b.median_fixed_term_days, c.mean_fixed_term_days, a.mean_fixed_term_days]).toEqual([30, 30, 90, null]);

    // Percentile ranks, (below + half of equal) / peers: women B 0.2 < A 0.6 < C 1 gives 1/6, 1/2, 5/6;
    // BOETH B = C = 0 < A 0.2 gives B and C (0 + 2/2) / 3 = 1/3, A 5/6; fixed-term days among B and C only
    // (A has none): 1/4 and 3/4; no earlier contract, all equal: 1/2.
    expect([a.woman_rank, b.woman_rank, c.woman_rank].map(round)).toEqual([0.5, 0.167, 0.833]);
    expect([a.boeth_rank, b.boeth_rank, c.boeth_rank].map(round)).toEqual([0.833, 0.333, 0.333]);
    expect([a.mean_fixed_term_days_rank, b.mean_fixed_term_days_rank, c.mean_fixed_term_days_rank]).toEqual([null, 0.25, 0.75]);
    expect([a.no_prior_contract_rank, a.long_unemployed_rank, a.retained_6m_rank]).toEqual([0.5, null, null]);

    // Scores: weighted mean of the ranks that exist, on 100. Weights: women, under 26, over 50, no earlier
    // contract, long stoppage, full time 1; BOETH 1.5; programme exit, CDI 2; mean and median length 0.5.
    // A: (1/2 + 5/6 + 1/6 + 1/2 + 1/2 + 1.5 × 5/6 + 2 × 1/2 + 2 × 5/6 + 5/6) / 11.5 = 7.25 / 11.5 = 63.0 %.
    // B: (1/6 + 1/2 + 1/2 + 1/2 + 1/2 + 1.5 × 1/3 + 2 × 1/2 + 2 × 1/2 + 0.5 × 1/4 + 0.5 × 1/4 + 1/2) / 12.5
    //    = 5.4167 / 12.5 = 43.3 %.
    // C: (5/6 + 1/6 + 5/6 + 1/2 + 1/2 + 1.5 × 1/3 + 2 × 1/2 + 2 × 1/6 + 0.5 × 3/4 + 0.5 × 3/4 + 1/6) / 12.5
    //    = 5.5833 / 12.5 = 44.7 %.
    // E, alone in section G: every rank 1/2, score 50. D: 4 hires, no score, no rank.
    expect([a.score, b.score, c.score, e.score, d.score].map(Number)).toEqual([63, 43.3, 44.7, 50, 0]);
    expect(d.score).toBeNull();
    expect([d.hires, d.peer_group, d.woman_rank]).toEqual([4, null, null]);
    expect(e.peer_group).toBe('section:G:32');

    // The label from a score of 60 (settings.json): A only.
    expect(rows.filter((row) => row.label === 'engagee').map((row) => row.siret)).toEqual([siretOf('A')]);
  });

  it('gives the same per quarter for the trend charts', async () => {
    const { rows } = await database.pool.query(
      `select quarter::text, score::float8 as score, label from employer_engagement_history where siret = $1`,
      [siretOf('A')],
    );
    expect(rows).toEqual([{ quarter: '2024-04-01', score: 63, label: 'engagee' }]);
  });
});
