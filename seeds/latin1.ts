// DSN files are ISO-8859-1: any text written into them must fit in Latin-1.

const REPLACEMENTS: Record<string, string> = { Œ: 'OE', œ: 'oe', Ÿ: 'Y', '’': "'", ʼ: "'", '–': '-', '—': '-' };

/** Keeps Latin-1 characters, spells out ligatures, strips accents Latin-1 lacks; `?` only as a last resort. */
export function toLatin1(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code <= 0xff) out += char;
    else if (REPLACEMENTS[char] !== undefined) out += REPLACEMENTS[char];
    else {
      const base = char.normalize('NFD').charAt(0);
      out += base.charCodeAt(0) <= 0xff ? base : '?';
    }
  }
  return out;
}

/** Upper case for DSN labels; upper-casing may itself leave Latin-1 (ÿ gives Ÿ). */
export const upperLatin1 = (text: string): string => toLatin1(text.toUpperCase());
