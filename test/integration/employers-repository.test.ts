import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/config.js';
import { type EmployerFilters, employerFiltersSchema, parseEmployerFilters } from '../../src/employers/filters.js';
import {
  type EmployerListRow,
  employerDetail,
  employersCsv,
  listDepartements,
  listEmployers,
  listEmployersForCsv,
  listNafDivisions,
  listNafSections,
  listRegions,
  listZones,
} from '../../src/employers/repository.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadEmployersFixture, SIRET } from '../helpers/employers-fixture.js';

// Scores of the fixture (test/helpers/employers-fixture.ts), weights from settings.json. A, B, C share the peer
// group section:Q:32 (fewer than 10 peers in their NAF division and département), E is alone in section:G:32,
// R alone in section:I:93. Against indicators-engagement.test.ts, one criterion more has a value: every June
// 2024 hire is observable 6 months later (December 2024 <= January 2025) and none is still there, so the
// retention at 6 months is 0 for all, rank 1/2, weight 1.5. Long unemployment stays unknown for the June hires
// (3 June 2024 - 365 days is before January 2024), retention at 12 months too.
//   A: (7.25 + 1.5 × 1/2) / (11.5 + 1.5) = 8 / 13 = 61.5   (engagée: 60 or more)
//   B: (5.4167 + 0.75) / (12.5 + 1.5) = 6.1667 / 14 = 44.0
//   C: (5.5833 + 0.75) / 14 = 6.3333 / 14 = 45.2
//   E and R: alone among their peers, every rank 1/2: 50.   D: 4 hires, no score.
const { A, B, C, D, E, R } = SIRET;

let database: TestDatabase;
beforeAll(async () => {
  database = await loadEmployersFixture();
});
afterAll(async () => {
  await database.drop();
});

const filters = (query: Record<string, string> = {}): EmployerFilters => employerFiltersSchema.parse(query);
const sirets = async (query: Record<string, string>, pageSize?: number) =>
  (await listEmployers(database.db, filters(query), { pageSize })).rows.map((row) => row.siret);

describe('employerFiltersSchema', () => {
  it('reads a query string, blanks as no filter, and says in French what is wrong', () => {
    expect(parseEmployerFilters({ region: '', departement: '2a', section: 'q', engagees: 'oui', score_min: '55.5', page: '2' })).toEqual({
      ok: true,
      filters: { departement: '2A', section: 'Q', engagees: true, score_min: 55.5, tri: 'score_desc', page: 2 },
    });
    expect(parseEmployerFilters({ engagees: 'on', critere: 'cdi', tri: 'critere_asc' })).toMatchObject({
      ok: true,
      filters: { engagees: true, critere: 'cdi', tri: 'critere_asc' },
    });
    expect(parseEmployerFilters({ commune: '5935', zone: '32', division: '8', score_min: '101', page: '0', critere: 'x' })).toEqual({
      ok: false,
      errors: [
        { field: 'commune', message: 'commune : un code INSEE de 5 caractères est attendu (par exemple 59350)' },
        { field: 'zone', message: "zone d'emploi : un code de 4 chiffres est attendu (ZE2020, par exemple 3214)" },
        { field: 'division', message: 'division NAF : 2 chiffres sont attendus (par exemple 88)' },
        { field: 'score_min', message: 'score minimum : un nombre de 0 à 100 est attendu' },
        {
          field: 'critere',
          message:
            'critère inconnu : attendu woman, under_26, over_50, no_prior_contract, long_unemployed, after_long_stoppage, boeth, from_programme, cdi, mean_fixed_term_days, median_fixed_term_days, full_time, retained_6m, retained_12m',
        },
        { field: 'page', message: 'page : un nombre entier à partir de 1 est attendu' },
      ],
    });
    expect(parseEmployerFilters({ tri: 'critere_desc' })).toEqual({
      ok: false,
      errors: [{ field: 'tri', message: 'tri par critère : choisissez aussi le critère à mettre en avant (paramètre critere)' }],
    });
    expect(parseEmployerFilters({ engagees: 'peut-être', section: 'V' })).toEqual({
      ok: false,
      errors: [
        { field: 'section', message: 'section NAF : une lettre de A à U est attendue' },
        { field: 'engagees', message: 'entreprises engagées : « oui » ou « non » est attendu' },
      ],
    });
  });
});

