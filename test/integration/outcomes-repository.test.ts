import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWithinScope, parseOutcomeFilters } from '../../src/outcomes/filters.js';
import {
  cohortOptions,
  departementOptions,
  MissingDepartementError,
  type OutcomeMeasures,
  outcomesByCohort,
  outcomesByProgramme,
  outcomesByTerritory,
  outcomesCsv,
  programmeOptions,
  regionOptions,
} from '../../src/outcomes/repository.js';
import type { TerritoryScope } from '../../src/outcomes/territory.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadOutcomesFixture, siretOf } from '../helpers/outcomes-fixture.js';

// The fixture (test/helpers/outcomes-fixture.ts), per structure, outcomes at 6 months (12 months):
// - GEIQ59, geiq, 12 exits on 31 December 2023 (cohort 2023-T4): 6 in a CDI at 6 and 12 months, 6 without work.
//   Women: 5 (3 in a CDI). Under 26: 2 (1 in a CDI).
// - ACI59, aci, 6 exits on 31 March 2024 (2024-T1): 2 in a CDI, 1 in a CDDI of another ACI (still in IAE), 3
//   without work; 12 months is after the DSN's last month: not observable. Women: 2 (1 in a CDI). Under 26: 1.
// - ACI62, aci, 5 exits on 31 March 2024: 3 in a CDI, 2 without work; 12 months not observable. All men.
// Every CDI is durable employment: employed and durable counts are equal throughout.

const FRANCE: TerritoryScope = { kind: 'france' };
const NORD: TerritoryScope = { kind: 'departements', codes: ['59'] };

const ACI = "Atelier et chantier d'insertion (ACI)";
const GEIQ = "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)";
const ALL = 'Ensemble des dispositifs';

type Count = number | 'secret';
const S = { value: null, secret: true } as const;
const cell = (count: Count) => (count === 'secret' ? S : { value: count, secret: false });
const rate = (count: Count, observable: Count) => {
  if (count === 'secret' || observable === 'secret') return S;
  return observable === 0 ? { value: null, secret: false } : { value: count / observable, secret: false };
};
/** One horizon: observable exits, employed, durable, still in the programme; rates derived from them. */
const horizon = (observable: Count, employed: Count, durable: Count, inProgramme: Count) => ({
  observable: cell(observable),
  employed: cell(employed),
  employedRate: rate(employed, observable),
  durable: cell(durable),
  durableRate: rate(durable, observable),
  inProgramme: cell(inProgramme),
  inProgrammeRate: rate(inProgramme, observable),
});
const measures = (exits: Count, m6: ReturnType<typeof horizon>, m12: ReturnType<typeof horizon>) => ({ exits: cell(exits), m6, m12 });
const NOT_OBSERVABLE = horizon(0, 0, 0, 0);
const everyCellSecret = (line: OutcomeMeasures) =>
  [line.exits, ...[line.m6, line.m12].flatMap((h) => Object.values(h))].every((c) => c.secret && c.value === null);

let database: TestDatabase;
beforeAll(async () => {
  database = await loadOutcomesFixture();
});
afterAll(async () => {
  await database.drop();
});

