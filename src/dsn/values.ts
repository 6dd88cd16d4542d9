import { z } from 'zod';

// Value types of the NEODeS norm, with the French message a user reads when a value breaks them.

const required = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${what} absent(e) : rubrique obligatoire` : `${what} invalide`),
  });

// A value is quoted back cut to its start: a value of megabytes must not travel into a rejection.
const QUOTED_CHARACTERS = 40;
const quote = (value: string) => `« ${value.length > QUOTED_CHARACTERS ? `${value.slice(0, QUOTED_CHARACTERS)}…` : value} »`;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** `JJMMAAAA` to ISO `AAAA-MM-JJ`, or null when the date does not exist. */
export function parseDsnDate(value: string): string | null {
  if (value.length !== 8 || !/^\d{8}$/.test(value)) return null;
  const day = Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  const year = Number(value.slice(4, 8));
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${value.slice(4, 8)}-${value.slice(2, 4)}-${value.slice(0, 2)}`;
}

/** Decimal with at most two decimals to integer hundredths: exact sums, no float drift. */
export function parseHundredths(value: string): number | null {
  const match = /^(-?)(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return null;
  const units = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -units : units;
}

export const dsnDate = (what: string) =>
  required(what).transform((value, ctx) => {
    const iso = parseDsnDate(value);
    if (iso === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} : ${quote(value)} n'est pas une date existante au format JJMMAAAA`,
      });
      return z.NEVER;
    }
    return iso;
  });

export const declaredMonth = required('mois déclaré').transform((value, ctx) => {
  const iso = parseDsnDate(value);
  if (iso === null || !iso.endsWith('-01')) {
    ctx.addIssue({
      code: 'custom',
      message: `mois déclaré : ${quote(value)} doit être le premier jour d'un mois (01MMAAAA)`,
    });
    return z.NEVER;
  }
  return iso;
});

export type BirthDate = { year: number; month: number | null; day: number | null };

/** Birth dates may carry 99 for an unknown day or month. */
export const birthDate = required('date de naissance').transform((value, ctx): BirthDate => {
  const match = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  const day = Number(match?.[1]);
  const month = Number(match?.[2]);
  const year = Number(match?.[3]);
  const monthKnown = month >= 1 && month <= 12;
  const dayKnown = monthKnown && day >= 1 && day <= daysInMonth(year, month);
  if (!match || year < 1900 || (!monthKnown && month !== 99) || (!dayKnown && day !== 99)) {
    ctx.addIssue({
      code: 'custom',
      message: `date de naissance : ${quote(value)} n'est pas au format JJMMAAAA (99 permis pour un jour ou un mois inconnu)`,
    });
    return z.NEVER;
  }
  return { year, month: monthKnown ? month : null, day: dayKnown ? day : null };
});

export const amount = (what: string) =>
  required(what).transform((value, ctx) => {
    const hundredths = parseHundredths(value);
    if (hundredths === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} : ${quote(value)} n'est pas un nombre (point décimal, deux décimales au plus)`,
      });
      return z.NEVER;
    }
    return hundredths;
  });

export const code = (what: string, pattern: RegExp, shape: string) =>
  required(what).regex(pattern, {
    error: (issue) => `${what} : ${quote(String(issue.input))} ne respecte pas le format attendu (${shape})`,
  });

/** Free text of at most `maxLength` characters, the length the norm gives the rubric; names are never quoted back. */
export const text = (what: string, maxLength: number) =>
  required(what).refine((value) => value.length <= maxLength, {
    error: (issue) =>
      `${what} : ${String(issue.input).length.toLocaleString('fr-FR')} caractères, ${maxLength} au plus selon la norme : à raccourcir dans le logiciel de paie`,
  });