describe('listEmployers', () => {
  it('lists every establishment that hired, by score, with its place, sector and label', async () => {
    const page = await listEmployers(database.db, filters());
    expect({ ...page, rows: page.rows.map((row) => row.siret) }).toEqual({ rows: [A, E, R, C, B, D], total: 6, page: 1, pages: 1 });
    expect(page.rows[0]).toEqual({
      siret: A,
      name: A,
      communeCode: '59350',
      communeName: 'Lille',
      departementCode: '59',
      departementName: 'Nord',
      nafCode: '8899B',
      nafLabel: 'Action sociale sans hébergement n.c.a.',
      hires: 5,
      score: 61.5,
      engaged: true,
      criterion: null,
    } satisfies EmployerListRow);
    expect(page.rows.map((row) => [row.hires, row.score, row.engaged])).toEqual([
      [5, 61.5, true],
      [5, 50, false],
      [10, 50, false],
      [5, 45.2, false],
      [5, 44, false],
      [4, null, false],
    ]);
  });

  it('filters by territory, sector, minimum score and label', async () => {
    expect(await sirets({ region: '32' })).toEqual([A, E, C, B, D]);
    expect(await sirets({ region: '93' })).toEqual([R]);
    expect(await sirets({ departement: '62' })).toEqual([C]);
    expect(await sirets({ commune: '59350' })).toEqual([A, E, B, D]);
    expect(await sirets({ commune: '13055' })).toEqual([R]);
    expect(await sirets({ section: 'Q' })).toEqual([A, C, B, D]);
    expect(await sirets({ section: 'g' })).toEqual([E]);
    expect(await sirets({ division: '88' })).toEqual([A, B, D]);
    expect(await sirets({ division: '56' })).toEqual([R]);
    // 50 or more: A 61.5, E 50, R 50; no score (D) never passes a minimum.
    expect(await sirets({ score_min: '50' })).toEqual([A, E, R]);
    expect(await sirets({ score_min: '0' })).toEqual([A, E, R, C, B]);
    expect(await sirets({ engagees: 'oui' })).toEqual([A]);
    expect(await sirets({ region: '32', division: '88', score_min: '44' })).toEqual([A, B]);
    expect(await sirets({ departement: '13', section: 'Q' })).toEqual([]);
  });

  it('highlights a criterion: its value (hidden under 5 known hires) and percentile rank, and sorts on it', async () => {
    const page = await listEmployers(database.db, filters({ critere: 'under_26', tri: 'critere_desc' }));
    // Under 26: A 2/5, R 3/10 (r1, r6, r7), B 1/5, E 0/5, C 0/5, D 0/4 hidden (4 hires).
    // Ranks among A, B, C (0.4, 0.2, 0): 5/6, 1/2, 1/6; E and R alone: 1/2; D has no score, no rank.
    // Equal values (E, C) come by SIRET; the hidden value sorts last.
    expect(page.rows.map((row) => [row.siret, row.criterion])).toEqual([
      [A, { key: 'under_26', value: 0.4, rank: 5 / 6 }],
      [R, { key: 'under_26', value: 0.3, rank: 0.5 }],
      [B, { key: 'under_26', value: 0.2, rank: 0.5 }],
      [E, { key: 'under_26', value: 0, rank: 0.5 }],
      [C, { key: 'under_26', value: 0, rank: 1 / 6 }],
      [D, { key: 'under_26', value: null, rank: null }],
    ]);
    // Long unemployment is known for 4 of R's hires only (those of January 2025): 3/4 stays hidden.
    const longUnemployed = await listEmployers(database.db, filters({ critere: 'long_unemployed', region: '93' }));
    expect(longUnemployed.rows.map((row) => row.criterion)).toEqual([{ key: 'long_unemployed', value: null, rank: 0.5 }]);
    expect(await sirets({ critere: 'under_26', tri: 'critere_asc' })).toEqual([E, C, B, R, A, D]);
  });

  it('sorts by score, hires or SIRET, either way, ties by SIRET, no score last', async () => {
    expect(await sirets({ tri: 'score_asc' })).toEqual([B, C, E, R, A, D]);
    expect(await sirets({ tri: 'embauches_desc' })).toEqual([R, E, C, A, B, D]);
    expect(await sirets({ tri: 'embauches_asc' })).toEqual([D, E, C, A, B, R]);
    expect(await sirets({ tri: 'siret_asc' })).toEqual([D, E, C, A, B, R]);
    expect(await sirets({ tri: 'siret_desc' })).toEqual([R, B, A, C, E, D]);
  });

  it('paginates with the total and the number of pages', async () => {
    expect(await listEmployers(database.db, filters({ page: '2' }), { pageSize: 2 })).toMatchObject({ total: 6, page: 2, pages: 3 });
    expect(await sirets({ page: '1' }, 2)).toEqual([A, E]);
    expect(await sirets({ page: '2' }, 2)).toEqual([R, C]);
    expect(await sirets({ page: '3' }, 2)).toEqual([B, D]);
    expect(await listEmployers(database.db, filters({ page: '4' }), { pageSize: 2 })).toEqual({ rows: [], total: 6, page: 4, pages: 3 });
    expect(await listEmployers(database.db, filters({ region: '11' }))).toEqual({ rows: [], total: 0, page: 1, pages: 1 });
  });
});