describe('outcomes by programme', () => {
  it('counts exits and outcomes in SQL, and hides the one person still in IAE, and the zeros of that total of 1', async () => {
    const table = await outcomesByProgramme(database.db, FRANCE, {});
    expect(table.dimensions).toEqual(['Dispositif']);
    expect(table.lines).toEqual([
      // aci: 6 + 5 exits; at 6 months 2 + 3 in a CDI (5/11), 1 in IAE: secret (primary), and the cell that would
      // give it back is never shown. At 12 months nothing is observable yet: 0 exits observable, no rate.
      { programme: 'aci', labels: [ACI], ...measures(11, horizon(11, 5, 5, 'secret'), NOT_OBSERVABLE) },
      // geiq: 6 of 12 employed at 6 and 12 months (50 %); its 0 in programme at 6 months is a part of the total of 1:
      // secret too. At 12 months the total in programme is 0: the zeros are shown.
      { programme: 'geiq', labels: [GEIQ], ...measures(12, horizon(12, 6, 6, 'secret'), horizon(12, 6, 6, 0)) },
    ]);
    // 23 exits, 11 employed at 6 months (47.8 %); at 12 months only geiq's 12 are observable.
    expect(table.total).toEqual({ programme: null, labels: [ALL], ...measures(23, horizon(23, 11, 11, 'secret'), horizon(12, 6, 6, 0)) });
  });

  it('applies the secondary suppression: in the Nord, the GEIQ employed are hidden because the ACI ones are', async () => {
    const table = await outcomesByProgramme(database.db, NORD, {});
    expect(table.lines).toEqual([
      // ACI59 alone: 2 of 6 employed (and 4 not): secret (primary).
      { programme: 'aci', labels: [ACI], ...measures(6, horizon(6, 'secret', 'secret', 'secret'), NOT_OBSERVABLE) },
      // 8 (total) - 2 would be GEIQ's 6: GEIQ's employed and durable at 6 months are hidden (secondary); 12 months shown.
      { programme: 'geiq', labels: [GEIQ], ...measures(12, horizon(12, 'secret', 'secret', 'secret'), horizon(12, 6, 6, 0)) },
    ]);
    // 8 of 18 employed at 6 months (44.4 %).
    expect(table.total).toEqual({ programme: null, labels: [ALL], ...measures(18, horizon(18, 8, 8, 'secret'), horizon(12, 6, 6, 0)) });
  });

  it('never counts an exit outside the scope, even when the filter asks for it', async () => {
    const forged = parseOutcomeFilters({ departement: '62' });
    if (!forged.ok) throw new Error('filters refused');
    expect(isWithinScope(NORD, forged.filters)).toBe(false);
    const table = await outcomesByProgramme(database.db, NORD, forged.filters);
    expect(table.lines).toEqual([]);
    expect(table.total.exits).toEqual({ value: 0, secret: false });
    const region = await outcomesByProgramme(database.db, NORD, { region: '32' });
    expect(region.total.exits).toEqual({ value: 18, secret: false });
    const elsewhere = await outcomesByProgramme(database.db, { kind: 'regions', codes: ['11'] }, {});
    expect(elsewhere.lines).toEqual([]);
    expect(elsewhere.total.exits).toEqual({ value: 0, secret: false });
    expect((await outcomesByProgramme(database.db, { kind: 'departements', codes: [] }, {})).total.exits.value).toBe(0);
  });

  it('filters on the cohort: a quarter or a year', async () => {
    // Only the GEIQ left in 2023-T4: with no ACI, nobody is in programme and the zeros are shown.
    const quarter = await outcomesByProgramme(database.db, FRANCE, { cohort: '2023-T4' });
    expect(quarter.lines).toEqual([{ programme: 'geiq', labels: [GEIQ], ...measures(12, horizon(12, 6, 6, 0), horizon(12, 6, 6, 0)) }]);
    expect(quarter.total).toMatchObject(measures(12, horizon(12, 6, 6, 0), horizon(12, 6, 6, 0)));
    const year = await outcomesByProgramme(database.db, FRANCE, { cohort: '2024' });
    expect(year.lines).toEqual([{ programme: 'aci', labels: [ACI], ...measures(11, horizon(11, 5, 5, 'secret'), NOT_OBSERVABLE) }]);
  });

  it('filters on sex: 7 women, most cells hidden', async () => {
    const table = await outcomesByProgramme(database.db, FRANCE, { sex: 'femme' });
    expect(table.lines).toEqual([
      // 2 women left an ACI: 2 exits, 2 observable, 1 employed: secret (primary), the zero in programme too. Nothing
      // is observable at 12 months, but its 0 employed is a part of the 3 employed of the total: secret as well.
      {
        programme: 'aci',
        labels: [ACI],
        ...measures('secret', horizon('secret', 'secret', 'secret', 'secret'), horizon(0, 'secret', 'secret', 0)),
      },
      // 5 women left the GEIQ: 3 employed and 2 not: secret (primary). Its 5 exits and 5 observable at 6 months
      // would give the ACI's 2 back from the totals of 7: hidden (secondary), and its 0 in programme with them.
      {
        programme: 'geiq',
        labels: [GEIQ],
        ...measures('secret', horizon('secret', 'secret', 'secret', 'secret'), horizon(5, 'secret', 'secret', 0)),
      },
    ]);
    // 4 of 7 employed at 6 months and 3 not: secret; 3 of 5 at 12 months: secret.
    expect(table.total).toEqual({
      programme: null,
      labels: [ALL],
      ...measures(7, horizon(7, 'secret', 'secret', 0), horizon(5, 'secret', 'secret', 0)),
    });
  });

  it('filters on age: 3 people under 26, every cell secret', async () => {
    const table = await outcomesByProgramme(database.db, FRANCE, { ageBand: 'moins_26' });
    expect(table.lines.map((line) => line.programme)).toEqual(['aci', 'geiq']);
    expect([...table.lines, table.total].every(everyCellSecret)).toBe(true);
  });
});

