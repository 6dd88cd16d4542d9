import { type PersonKey, personKeyFromNir, sexFromNir } from '../persons/nir.js';

// What a register row tells about its person: only what the NIR itself says, never the NIR.

export type PersonFacts = { personKey: PersonKey; sex: '01' | '02'; birthYear: number | null; birthMonth: number | null };

const MIN_AGE = 14;
const MAX_AGE = 100;

/**
 * Birth year and month from NIR digits 2-5. The NIR only gives the last two digits of the year: the century is
 * the one that makes the person 14 to 100 years old (difference of years) on `onDate`, else the year stays unknown.
 * Months outside 01-12 (20 and above for people born abroad or with an unknown month) give no month.
 */
export function birthFromNir(nir13: string, onDate: string): { year: number | null; month: number | null } {
  const yy = Number(nir13.slice(1, 3));
  const mm = Number(nir13.slice(3, 5));
  const reference = Number(onDate.slice(0, 4));
  // The latest year ending in yy that leaves the person at least 14; at most one century fits the 87-year window.
  const latest = reference - MIN_AGE - ((((reference - MIN_AGE - yy) % 100) + 100) % 100);
  return {
    year: reference - latest <= MAX_AGE ? latest : null,
    month: mm >= 1 && mm <= 12 ? mm : null,
  };
}

export function personFromNir(nirKey: string, nir13: string, onDate: string): PersonFacts {
  const birth = birthFromNir(nir13, onDate);
  return { personKey: personKeyFromNir(nirKey, nir13), sex: sexFromNir(nir13), birthYear: birth.year, birthMonth: birth.month };
}