describe('CSV export', () => {
  it('writes every filtered row for French Excel: BOM, `;`, decimal comma, CRLF', async () => {
    const query = filters({ region: '32', critere: 'mean_fixed_term_days', page: '3' });
    const rows = await listEmployersForCsv(database.db, query);
    // Mean fixed-term days: B 30 (3 CDD, hidden), C 90 (5 CDD); ranks between them 1/4 and 3/4; A, D, E no CDD.
    expect(employersCsv(rows, query.critere)).toBe(
      '\uFEFFSIRET;Établissement;Code commune;Commune;Code département;Département;Code NAF;Activité (NAF);Embauches sur 24 mois;' +
        'Score sur 100;Entreprise engagée;propose des contrats hors CDI plus longs (durée moyenne) : jours;Rang parmi les pairs (centile)\r\n' +
        '55210055400011;55210055400011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;5;61,5;oui;;\r\n' +
        '44306184100011;44306184100011;59350;Lille;59;Nord;4711F;Hypermarchés;5;50,0;non;;\r\n' +
        '54206547900011;54206547900011;62041;Arras;62;Pas-de-Calais;8610Z;Activités hospitalières;5;45,2;non;90,0;75\r\n' +
        '73282932000011;73282932000011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;5;44,0;non;;25\r\n' +
        '40296839300011;40296839300011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;4;;non;;\r\n',
    );
    const shares = await listEmployersForCsv(database.db, filters({ engagees: 'oui', critere: 'woman' }));
    expect(employersCsv(shares, 'woman').split('\r\n')[1]).toBe(
      '55210055400011;55210055400011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;5;61,5;oui;60,0;50',
    );
    expect(employersCsv(await listEmployersForCsv(database.db, filters({ departement: '13' })))).toBe(
      '\uFEFFSIRET;Établissement;Code commune;Commune;Code département;Département;Code NAF;Activité (NAF);Embauches sur 24 mois;' +
        'Score sur 100;Entreprise engagée\r\n' +
        '91234567800011;91234567800011;13055;Marseille;13;Bouches-du-Rhône;5610C;Restauration de type rapide;10;50,0;non\r\n',
    );
  });

  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    const row: EmployerListRow = {
      siret: '12345678900011',
      name: '=HYPERLINK("x")',
      communeCode: null,
      communeName: 'SAINT-JEAN; "LE HAUT"',
      departementCode: null,
      departementName: 'deux\nlignes',
      nafCode: null,
      nafLabel: null,
      hires: 3,
      score: null,
      engaged: false,
      criterion: null,
    };
    expect(employersCsv([row]).split('\r\n')[1]).toBe(
      `12345678900011;"'=HYPERLINK(""x"")";;"SAINT-JEAN; ""LE HAUT""";;"deux\nlignes";;;3;;non`,
    );
  });
});