describe('outcomes by cohort', () => {
  it('gives each exit quarter, each programme and all programmes, protected with the programme table', async () => {
    const table = await outcomesByCohort(database.db, FRANCE, {});
    expect(table.dimensions).toEqual(['Cohorte de sortie', 'Dispositif']);
    const geiq = measures(12, horizon(12, 6, 6, 'secret'), horizon(12, 6, 6, 0));
    const aci = measures(11, horizon(11, 5, 5, 'secret'), NOT_OBSERVABLE);
    expect(table.lines).toEqual([
      { cohort: '2023-T4', programme: null, labels: ['4e trimestre 2023', ALL], ...geiq },
      { cohort: '2023-T4', programme: 'geiq', labels: ['4e trimestre 2023', GEIQ], ...geiq },
      { cohort: '2024-T1', programme: null, labels: ['1er trimestre 2024', ALL], ...aci },
      { cohort: '2024-T1', programme: 'aci', labels: ['1er trimestre 2024', ACI], ...aci },
    ]);
    expect(table.total).toEqual({
      cohort: null,
      programme: null,
      labels: ['Ensemble des cohortes', ALL],
      ...measures(23, horizon(23, 11, 11, 'secret'), horizon(12, 6, 6, 0)),
    });
    const aciOnly = await outcomesByCohort(database.db, FRANCE, { programme: 'aci' });
    expect(aciOnly.lines.map((line) => [line.cohort, line.programme])).toEqual([['2024-T1', 'aci']]);
  });
});

describe('outcomes by territory', () => {
  it('by département, with names: the Nord employed hidden because the Pas-de-Calais ones are', async () => {
    const table = await outcomesByTerritory(database.db, FRANCE, {}, 'departement');
    expect(table.dimensions).toEqual(['Département']);
    expect(table.lines).toEqual([
      // 12 + 6 exits; 8 employed at 6 months: 11 (total) - 8 would give the Pas-de-Calais's 3 (secondary).
      { code: '59', labels: ['Nord'], ...measures(18, horizon(18, 'secret', 'secret', 'secret'), horizon(12, 6, 6, 0)) },
      // ACI62: 3 employed, 2 not: secret (primary).
      { code: '62', labels: ['Pas-de-Calais'], ...measures(5, horizon(5, 'secret', 'secret', 'secret'), NOT_OBSERVABLE) },
    ]);
    expect(table.total).toEqual({ code: null, labels: ['Ensemble'], ...measures(23, horizon(23, 11, 11, 'secret'), horizon(12, 6, 6, 0)) });
  });

  it('by région', async () => {
    const table = await outcomesByTerritory(database.db, FRANCE, {}, 'region');
    const all = measures(23, horizon(23, 11, 11, 'secret'), horizon(12, 6, 6, 0));
    expect(table.lines).toEqual([{ code: '32', labels: ['Hauts-de-France'], ...all }]);
    expect(table.total).toEqual({ code: null, labels: ['Ensemble'], ...all });
  });

  it('by structure within a département, which it requires', async () => {
    const table = await outcomesByTerritory(database.db, FRANCE, { departement: '59' }, 'structure');
    expect(table.dimensions).toEqual(['Structure']);
    expect(table.lines).toEqual([
      {
        code: siretOf('GEIQ59'),
        labels: [`LILLE (SIRET ${siretOf('GEIQ59')})`],
        ...measures(12, horizon(12, 'secret', 'secret', 'secret'), horizon(12, 6, 6, 0)),
      },
      {
        code: siretOf('ACI59'),
        labels: [`ROUBAIX (SIRET ${siretOf('ACI59')})`],
        ...measures(6, horizon(6, 'secret', 'secret', 'secret'), NOT_OBSERVABLE),
      },
    ]);
    expect(table.total).toMatchObject(measures(18, horizon(18, 8, 8, 'secret'), horizon(12, 6, 6, 0)));
    await expect(outcomesByTerritory(database.db, FRANCE, {}, 'structure')).rejects.toBeInstanceOf(MissingDepartementError);
    // A funder of the Nord never sees the Pas-de-Calais, whatever it asks.
    const forged = await outcomesByTerritory(database.db, NORD, { departement: '62' }, 'structure');
    expect(forged.lines).toEqual([]);
    const departements = await outcomesByTerritory(database.db, NORD, {}, 'departement');
    expect(departements.lines.map((line) => line.code)).toEqual(['59']);
  });
});

