import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARTICIPANT_FILTERS, type ParticipantFilters } from '../../src/participants/filters.js';
import { listAudit, listParticipants, participantDetail, recordParticipantView } from '../../src/participants/repository.js';
import type { TestDatabase } from '../helpers/database.js';
import { loadParticipantsFixture, SIRET_A, SIRET_B, SIRET_D } from '../helpers/participants-fixture.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await loadParticipantsFixture();
});
afterAll(async () => {
  await database.drop();
});

const list = (changes: Partial<ParticipantFilters> = {}, pageSize = 10, sirets = [SIRET_A]) =>
  listParticipants(database.db, sirets, { ...DEFAULT_PARTICIPANT_FILTERS, ...changes }, { pageSize });
const passes = async (changes: Partial<ParticipantFilters> = {}, pageSize = 10) =>
  (await list(changes, pageSize)).rows.map((row) => row.passNumber);

describe('listParticipants', () => {
  it("gives every counter of the structure's PASS, and nothing of another structure's", async () => {
    const result = await list();
    expect(result.total).toBe(4);
    expect(result.rows).toEqual([
      // 80 + 60 h at A and 20 h at B; February explained by the sick leave, March not. 2 January 2024 + 26 months - 1 day.
      {
        passNumber: 'PASSA1',
        lastName: 'Bernard',
        firstNames: 'Alice',
        structureSiret: SIRET_A,
        startDate: '2024-01-02',
        budgetHours: 3640,
        hoursWorked: 160,
        hoursRemaining: 3480,
        monthsWorked: 2,
        monthsWithoutHours: 2,
        monthsExplained: 1,
        projectedEndDate: '2026-03-01',
        lastDeclaredMonth: '2024-04-01',
        alert: null,
        alertLabel: null,
      },
      // Accents sort with their letter: Évrard between Bernard and Martin.
      expect.objectContaining({
        passNumber: 'PASSA3',
        lastName: 'Évrard',
        firstNames: 'Ève',
        hoursWorked: 200,
        monthsWithoutHours: 2,
        monthsExplained: 0,
        projectedEndDate: '2024-06-30',
        alert: 'no_hours_2_months',
        alertLabel: 'Aucune heure depuis 2 mois',
      }),
      expect.objectContaining({
        passNumber: 'PASSA2',
        hoursWorked: 3900,
        hoursRemaining: -260,
        monthsWorked: 3,
        alert: 'budget_exhausted',
        alertLabel: "Budget d'heures épuisé",
      }),
      // March was paid leave: 1 April 2022 + 25 months - 1 day, within 3 months of April 2024.
      expect.objectContaining({
        passNumber: 'PASSA4',
        hoursWorked: 300,
        monthsWithoutHours: 1,
        monthsExplained: 1,
        projectedEndDate: '2024-04-30',
        alert: 'ending_soon',
        alertLabel: 'Fin de parcours dans moins de 3 mois',
      }),
    ]);
    expect(JSON.stringify(result)).not.toContain('PASSB1');
    expect(JSON.stringify(result)).not.toContain('Garnier');
  });

  it('counts the alerts within the structures given only', async () => {
    expect((await list()).alertCounts).toEqual({ all: 4, any: 3, budget_exhausted: 1, no_hours_2_months: 1, ending_soon: 1 });
    expect((await list({}, 10, [SIRET_B])).alertCounts).toEqual({
      all: 1,
      any: 1,
      budget_exhausted: 1,
      no_hours_2_months: 0,
      ending_soon: 0,
    });
    expect((await list({}, 10, [SIRET_A, SIRET_B])).alertCounts.budget_exhausted).toBe(2);
    expect(await list({}, 10, [])).toEqual({
      rows: [],
      total: 0,
      page: 1,
      pages: 1,
      pageSize: 10,
      alertCounts: { all: 0, any: 0, budget_exhausted: 0, no_hours_2_months: 0, ending_soon: 0 },
    });
    expect((await list({}, 10, [SIRET_D])).total).toBe(0);
  });

  it('sorts on each column, both ways, names breaking ties', async () => {
    expect(await passes({ direction: 'desc' })).toEqual(['PASSA4', 'PASSA2', 'PASSA3', 'PASSA1']);
    expect(await passes({ sort: 'passNumber', direction: 'desc' })).toEqual(['PASSA4', 'PASSA3', 'PASSA2', 'PASSA1']);
    expect(await passes({ sort: 'hoursWorked', direction: 'desc' })).toEqual(['PASSA2', 'PASSA4', 'PASSA3', 'PASSA1']);
    expect(await passes({ sort: 'hoursRemaining' })).toEqual(['PASSA2', 'PASSA4', 'PASSA3', 'PASSA1']);
    expect(await passes({ sort: 'projectedEndDate' })).toEqual(['PASSA4', 'PASSA3', 'PASSA2', 'PASSA1']);
    // Alice and Eve both have 2 months without hours: Bernard before Évrard.
    expect(await passes({ sort: 'monthsWithoutHours', direction: 'desc' })).toEqual(['PASSA1', 'PASSA3', 'PASSA4', 'PASSA2']);
  });

  it('filters by alert, with totals that follow the filter', async () => {
    const any = await list({ alert: 'any' });
    expect([any.total, any.pages, any.rows.map((row) => row.passNumber)]).toEqual([3, 1, ['PASSA3', 'PASSA2', 'PASSA4']]);
    // Structure B's PASS is over its budget too: it never shows.
    const exhausted = await list({ alert: 'budget_exhausted' });
    expect([exhausted.total, exhausted.rows.map((row) => row.passNumber)]).toEqual([1, ['PASSA2']]);
    expect(await passes({ alert: 'ending_soon' })).toEqual(['PASSA4']);
    expect(await passes({ alert: 'no_hours_2_months' })).toEqual(['PASSA3']);
  });

  it('pages, bringing a page past the end back to the last one', async () => {
    const second = await list({ page: 2 }, 3);
    expect([second.total, second.page, second.pages, second.pageSize, second.rows.map((row) => row.passNumber)]).toEqual([
      4,
      2,
      2,
      3,
      ['PASSA4'],
    ]);
    const first = await list({ page: 1 }, 3);
    expect([first.page, first.rows.map((row) => row.passNumber)]).toEqual([1, ['PASSA1', 'PASSA3', 'PASSA2']]);
    const past = await list({ page: 9 }, 3);
    expect([past.page, past.rows.map((row) => row.passNumber)]).toEqual([2, ['PASSA4']]);
  });
});