describe('employerDetail', () => {
  it('is null for a SIRET never declared', async () => {
    expect(await employerDetail(database.db, '00000000000000')).toBeNull();
  });

  it("breaks R's engagement down criterion by criterion, with its hires over 24 months", async () => {
    const detail = await employerDetail(database.db, R);
    // R's 10 hires (employers-fixture.ts): women r1 r3 r6 r8 = 4; under 26 r1 r6 r7 = 3; 50 or over r3 r9 = 2;
    // no earlier contract: all but r10 (r5 again) = 9; long unemployment known for January 2025 hires only
    // (6 January 2025 - 365 days >= January 2024): r7 r8 r9 yes, r10 no (r5 in July 2024) = 3/4, hidden; BOETH r4;
    // full time all but r4 r8 r9 = 7; CDI r1 r2 r9 r10 = 4.
    // Fixed term (6 contracts): r3 12, r6 14, r5 31, r7 59, r4 206, r8 365 days: mean 687 / 6 = 114.5, median
    // (31 + 59) / 2 = 45. A contract lasts N months when the day after its end is N months after its start:
    // r5 1 Jul + 31 days = 1 Aug, 1 month: "1 à 3 mois"; r4 8 Jan + 206 days = 1 Aug 2024, past 8 Jul: "6 à 12";
    // r8 6 Jan 2025 + 365 days = 6 Jan 2026: "12 mois ou plus".
    // Retention at 6 months, observable for the January and July 2024 hires (6): r1 r2 r4 still there = 3/6.
    // At 12 months only the January 2024 hires (4) are observable: hidden.
    expect(detail).toEqual({
      siret: R,
      name: R,
      town: 'MARSEILLE',
      commune: { code: '13055', name: 'Marseille' },
      departement: { code: '13', name: 'Bouches-du-Rhône' },
      region: { code: '93', name: "Provence-Alpes-Côte d'Azur" },
      naf: { code: '5610C', name: 'Restauration de type rapide' },
      nafDivision: { code: '56', name: 'Restauration' },
      nafSection: { code: 'I', name: 'Hébergement et restauration' },
      window: { from: '2023-02-01', to: '2025-01-31' },
      hires: 10,
      score: 50,
      engaged: false,
      // One scored establishment in NAF 56 and the Bouches-du-Rhône, fewer than 10: section I and région 93.
      peerGroup: {
        kind: 'section',
        naf: { code: 'I', name: 'Hébergement et restauration' },
        territory: { code: '93', name: "Provence-Alpes-Côte d'Azur" },
        size: 1,
      },
      criteria: [
        { key: 'woman', label: 'recrute des femmes', unit: 'part', value: 0.4, known: 10, rank: 0.5, weight: 1 },
        { key: 'under_26', label: 'recrute des jeunes de moins de 26 ans', unit: 'part', value: 0.3, known: 10, rank: 0.5, weight: 1 },
        { key: 'over_50', label: 'recrute des personnes de 50 ans ou plus', unit: 'part', value: 0.2, known: 10, rank: 0.5, weight: 1 },
        {
          key: 'no_prior_contract',
          label: 'donne un premier contrat de travail',
          unit: 'part',
          value: 0.9,
          known: 10,
          rank: 0.5,
          weight: 1,
        },
        {
          key: 'long_unemployed',
          label: "recrute des personnes sans emploi depuis plus d'un an",
          unit: 'part',
          value: null,
          known: 4,
          rank: 0.5,
          weight: 1.5,
        },
        {
          key: 'after_long_stoppage',
          label: 'recrute après un long arrêt de travail',
          unit: 'part',
          value: 0,
          known: 10,
          rank: 0.5,
          weight: 1,
        },
        { key: 'boeth', label: 'recrute des travailleurs handicapés (BOETH)', unit: 'part', value: 0.1, known: 10, rank: 0.5, weight: 1.5 },
        {
          key: 'from_programme',
          label: "recrute des sortants de dispositifs d'insertion",
          unit: 'part',
          value: 0,
          known: 10,
          rank: 0.5,
          weight: 2,
        },
        { key: 'cdi', label: 'propose des CDI', unit: 'part', value: 0.4, known: 10, rank: 0.5, weight: 2 },
        {
          key: 'mean_fixed_term_days',
          label: 'propose des contrats hors CDI plus longs (durée moyenne)',
          unit: 'jours',
          value: 114.5,
          known: 6,
          rank: 0.5,
          weight: 0.5,
        },
        {
          key: 'median_fixed_term_days',
          label: 'propose des contrats hors CDI plus longs (durée médiane)',
          unit: 'jours',
          value: 45,
          known: 6,
          rank: 0.5,
          weight: 0.5,
        },
        { key: 'full_time', label: 'propose du temps plein', unit: 'part', value: 0.7, known: 10, rank: 0.5, weight: 1 },
        { key: 'retained_6m', label: 'garde ses recrues 6 mois', unit: 'part', value: 0.5, known: 6, rank: 0.5, weight: 1.5 },
        { key: 'retained_12m', label: 'garde ses recrues 12 mois', unit: 'part', value: null, known: 4, rank: 0.5, weight: 1.5 },
      ],
      // Quarter ends covered: March (4 hires, no score), June (4), September and December (6: alone, 50).
      trend: [
        { quarter: '2024-01-01', hires: 4, score: null, engaged: false },
        { quarter: '2024-04-01', hires: 4, score: null, engaged: false },
        { quarter: '2024-07-01', hires: 6, score: 50, engaged: false },
        { quarter: '2024-10-01', hires: 6, score: 50, engaged: false },
      ],
      profile: [
        { key: 'woman', label: 'femmes', count: 4, known: 10, share: 0.4 },
        { key: 'under_26', label: 'moins de 26 ans', count: 3, known: 10, share: 0.3 },
        { key: 'over_50', label: '50 ans ou plus', count: 2, known: 10, share: 0.2 },
        { key: 'no_prior_contract', label: 'sans contrat de travail antérieur', count: 9, known: 10, share: 0.9 },
        { key: 'long_unemployed', label: "sans contrat depuis plus d'un an", count: null, known: 4, share: null },
        { key: 'after_long_stoppage', label: 'après un arrêt de travail de 6 mois ou plus', count: 0, known: 10, share: 0 },
        { key: 'boeth', label: 'travailleurs handicapés (BOETH)', count: 1, known: 10, share: 0.1 },
        { key: 'from_programme', label: "sortants d'un dispositif d'insertion depuis moins de 6 mois", count: 0, known: 10, share: 0 },
        { key: 'full_time', label: 'à temps plein', count: 7, known: 10, share: 0.7 },
      ],
      // CDD r3 r4 r5 r7 r8, CDI r1 r2 r9 r10, mission r6.
      contracts: {
        suppressed: false,
        cdi: 4,
        cdd: 5,
        other: 1,
        natures: [
          { nature: '02', label: 'CDD', category: 'cdd', count: 5 },
          { nature: '01', label: 'CDI', category: 'cdi', count: 4 },
          { nature: '03', label: "Mission d'intérim", category: 'autre', count: 1 },
        ],
      },
      fixedTerm: {
        contracts: 6,
        suppressed: false,
        buckets: [
          { key: 'moins_1_mois', label: "moins d'un mois", count: 2 },
          { key: '1_3_mois', label: '1 à 3 mois', count: 2 },
          { key: '3_6_mois', label: '3 à 6 mois', count: 0 },
          { key: '6_12_mois', label: '6 à 12 mois', count: 1 },
          { key: '12_mois_plus', label: '12 mois ou plus', count: 1 },
        ],
        meanDays: 114.5,
        medianDays: 45,
      },
      retention: { m6: { observable: 6, retained: 3, rate: 0.5 }, m12: { observable: 4, retained: null, rate: null } },
      method: { minimumHires: 5, minimumPeers: 10, engagedScore: 60, secretMinimum: 5 },
    });
  });

  it("gives A's ranks among its peers, and hides what concerns fewer than 5 people", async () => {
    const detail = await employerDetail(database.db, A);
    expect(detail?.peerGroup).toEqual({
      kind: 'section',
      naf: { code: 'Q', name: 'Santé humaine et action sociale' },
      territory: { code: '32', name: 'Hauts-de-France' },
      size: 3,
    });
    expect([detail?.score, detail?.engaged]).toEqual([61.5, true]);
    // Ranks among A, B, C: under 26 (0.4, 0.2, 0) 5/6; over 50 (0, 0.2, 0.4) 1/6; BOETH (0.2, 0, 0) 5/6;
    // CDI (1, 0.4, 0) and full time (1, 0.8, 0) 5/6; equal values 1/2; no CDD, no value and no rank.
    expect(detail?.criteria.map((c) => [c.key, c.value, c.known, c.rank])).toEqual([
      ['woman', 0.6, 5, 0.5],
      ['under_26', 0.4, 5, 5 / 6],
      ['over_50', 0, 5, 1 / 6],
      ['no_prior_contract', 1, 5, 0.5],
      ['long_unemployed', null, 0, null],
      ['after_long_stoppage', 0, 5, 0.5],
      ['boeth', 0.2, 5, 5 / 6],
      ['from_programme', 0, 5, 0.5],
      ['cdi', 1, 5, 5 / 6],
      ['mean_fixed_term_days', null, 0, null],
      ['median_fixed_term_days', null, 0, null],
      ['full_time', 1, 5, 5 / 6],
      ['retained_6m', 0, 5, 0.5],
      ['retained_12m', null, 0, null],
    ]);
    expect(detail?.trend).toEqual([
      { quarter: '2024-04-01', hires: 5, score: 61.5, engaged: true },
      { quarter: '2024-07-01', hires: 5, score: 61.5, engaged: true },
      { quarter: '2024-10-01', hires: 5, score: 61.5, engaged: true },
    ]);
    expect(detail?.contracts).toEqual({
      suppressed: false,
      cdi: 5,
      cdd: 0,
      other: 0,
      natures: [{ nature: '01', label: 'CDI', category: 'cdi', count: 5 }],
    });
    expect(detail?.fixedTerm).toEqual({ contracts: 0, suppressed: true, buckets: [], meanDays: null, medianDays: null });
    expect(detail?.retention).toEqual({ m6: { observable: 5, retained: 0, rate: 0 }, m12: { observable: 0, retained: null, rate: null } });

    // D: 4 hires, no score, and nothing about them shown.
    const d = await employerDetail(database.db, D);
    expect([d?.hires, d?.score, d?.peerGroup, d?.contracts, d?.retention.m6]).toEqual([
      4,
      null,
      null,
      { suppressed: true, cdi: null, cdd: null, other: null, natures: [] },
      { observable: 4, retained: null, rate: null },
    ]);
    expect(d?.profile.map((p) => [p.count, p.known, p.share])).toEqual([
      ...Array(4).fill([null, 4, null]),
      [null, 0, null],
      ...Array(4).fill([null, 4, null]),
    ]);
    expect(d?.criteria.every((c) => c.value === null && c.rank === null)).toBe(true);
  });
});

