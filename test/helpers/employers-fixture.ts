import type { TestDatabase } from './database.js';
import { contract, contractEnd, declaration, individual } from './dsn-builder.js';
import { loadIndicatorFixture } from './indicator-fixture.js';

// The employers of the counsellor journey, by hand. The DSN covers January 2024 to January 2025 (R declares
// January 2024, July 2024 and January 2025; the others June 2024 only), so the window of employer_engagement
// is February 2023 to January 2025 and holds every hire below.
//
// A to E are the establishments of test/integration/indicators-engagement.test.ts, every hire on 3 June 2024:
//   A (Lille 59350, NAF 8899B): women 3/5, under 26 2/5, CDI and full time 5/5, BOETH 1/5.
//   B (Lille, 8899B): women 1/5, under 26 1/5, over 50 1/5, CDI 2/5, three CDD of 30 days, full time 4/5.
//   C (Arras 62041, 8610Z): women 5/5, over 50 2/5, five part-time CDD of 90 days.
//   D (Lille, 8899B): 4 hires, no score.
//   E (Lille, 4711F, section G): women 1/7; here two hires more than there, both CDI intermittents (nature 07),
//     beside five CDI (01), for the statistical secret on contract natures.
// R (Marseille 13055, NAF 5610C, section I, région 93) hires over three declared months; see R_HIRES.

export type Hire = {
  woman?: boolean;
  age?: 'young' | 'senior';
  /** CDD: planned length in days from the hire date. */
  cdd?: number;
  partTime?: boolean;
  boeth?: boolean;
  /** Contract nature (40.007) when not the default: 02 with `cdd`, else 01. */
  nature?: string;
};

const LILLE = { postalCode: '59000', town: 'LILLE' };
const ARRAS = { postalCode: '62000', town: 'ARRAS' };
const MARSEILLE = { postalCode: '13001', town: 'MARSEILLE' };

export const ESTABLISHMENTS = [
  {
    name: 'A',
    siren: '552100554',
    naf: '8899B',
    place: LILLE,
    hires: [{ woman: true, age: 'young', boeth: true }, { woman: true, age: 'young' }, { woman: true }, {}, {}],
  },
  {
    name: 'B',
    siren: '732829320',
    naf: '8899B',
    place: LILLE,
    hires: [{ woman: true, age: 'young' }, { age: 'senior' }, { cdd: 30 }, { cdd: 30 }, { cdd: 30, partTime: true }],
  },
  {
    name: 'C',
    siren: '542065479',
    naf: '8610Z',
    place: ARRAS,
    hires: Array.from({ length: 5 }, (_, i) => ({ woman: true, age: i < 2 ? 'senior' : undefined, cdd: 90, partTime: true })),
  },
  { name: 'D', siren: '402968393', naf: '8899B', place: LILLE, hires: [{}, {}, {}, {}] },
  {
    name: 'E',
    siren: '443061841',
    naf: '4711F',
    place: LILLE,
    hires: [{}, {}, {}, { woman: true }, {}, { nature: '07' }, { nature: '07' }],
  },
] as const satisfies readonly { name: string; siren: string; naf: string; place: typeof LILLE; hires: readonly Hire[] }[];

export const SIRET = {
  A: '55210055400011',
  B: '73282932000011',
  C: '54206547900011',
  D: '40296839300011',
  E: '44306184100011',
  R: '91234567800011',
} as const;

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

let order = 0;
function hireBlocks(hire: Hire): string[] {
  order += 1;
  const year = hire.age === 'young' ? '2000' : hire.age === 'senior' ? '1970' : '1985';
  return [
    ...individual({
      nir: `${hire.woman ? 2 : 1}${year.slice(2)}0159350${String(order).padStart(3, '0')}`,
      lastName: `PERSONNE${order}`,
      birth: `0101${year}`,
    }),
    ...contract({
      start: '2024-06-03',
      number: `H${order}`,
      nature: hire.nature ?? (hire.cdd ? '02' : '01'),
      plannedEnd: hire.cdd ? addDays('2024-06-03', hire.cdd - 1) : undefined,
      time: hire.partTime ? '20' : '10',
      boeth: hire.boeth ? '01' : undefined,
    }),
  ];
}

// R's people: sex, birth year; r5 is hired twice (r10).
const R_PEOPLE = {
  r1: { woman: true, year: '2000' },
  r2: { woman: false, year: '1985' },
  r3: { woman: true, year: '1970' },
  r4: { woman: false, year: '1985' },
  r5: { woman: false, year: '1985' },
  r6: { woman: true, year: '2002' },
  r7: { woman: false, year: '2003' },
  r8: { woman: true, year: '1985' },
  r9: { woman: false, year: '1970' },
} as const;
type Person = keyof typeof R_PEOPLE;

