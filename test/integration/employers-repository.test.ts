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
import { CountCells } from '../../src/employers/secret.js';
import { ENGAGEMENT_CRITERIA } from '../../src/indicators/settings.js';
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
// Statistical secret (src/employers/secret.ts): a count of 1 to 4 people is hidden, and so is what gives it away:
// its share, the count beside it when the rest is 1 to 4 (9 of 10: 1), a second cell of its line.
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
      [7, 50, false],
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

  it('highlights a criterion: its value (secret when it gives away 1 to 4 people) and percentile rank, and sorts on it', async () => {
    const page = await listEmployers(database.db, filters({ critere: 'under_26', tri: 'critere_desc' }));
    // Under 26: A 2/5 (2 under 26, 3 not: both secret), R 3/10 (r1, r6, r7: 3 secret), B 1/5 (1 secret),
    // E 0/7 and C 0/5 shown (0 people, and 7 and 5 for the rest), D 0/4 secret (4 hires).
    // Ranks among A, B, C (0.4, 0.2, 0): 5/6, 1/2, 1/6; E and R alone: 1/2; D has no score, no rank: ranks stay
    // shown whatever the secret (a position among peers, not a count of people).
    // Equal values (E, C) come by SIRET; hidden values sort last, by SIRET, whatever their true value.
    expect(page.rows.map((row) => [row.siret, row.criterion])).toEqual([
      [E, { key: 'under_26', value: 0, rank: 0.5, secret: false }],
      [C, { key: 'under_26', value: 0, rank: 1 / 6, secret: false }],
      [D, { key: 'under_26', value: null, rank: null, secret: true }],
      [A, { key: 'under_26', value: null, rank: 5 / 6, secret: true }],
      [B, { key: 'under_26', value: null, rank: 0.5, secret: true }],
      [R, { key: 'under_26', value: null, rank: 0.5, secret: true }],
    ]);
    // Long unemployment is known for 4 of R's hires only (those of January 2025): 3/4 stays hidden.
    const longUnemployed = await listEmployers(database.db, filters({ critere: 'long_unemployed', region: '93' }));
    expect(longUnemployed.rows.map((row) => row.criterion)).toEqual([{ key: 'long_unemployed', value: null, rank: 0.5, secret: true }]);
    // No earlier contract: R 9/10, a share that gives away the 1 hire who had one (r10, r5 again): hidden.
    // C 5/5 (the rest is 0) stays shown.
    const noPrior = await listEmployers(database.db, filters({ critere: 'no_prior_contract', region: '93' }));
    expect(noPrior.rows.map((row) => row.criterion)).toEqual([{ key: 'no_prior_contract', value: null, rank: 0.5, secret: true }]);
    const noPriorC = await listEmployers(database.db, filters({ critere: 'no_prior_contract', departement: '62' }));
    expect(noPriorC.rows.map((row) => row.criterion)).toEqual([{ key: 'no_prior_contract', value: 1, rank: 0.5, secret: false }]);
    // Mean fixed-term length: C 90 days (5 CDD); B 3 CDD and D 4 hires secret; A and E have none: not measurable,
    // not secret (no hire is concerned, among 5 or more).
    const days = await listEmployers(database.db, filters({ critere: 'mean_fixed_term_days', region: '32' }));
    expect(days.rows.map((row) => [row.siret, row.criterion?.value, row.criterion?.secret])).toEqual([
      [A, null, false],
      [E, null, false],
      [C, 90, false],
      [B, null, true],
      [D, null, true],
    ]);
    expect(await sirets({ critere: 'under_26', tri: 'critere_asc' })).toEqual([E, C, D, A, B, R]);
  });

  it('hides in the list exactly what the employer page hides, criterion by criterion', async () => {
    const details = new Map<string, Awaited<ReturnType<typeof employerDetail>>>();
    for (const siret of Object.values(SIRET)) details.set(siret, await employerDetail(database.db, siret));
    for (const key of ENGAGEMENT_CRITERIA) {
      const { rows } = await listEmployers(database.db, filters({ critere: key }));
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        const detail = details.get(row.siret);
        const criterion = detail?.criteria.find((c) => c.key === key);
        const unmeasurable = criterion?.known === 0 && (detail?.hires ?? 0) >= 5;
        expect([key, row.siret, row.criterion?.value, row.criterion?.secret]).toEqual([
          key,
          row.siret,
          criterion?.value,
          criterion?.value === null && !unmeasurable,
        ]);
      }
    }
  });

  it('sorts by score, hires or SIRET, either way, ties by SIRET, no score last', async () => {
    expect(await sirets({ tri: 'score_asc' })).toEqual([B, C, E, R, A, D]);
    expect(await sirets({ tri: 'embauches_desc' })).toEqual([R, E, C, A, B, D]);
    expect(await sirets({ tri: 'embauches_asc' })).toEqual([D, C, A, B, E, R]);
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
    // Mean fixed-term days: B 30 (3 CDD: `secret`), C 90 (5 CDD); ranks between them 1/4 and 3/4; A and E no CDD
    // among 5 or more hires (empty: nothing to measure), D 4 hires (`secret`).
    expect(employersCsv(rows, query.critere)).toBe(
      '\uFEFFSIRET;Établissement;Code commune;Commune;Code département;Département;Code NAF;Activité (NAF);Embauches sur 24 mois;' +
        'Score sur 100;Entreprise engagée;propose des contrats hors CDI plus longs (durée moyenne) : jours;Rang parmi les pairs (centile)\r\n' +
        '55210055400011;55210055400011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;5;61,5;oui;;\r\n' +
        '44306184100011;44306184100011;59350;Lille;59;Nord;4711F;Hypermarchés;7;50,0;non;;\r\n' +
        '54206547900011;54206547900011;62041;Arras;62;Pas-de-Calais;8610Z;Activités hospitalières;5;45,2;non;90,0;75\r\n' +
        '73282932000011;73282932000011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;5;44,0;non;secret;25\r\n' +
        '40296839300011;40296839300011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;4;;non;secret;\r\n',
    );
    // Women: A 3/5 (3 women, 2 men: `secret`), C 5/5 (no man: 100 %), E 1/7 (`secret`).
    const shares = await listEmployersForCsv(database.db, filters({ region: '32', section: 'Q', score_min: '45', critere: 'woman' }));
    expect(employersCsv(shares, 'woman').split('\r\n').slice(1, 3)).toEqual([
      '55210055400011;55210055400011;59350;Lille;59;Nord;8899B;Action sociale sans hébergement n.c.a.;5;61,5;oui;secret;50',
      '54206547900011;54206547900011;62041;Arras;62;Pas-de-Calais;8610Z;Activités hospitalières;5;45,2;non;100,0;83',
    ]);
    const e = await listEmployersForCsv(database.db, filters({ section: 'G', critere: 'woman' }));
    expect(employersCsv(e, 'woman').split('\r\n')[1]).toBe(
      '44306184100011;44306184100011;59350;Lille;59;Nord;4711F;Hypermarchés;7;50,0;non;secret;50',
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
    // Statistical secret, cell by cell (shares and criterion values go with their counts):
    //   profile: women 4, under 26 3, 50 or over 2, BOETH 1 (count 1 of 10) hidden; no earlier contract 9 of 10
    //   hidden too, the rest being 10 - 9 = 1 (r10); full time 7 of 10 hidden, the rest being 10 - 7 = 3 (r4 r8 r9);
    //   long unemployment 4 known; after a long stoppage and from a programme 0 of 10 shown.
    //   contracts: CDI 4 hidden, so the rest 10 - 4 = 6 (not shown as such) is hidden second; the rest is CDD 5
    //   + other 1 where other 1 is hidden: two hidden, CDD 5 shown. Natures: CDI = nature 01 (4) and other =
    //   mission 03 (1) hidden, CDD 02 (5) shown. The 6 non-CDI = 6 with a length + 0 without one: the 6 are hidden
    //   second (a 0 protects nothing), so their length buckets 2, 2, 1, 1 are hidden and 0 shown; mean and median
    //   stay (an aggregate over 6 contracts, not a count).
    //   retention: 3 of 6 at 6 months hidden (3 retained, 3 not); 4 observable at 12 months.
    //   trend: 4 hires at the ends of March and June 2024 hidden.
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
        { key: 'woman', label: 'recrute des femmes', unit: 'part', value: null, known: 10, rank: 0.5, weight: 1 },
        { key: 'under_26', label: 'recrute des jeunes de moins de 26 ans', unit: 'part', value: null, known: 10, rank: 0.5, weight: 1 },
        { key: 'over_50', label: 'recrute des personnes de 50 ans ou plus', unit: 'part', value: null, known: 10, rank: 0.5, weight: 1 },
        {
          key: 'no_prior_contract',
          label: 'donne un premier contrat de travail',
          unit: 'part',
          value: null,
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
        {
          key: 'boeth',
          label: 'recrute des travailleurs handicapés (BOETH)',
          unit: 'part',
          value: null,
          known: 10,
          rank: 0.5,
          weight: 1.5,
        },
        {
          key: 'from_programme',
          label: "recrute des sortants de dispositifs d'insertion",
          unit: 'part',
          value: 0,
          known: 10,
          rank: 0.5,
          weight: 2,
        },
        { key: 'cdi', label: 'propose des CDI', unit: 'part', value: null, known: 10, rank: 0.5, weight: 2 },
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
        { key: 'full_time', label: 'propose du temps plein', unit: 'part', value: null, known: 10, rank: 0.5, weight: 1 },
        { key: 'retained_6m', label: 'garde ses recrues 6 mois', unit: 'part', value: null, known: 6, rank: 0.5, weight: 1.5 },
        { key: 'retained_12m', label: 'garde ses recrues 12 mois', unit: 'part', value: null, known: 4, rank: 0.5, weight: 1.5 },
      ],
      // Quarter ends covered: March (4 hires, no score), June (4), September and December (6: alone, 50).
      trend: [
        { quarter: '2024-01-01', hires: null, score: null, engaged: false },
        { quarter: '2024-04-01', hires: null, score: null, engaged: false },
        { quarter: '2024-07-01', hires: 6, score: 50, engaged: false },
        { quarter: '2024-10-01', hires: 6, score: 50, engaged: false },
      ],
      profile: [
        { key: 'woman', label: 'femmes', count: null, known: 10, share: null },
        { key: 'under_26', label: 'moins de 26 ans', count: null, known: 10, share: null },
        { key: 'over_50', label: '50 ans ou plus', count: null, known: 10, share: null },
        { key: 'no_prior_contract', label: 'sans contrat de travail antérieur', count: null, known: 10, share: null },
        { key: 'long_unemployed', label: "sans contrat depuis plus d'un an", count: null, known: 4, share: null },
        { key: 'after_long_stoppage', label: 'après un arrêt de travail de 6 mois ou plus', count: 0, known: 10, share: 0 },
        { key: 'boeth', label: 'travailleurs handicapés (BOETH)', count: null, known: 10, share: null },
        { key: 'from_programme', label: "sortants d'un dispositif d'insertion depuis moins de 6 mois", count: 0, known: 10, share: 0 },
        { key: 'full_time', label: 'à temps plein', count: null, known: 10, share: null },
      ],
      // CDD r3 r4 r5 r7 r8, CDI r1 r2 r9 r10, mission r6.
      contracts: {
        suppressed: false,
        cdi: null,
        cdd: 5,
        other: null,
        natures: [
          { nature: '02', label: 'CDD', category: 'cdd', count: 5 },
          { nature: '01', label: 'CDI', category: 'cdi', count: null },
          { nature: '03', label: 'Contrat de mission (intérim)', category: 'autre', count: null },
        ],
      },
      fixedTerm: {
        contracts: null,
        suppressed: false,
        buckets: [
          { key: 'moins_1_mois', label: "moins d'un mois", count: null },
          { key: '1_3_mois', label: '1 à 3 mois', count: null },
          { key: '3_6_mois', label: '3 à 6 mois', count: 0 },
          { key: '6_12_mois', label: '6 à 12 mois', count: null },
          { key: '12_mois_plus', label: '12 mois ou plus', count: null },
        ],
        meanDays: 114.5,
        medianDays: 45,
      },
      retention: { m6: { observable: 6, retained: null, rate: null }, m12: { observable: 4, retained: null, rate: null } },
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
    // Hidden: women 3 (and 2 men), under 26 2 (and 3 not), BOETH 1 of 5. Shown: 0 or 5 of 5.
    expect(detail?.criteria.map((c) => [c.key, c.value, c.known, c.rank])).toEqual([
      ['woman', null, 5, 0.5],
      ['under_26', null, 5, 5 / 6],
      ['over_50', 0, 5, 1 / 6],
      ['no_prior_contract', 1, 5, 0.5],
      ['long_unemployed', null, 0, null],
      ['after_long_stoppage', 0, 5, 0.5],
      ['boeth', null, 5, 5 / 6],
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

  it("hides E's two CDI intermittents and a second nature, so that the CDI total does not give them away", async () => {
    const detail = await employerDetail(database.db, E);
    // E's 7 hires: 5 CDI (01) and 2 CDI intermittents (07), all CDI. CDI 7 = 01 + 07: 07 (2) is hidden, then 01 (5)
    // as the second cell of the line (else 7 - 5 = 2); CDI 7 of 7 (the rest 0) and CDD and others 0 stay shown.
    expect(detail?.contracts).toEqual({
      suppressed: false,
      cdi: 7,
      cdd: 0,
      other: 0,
      natures: [
        { nature: '01', label: 'CDI', category: 'cdi', count: null },
        { nature: '07', label: 'CDI intermittent', category: 'cdi', count: null },
      ],
    });
    expect(detail?.criteria.find((c) => c.key === 'cdi')?.value).toBe(1);
    // 1 woman of 7 hidden with her share; 0 under 26 and 7 full time of 7 shown.
    expect(detail?.profile.filter((p) => ['woman', 'under_26', 'full_time'].includes(p.key)).map((p) => [p.key, p.count, p.share])).toEqual(
      [
        ['woman', null, null],
        ['under_26', 0, 0],
        ['full_time', 7, 1],
      ],
    );
    // Retention at 6 months: 0 of 7 still there, shown (0, and 7 not retained).
    expect(detail?.retention.m6).toEqual({ observable: 7, retained: 0, rate: 0 });
    expect(detail?.trend.map((point) => point.hires)).toEqual([7, 7, 7]);
  });
});

describe('CountCells', () => {
  it('hides one more part when a published total gives away a sum of 1 to 4 hidden parts', () => {
    // 10 contracts by length: 6, 2, 2, 0, 0. The two 2 are hidden, but 10 - 6 = 4 would say how many they are
    // together: 6 is hidden too. The total and the zeros stay.
    const cells = new CountCells();
    const parts = [6, 2, 2, 0, 0].map((count) => cells.cell(count));
    const total = cells.cell(10);
    cells.sum(total, parts);
    const published = cells.protect();
    expect([...parts, total].map(published)).toEqual([null, null, null, 0, 0, 10]);
  });

  it('hides a count beside its base when the rest, never shown, is 1 to 4', () => {
    const cells = new CountCells();
    const [known, count] = [cells.cell(10), cells.cell(9)];
    const rest = cells.cell(1, { hidden: true });
    cells.sum(known, [count, rest]);
    expect([known, count, rest].map(cells.protect())).toEqual([10, null, null]);
    expect(() => cells.sum(known, [count])).toThrow('CountCells: a total (10) is not the sum of its parts (9)');
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