describe('participantDetail', () => {
  it('gives the months: hours here and at other SIAE, and what explains a month without hours', async () => {
    const detail = await participantDetail(database.db, [SIRET_A], 'PASSA1');
    expect(detail?.participant).toMatchObject({ passNumber: 'PASSA1', lastName: 'Bernard', hoursWorked: 160, passEndDate: null });
    expect(detail?.months).toEqual([
      {
        month: '2024-01-01',
        hoursHere: 80,
        hoursOtherSiae: 0,
        hours: 80,
        stoppages: [],
        suspensions: [],
        status: 'worked',
        explanation: null,
      },
      {
        month: '2024-02-01',
        hoursHere: 0,
        hoursOtherSiae: 0,
        hours: 0,
        stoppages: [{ code: '01', label: 'Arrêt maladie' }],
        suspensions: [],
        status: 'explained',
        explanation: 'Arrêt maladie',
      },
      // The 12 days at D are not IAE hours: March stays without hours, and nothing explains it.
      {
        month: '2024-03-01',
        hoursHere: 0,
        hoursOtherSiae: 0,
        hours: 0,
        stoppages: [],
        suspensions: [],
        status: 'unexplained',
        explanation: null,
      },
      {
        month: '2024-04-01',
        hoursHere: 60,
        hoursOtherSiae: 20,
        hours: 80,
        stoppages: [],
        suspensions: [],
        status: 'worked',
        explanation: null,
      },
    ]);
  });

  it('gives the timeline: own contracts in full, other employers as dates only, with labels and durations', async () => {
    const detail = await participantDetail(database.db, [SIRET_A], 'PASSA1');
    const none = { siret: null, contractNumber: null, siaeKind: null, reasonCode: null, endReason: null };
    expect(detail?.timeline).toEqual([
      // Still open: counted to the end of A's last declared month, 2 January to 30 April.
      {
        ...none,
        kind: 'contract',
        label: "CDD d'insertion (CDDI)",
        employer: 'own',
        employerLabel: 'Votre structure',
        siret: SIRET_A,
        contractNumber: 'A1',
        siaeKind: "Atelier et chantier d'insertion (ACI)",
        startDate: '2024-01-02',
        endDate: '2024-04-30',
        endKnown: false,
        days: 120,
      },
      // From the day after the last day worked to the day before the return.
      {
        ...none,
        kind: 'stoppage',
        label: 'Arrêt maladie',
        employer: 'own',
        employerLabel: 'Votre structure',
        reasonCode: '01',
        startDate: '2024-02-01',
        endDate: '2024-02-29',
        endKnown: true,
        days: 29,
      },
      {
        ...none,
        kind: 'contract',
        label: 'Contrat chez un autre employeur',
        employer: 'other_employer',
        employerLabel: 'Autre employeur',
        startDate: '2024-03-04',
        endDate: '2024-03-15',
        endKnown: true,
        days: 12,
      },
      {
        ...none,
        kind: 'contract',
        label: 'Contrat dans une autre SIAE',
        employer: 'other_siae',
        employerLabel: 'Autre SIAE',
        startDate: '2024-04-01',
        endDate: '2024-04-30',
        endKnown: false,
        days: 30,
      },
    ]);
    const text = JSON.stringify(detail);
    for (const hidden of [SIRET_B, SIRET_D, 'B7', 'D1', 'Fin de CDD']) expect(text).not.toContain(hidden);
  });

  it("shows a contract at another of the caller's structures in full, with its end reason", async () => {
    const detail = await participantDetail(database.db, [SIRET_A, SIRET_B], 'PASSA1');
    expect(detail?.timeline.find((entry) => entry.startDate === '2024-04-01')).toMatchObject({
      employer: 'own',
      siret: SIRET_B,
      contractNumber: 'B7',
      siaeKind: "Entreprise d'insertion (EI)",
    });
    const frank = await participantDetail(database.db, [SIRET_A], 'passa4');
    expect(frank?.participant.passEndDate).toBe('2024-12-31');
    expect(frank?.months.find((month) => month.month === '2024-03-01')).toMatchObject({
      status: 'explained',
      suspensions: [{ code: '200', label: 'Congés payés' }],
      explanation: 'Congés payés',
    });
    // 1 April 2022 to 30 April 2024, then the paid leave: 1 to 31 March 2024.
    expect(frank?.timeline.map((entry) => [entry.kind, entry.label, entry.startDate, entry.endDate, entry.days])).toEqual([
      ['contract', "CDD d'insertion (CDDI)", '2022-04-01', '2024-04-30', 761],
      ['suspension', 'Congés payés', '2024-03-01', '2024-03-31', 31],
    ]);
  });

  it('answers null for a PASS of another structure as for an unknown one', async () => {
    expect(await participantDetail(database.db, [SIRET_A], 'PASSB1')).toBeNull();
    expect(await participantDetail(database.db, [SIRET_A], 'PASSZZ')).toBeNull();
    expect(await participantDetail(database.db, [SIRET_B], 'PASSA1')).toBeNull();
    expect(await participantDetail(database.db, [], 'PASSA1')).toBeNull();
    expect((await participantDetail(database.db, [SIRET_B], 'PASSB1'))?.participant.lastName).toBe('Garnier');
  });
});