describe('filter form options', () => {
  it('lists territories and sectors, zones empty until imported', async () => {
    // Régions, then the overseas collectivities the reference data files as régions too; alphabetical whatever
    // the accents: Île-de-France among the I, not after Z.
    expect((await listRegions(database.db)).map((r) => r.name)).toEqual([
      'Auvergne-Rhône-Alpes',
      'Bourgogne-Franche-Comté',
      'Bretagne',
      'Centre-Val de Loire',
      'Corse',
      'Grand Est',
      'Guadeloupe',
      'Guyane',
      'Hauts-de-France',
      'Île de Clipperton',
      'Île-de-France',
      'La Réunion',
      'Martinique',
      'Mayotte',
      'Normandie',
      'Nouvelle-Aquitaine',
      'Nouvelle-Calédonie',
      'Occitanie',
      'Pays de la Loire',
      'Polynésie française',
      "Provence-Alpes-Côte d'Azur",
      'Saint-Barthélemy',
      'Saint-Martin',
      'Saint-Pierre-et-Miquelon',
      'Terres australes et antarctiques françaises',
      'Wallis et Futuna',
    ]);
    expect((await listRegions(database.db))[0]).toEqual({ code: '84', name: 'Auvergne-Rhône-Alpes' });
    expect(await listDepartements(database.db, '32')).toEqual([
      { code: '02', name: 'Aisne', regionCode: '32' },
      { code: '59', name: 'Nord', regionCode: '32' },
      { code: '60', name: 'Oise', regionCode: '32' },
      { code: '62', name: 'Pas-de-Calais', regionCode: '32' },
      { code: '80', name: 'Somme', regionCode: '32' },
    ]);
    expect((await listDepartements(database.db)).length).toBe(109);
    const sections = await listNafSections(database.db);
    expect(sections.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    expect(sections[16]).toEqual({ code: 'Q', name: 'Santé humaine et action sociale' });
    expect(await listNafDivisions(database.db, 'Q')).toEqual([
      { code: '86', name: 'Activités pour la santé humaine', sectionCode: 'Q' },
      { code: '87', name: 'Hébergement médico-social et social', sectionCode: 'Q' },
      { code: '88', name: 'Action sociale sans hébergement', sectionCode: 'Q' },
    ]);
    expect((await listNafDivisions(database.db)).length).toBe(88);
    expect(await listZones(database.db)).toEqual([]);
  });
});
