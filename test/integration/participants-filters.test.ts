import { describe, expect, it } from 'vitest';
import '../../src/config.js';
import { DEFAULT_PARTICIPANT_FILTERS, participantFiltersSchema, participantsQuery } from '../../src/participants/filters.js';

const messages = (query: Record<string, unknown>) => {
  const parsed = participantFiltersSchema.safeParse(query);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} : ${issue.message}`);
};

describe('participantFiltersSchema', () => {
  it('reads the query string into filters, with defaults for what is absent or empty', () => {
    expect(participantFiltersSchema.parse({})).toEqual(DEFAULT_PARTICIPANT_FILTERS);
    expect(participantFiltersSchema.parse({ alerte: '', tri: '', page: '' })).toEqual(DEFAULT_PARTICIPANT_FILTERS);
    expect(participantFiltersSchema.parse({ alerte: 'toutes', tri: 'sans_heures_desc', page: '3', autre: 'x' })).toEqual({
      alert: 'any',
      sort: 'monthsWithoutHours',
      direction: 'desc',
      page: 3,
    });
    expect(participantFiltersSchema.parse({ alerte: 'ending_soon', tri: 'fin_asc' })).toMatchObject({
      alert: 'ending_soon',
      sort: 'projectedEndDate',
    });
  });

  it('says in French what is wrong', () => {
    expect(messages({ alerte: 'rouge', tri: 'age_asc', page: '0' })).toEqual([
      'alerte : alerte inconnue : valeurs possibles no_hours_2_months, ending_soon, budget_exhausted, toutes, ou vide pour toutes les personnes',
      'tri : tri inconnu : valeurs possibles nom_asc, nom_desc, pass_asc, pass_desc, heures_asc, heures_desc, restant_asc, restant_desc, fin_asc, fin_desc, sans_heures_asc, sans_heures_desc',
      'page : page : 1 ou plus est attendu',
    ]);
    expect(messages({ page: 'deux' })).toEqual(['page : page : un nombre entier est attendu']);
    expect(messages({ page: '1.5' })).toEqual(['page : page : un nombre entier est attendu']);
  });

  it('writes filters back as a query string', () => {
    const filters = participantFiltersSchema.parse({ alerte: 'toutes', tri: 'heures_desc', page: '2' });
    expect(participantsQuery(filters)).toBe('alerte=toutes&tri=heures_desc&page=2');
    expect(participantsQuery(filters, { page: 1, alert: null })).toBe('tri=heures_desc');
    expect(participantFiltersSchema.parse(Object.fromEntries(new URLSearchParams(participantsQuery(filters))))).toEqual(filters);
  });
});
