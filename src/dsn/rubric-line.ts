export type RubricLine = { block: string; rubric: string; value: string };

const ID_PATTERN = /^S\d\d\.G\d\d\.\d\d\.\d\d\d$/;

/** `S21.G00.30.001,'1234567890123'`: id before the first comma, value between the first and last quote. */
export function splitRubricLine(text: string): RubricLine | null {
  if (text.length < 17 || text.charCodeAt(14) !== 44 || text.charCodeAt(15) !== 39) return null;
  if (text.charCodeAt(text.length - 1) !== 39) return null;
  const id = text.slice(0, 14);
  if (!ID_PATTERN.test(id)) return null;
  return { block: id.slice(0, 10), rubric: id.slice(11), value: text.slice(16, -1) };
}

/** Batch wrappers of a concentrator (S05, S06, S95, S96) are outside the envoi. */
export function isWrapperLine(text: string): boolean {
  return text.startsWith('S05.') || text.startsWith('S06.') || text.startsWith('S95.') || text.startsWith('S96.');
}

export function isBlankLine(text: string): boolean {
  return text.trim().length === 0;
}

export const MALFORMED_LINE_MESSAGE =
  "ligne mal formée : la forme attendue est identifiant,'valeur' (par exemple S21.G00.30.001,'1234567890123')";
