const isDigit = (code: number) => code >= 48 && code <= 57;

/** `SWW.GXX.YY.ZZZ`, checked by character codes: this runs once per line of every file. */
function isRubricId(text: string): boolean {
  return (
    text.charCodeAt(0) === 83 &&
    isDigit(text.charCodeAt(1)) &&
    isDigit(text.charCodeAt(2)) &&
    text.charCodeAt(3) === 46 &&
    text.charCodeAt(4) === 71 &&
    isDigit(text.charCodeAt(5)) &&
    isDigit(text.charCodeAt(6)) &&
    text.charCodeAt(7) === 46 &&
    isDigit(text.charCodeAt(8)) &&
    isDigit(text.charCodeAt(9)) &&
    text.charCodeAt(10) === 46 &&
    isDigit(text.charCodeAt(11)) &&
    isDigit(text.charCodeAt(12)) &&
    isDigit(text.charCodeAt(13))
  );
}

/** `S21.G00.30.001,'1234567890123'`: a rubric id, a comma, a value between the first and the last quote. */
export function isRubricLine(text: string): boolean {
  return (
    text.length >= 17 &&
    text.charCodeAt(14) === 44 &&
    text.charCodeAt(15) === 39 &&
    text.charCodeAt(text.length - 1) === 39 &&
    isRubricId(text)
  );
}

/** The `ZZZ` of `SWW.GXX.YY.ZZZ` as a number. */
export function rubricNumberOf(text: string): number {
  return (text.charCodeAt(11) - 48) * 100 + (text.charCodeAt(12) - 48) * 10 + (text.charCodeAt(13) - 48);
}

/** `'000'` to `'999'`, built once: rubric keys without a string per line. */
export const RUBRIC_KEYS: readonly string[] = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/** Batch wrappers of a concentrator (S05, S06, S95, S96) are outside the envoi. */
export function isWrapperLine(text: string): boolean {
  const tens = text.charCodeAt(1);
  const units = text.charCodeAt(2);
  return text.charCodeAt(0) === 83 && (tens === 48 || tens === 57) && (units === 53 || units === 54) && text.charCodeAt(3) === 46;
}

export function isBlankLine(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) !== 83 && text.trim().length === 0);
}

export const MALFORMED_LINE_MESSAGE =
  "ligne mal formée : la forme attendue est identifiant,'valeur' (par exemple S21.G00.30.001,'1234567890123')";