describe('audit log', () => {
  it('writes who saw which PASS and of whom, newest first', async () => {
    await recordParticipantView(database.db, { userId: 7, passNumber: 'PASSA1' });
    await recordParticipantView(database.db, { userId: 8, passNumber: 'passa2' });
    const { rows } = await database.pool.query(
      `select a.user_id, a.action, a.pass_number, a.person_key = p.person_key as same_person, a.detail, a.at <= now() as dated
       from audit_log a join iae_passes p using (pass_number) order by a.id`,
    );
    expect(rows).toEqual([
      { user_id: 7, action: 'participant_view', pass_number: 'PASSA1', same_person: true, detail: null, dated: true },
      { user_id: 8, action: 'participant_view', pass_number: 'PASSA2', same_person: true, detail: null, dated: true },
    ]);
    const all = await listAudit(database.db, { limit: 10 });
    expect(all.map((entry) => [entry.userId, entry.passNumber, entry.action])).toEqual([
      [8, 'PASSA2', 'participant_view'],
      [7, 'PASSA1', 'participant_view'],
    ]);
    expect(all[0]?.at).toBeInstanceOf(Date);
    expect((await listAudit(database.db, { passNumber: 'PASSA1', limit: 10 })).map((entry) => entry.userId)).toEqual([7]);
    expect((await listAudit(database.db, { userId: 8, passNumber: 'PASSA1', limit: 10 })).length).toBe(0);
    expect((await listAudit(database.db, { limit: 1 })).length).toBe(1);
  });
});