/**
 * R's contracts; `months` are the months that declare each. A contract no longer declared while R declares 3
 * months later ends implicitly at the end of its last declared month; one declared in R's last month (January
 * 2025) runs to its planned end.
 *   r1  8 Jan 2024, woman born 2000, CDI full time, declared to Jan 2025: still there at 6 and 12 months.
 *   r2  8 Jan 2024, man 1985, CDI full time, declared Jan and Jul 2024: ends 31 Jul 2024, there at 6 months only.
 *   r3  8 Jan 2024, woman 1970, CDD full time ended 19 Jan 2024 (declared end): 12 days.
 *   r4  8 Jan 2024, man 1985, BOETH, part-time CDD planned to 31 Dec 2024, declared Jan and Jul 2024: ends
 *       31 Jul 2024, 206 days (24 + 29 + 31 + 30 + 31 + 30 + 31), there at 6 months.
 *   r5  1 Jul 2024, man 1985, CDD full time planned to 30 Sep 2024, declared Jul only: ends 31 Jul, 31 days.
 *   r6  1 Jul 2024, woman 2002, mission full time ended 14 Jul 2024: 14 days.
 *   r7  6 Jan 2025, man 2003, CDD full time planned to 5 Mar 2025: 59 days (26 + 28 + 5).
 *   r8  6 Jan 2025, woman 1985, part-time CDD planned to 5 Jan 2026: 365 days.
 *   r9  6 Jan 2025, man 1970, CDI part time.
 *   r10 6 Jan 2025, the person r5 again, CDI full time.
 */
const R_CONTRACTS: {
  id: string;
  person: Person;
  start: string;
  nature: string;
  plannedEnd?: string;
  end?: string;
  partTime?: boolean;
  boeth?: boolean;
  months: string[];
}[] = [
  { id: 'r1', person: 'r1', start: '2024-01-08', nature: '01', months: ['2024-01', '2024-07', '2025-01'] },
  { id: 'r2', person: 'r2', start: '2024-01-08', nature: '01', months: ['2024-01', '2024-07'] },
  { id: 'r3', person: 'r3', start: '2024-01-08', nature: '02', plannedEnd: '2024-06-30', end: '2024-01-19', months: ['2024-01'] },
  {
    id: 'r4',
    person: 'r4',
    start: '2024-01-08',
    nature: '02',
    plannedEnd: '2024-12-31',
    partTime: true,
    boeth: true,
    months: ['2024-01', '2024-07'],
  },
  { id: 'r5', person: 'r5', start: '2024-07-01', nature: '02', plannedEnd: '2024-09-30', months: ['2024-07'] },
  { id: 'r6', person: 'r6', start: '2024-07-01', nature: '03', plannedEnd: '2024-07-31', end: '2024-07-14', months: ['2024-07'] },
  { id: 'r7', person: 'r7', start: '2025-01-06', nature: '02', plannedEnd: '2025-03-05', months: ['2025-01'] },
  { id: 'r8', person: 'r8', start: '2025-01-06', nature: '02', plannedEnd: '2026-01-05', partTime: true, months: ['2025-01'] },
  { id: 'r9', person: 'r9', start: '2025-01-06', nature: '01', partTime: true, months: ['2025-01'] },
  { id: 'r10', person: 'r5', start: '2025-01-06', nature: '01', months: ['2025-01'] },
];

function rDeclaration(month: string): string[] {
  const blocks = R_CONTRACTS.filter((c) => c.months.includes(month)).map((c) => {
    const person = R_PEOPLE[c.person];
    const number = Number(c.person.slice(1));
    return [
      ...individual({
        nir: `${person.woman ? 2 : 1}${person.year.slice(2)}0113055${String(100 + number).padStart(3, '0')}`,
        lastName: `SALARIE${number}`,
        birth: `0101${person.year}`,
      }),
      ...contract({
        start: c.start,
        number: c.id.toUpperCase(),
        nature: c.nature,
        plannedEnd: c.plannedEnd,
        time: c.partTime ? '20' : '10',
        boeth: c.boeth ? '01' : undefined,
      }),
      // The end is declared in the month it happens, with the contract it ends.
      ...(c.end ? contractEnd(c.end, '031') : []),
    ];
  });
  return declaration({ siren: '912345678', nic: '00011', month, naf: '5610C', ...MARSEILLE }, ...blocks);
}

/** A fresh database with A to E and R ingested and the indicators refreshed. */
export async function loadEmployersFixture(): Promise<TestDatabase> {
  order = 0;
  const others = ESTABLISHMENTS.map((e) =>
    declaration({ siren: e.siren, nic: '00011', month: '2024-06', naf: e.naf, ...e.place }, ...e.hires.map(hireBlocks)),
  );
  return loadIndicatorFixture({ files: [[rDeclaration('2024-01'), ...others, rDeclaration('2024-07'), rDeclaration('2025-01')]] });
}
