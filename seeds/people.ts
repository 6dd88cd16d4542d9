import { nirControlKey } from '../src/persons/nir.js';
import { dayOf, ymdOf } from './calendar.js';
import { toLatin1 } from './latin1.js';
import type { Person, Sex } from './model.js';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES } from './names.js';
import type { Random } from './random.js';
import type { Territory } from './territory.js';

// People: names, birth, NIR with its real structure, education level.

export type Profile = 'programme' | 'worker' | 'young';

const AGE_RANGES: Record<Profile, readonly (readonly [readonly [number, number], number])[]> = {
  programme: [
    [[18, 25], 18],
    [[26, 49], 60],
    [[50, 62], 22],
  ],
  worker: [
    [[18, 25], 15],
    [[26, 49], 60],
    [[50, 64], 25],
  ],
  young: [[[16, 25], 1]],
};

const EDUCATION: Record<Profile, readonly (readonly [string, number])[]> = {
  programme: [
    ['01', 30],
    ['02', 15],
    ['03', 35],
    ['04', 15],
    ['05', 5],
  ],
  worker: [
    ['01', 10],
    ['02', 5],
    ['03', 30],
    ['04', 25],
    ['05', 15],
    ['06', 10],
    ['07', 5],
  ],
  young: [
    ['01', 15],
    ['02', 10],
    ['03', 40],
    ['04', 30],
    ['05', 5],
  ],
};

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** The 15-character NIR: 13 characters and their control key. */
export const withKey = (nir13: string): string => `${nir13}${pad(nirControlKey(nir13), 2)}`;

export class PersonFactory {
  private readonly nirs = new Set<string>();

  constructor(
    private readonly territory: Territory,
    /** Ages are counted at this day, the end of the window. */
    private readonly referenceDay: number,
  ) {}

  create(id: number, random: Random, profile: Profile, options: { ntt?: boolean } = {}): Person {
    const sex: Sex = random.chance(0.5) ? '01' : '02';
    const [low, high] = random.weighted(AGE_RANGES[profile]);
    const age = random.int(low, high);
    const birthDay = this.referenceDay - Math.floor(age * 365.25) - random.int(0, 364);
    const department = this.territory.departments.sample(random);
    const birthPlace = this.territory.birthPlace(random, department);
    const { year, month, day } = ymdOf(birthDay);
    const bornAbroad = birthPlace.startsWith('99');
    // Employers sometimes do not know the exact birth day of a person born abroad.
    const dayText = bornAbroad && random.chance(0.05) ? '99' : pad(day, 2);
    const names = sex === '01' ? MALE_FIRST_NAMES : FEMALE_FIRST_NAMES;
    let firstNames: string = random.pick(names);
    if (random.chance(0.12)) firstNames = `${firstNames} ${random.pick(names)}`;
    return {
      id,
      nir: options.ntt ? null : this.nir(random, sex, year, month, birthPlace),
      ntt: options.ntt ? `T${pad(dayOf(2000, 1, 1) + id * 7919, 12)}` : null,
      lastName: toLatin1(random.pick(LAST_NAMES)),
      firstNames: toLatin1(firstNames),
      sex,
      birthDay,
      birth: `${dayText}${pad(month, 2)}${year}`,
      department,
      education: random.chance(0.8) ? random.weighted(EDUCATION[profile]) : null,
      boeth: random.chance(0.04),
      block: null,
      blockLines: 0,
    };
  }

  /** Sex, year and month of birth, birth commune (or 99 and the country), order number; unique in the data set. */
  private nir(random: Random, sex: Sex, year: number, month: number, birthPlace: string): string {
    const prefix = `${sex === '01' ? 1 : 2}${pad(year % 100, 2)}${pad(month, 2)}${birthPlace}`;
    for (;;) {
      const nir = `${prefix}${pad(random.int(1, 999), 3)}`;
      if (!this.nirs.has(nir)) {
        this.nirs.add(nir);
        return nir;
      }
    }
  }
}

export function ageAt(person: Person, day: number): number {
  return Math.floor((day - person.birthDay) / 365.25);
}