describe('CSV export', () => {
  it('writes exactly the table shown, secret cells as « secret », semicolons, a BOM and decimal commas', async () => {
    const csv = outcomesCsv(await outcomesByProgramme(database.db, NORD, {}));
    expect(csv).toBe(
      '\uFEFF' +
        [
          "Dispositif;Sorties;Sorties observables à 6 mois;En emploi à 6 mois;Taux d'emploi à 6 mois (%);En emploi durable à 6 mois;" +
            "Taux d'emploi durable à 6 mois (%);Toujours dans le dispositif à 6 mois;Part toujours dans le dispositif à 6 mois (%);" +
            "Sorties observables à 12 mois;En emploi à 12 mois;Taux d'emploi à 12 mois (%);En emploi durable à 12 mois;" +
            "Taux d'emploi durable à 12 mois (%);Toujours dans le dispositif à 12 mois;Part toujours dans le dispositif à 12 mois (%)",
          `${ACI};6;6;secret;secret;secret;secret;secret;secret;0;0;;0;;0;`,
          `${GEIQ};12;12;secret;secret;secret;secret;secret;secret;12;6;50,0;6;50,0;0;0,0`,
          `${ALL};18;18;8;44,4;8;44,4;secret;secret;12;6;50,0;6;50,0;0;0,0`,
        ]
          .map((line) => `${line}\r\n`)
          .join(''),
    );
  });
});

describe('filter options and validation', () => {
  it('offers only what is in the scope', async () => {
    expect(await programmeOptions(database.db, NORD)).toEqual([
      { code: 'aci', label: ACI },
      { code: 'geiq', label: GEIQ },
    ]);
    expect(await programmeOptions(database.db, { kind: 'regions', codes: ['11'] })).toEqual([]);
    expect(await cohortOptions(database.db, FRANCE)).toEqual([
      { code: '2023', label: 'Année 2023' },
      { code: '2023-T4', label: '4e trimestre 2023' },
      { code: '2024', label: 'Année 2024' },
      { code: '2024-T1', label: '1er trimestre 2024' },
    ]);
    expect(await departementOptions(database.db, NORD)).toEqual([{ code: '59', label: '59 - Nord' }]);
    expect(await regionOptions(database.db, NORD)).toEqual([]);
    expect(await regionOptions(database.db, { kind: 'regions', codes: ['32'] })).toEqual([{ code: '32', label: 'Hauts-de-France' }]);
    expect((await departementOptions(database.db, { kind: 'regions', codes: ['32'] })).map((o) => o.code)).toEqual([
      '02',
      '59',
      '60',
      '62',
      '80',
    ]);
    expect((await regionOptions(database.db, FRANCE)).length).toBeGreaterThanOrEqual(18);
  });

  it('reads the query string, blanks as no filter, and says in French what is wrong', () => {
    expect(parseOutcomeFilters({ programme: 'geiq', cohorte: '2024-t3', departement: '2a', sexe: '', age: '50_plus' })).toEqual({
      ok: true,
      filters: { programme: 'geiq', region: undefined, departement: '2A', cohort: '2024-T3', sex: undefined, ageBand: '50_plus' },
    });
    const bad = parseOutcomeFilters({ programme: 'xyz', cohorte: '2024-T5', region: '99', sexe: 'autre' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.field)).toEqual(['programme', 'region', 'cohorte', 'sexe']);
    expect(bad.errors[2]?.message).toMatch(/^cohorte : un trimestre AAAA-T1 à AAAA-T4/);
    expect(isWithinScope({ kind: 'regions', codes: ['32'] }, { departement: '59' })).toBe(true);
    expect(isWithinScope({ kind: 'regions', codes: ['32'] }, { region: '11' })).toBe(false);
    expect(isWithinScope(NORD, { region: '32' })).toBe(false);
    expect(isWithinScope(FRANCE, { region: '11', departement: '59' })).toBe(true);
  });
});
