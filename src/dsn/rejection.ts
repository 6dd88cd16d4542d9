/** Where and why a DSN file or declaration was refused, in words a payroll officer can act on. */
export type DsnRejection = { file: string; line: number; rubric: string; message: string };

export class DsnLineError extends Error {
  constructor(
    readonly line: number,
    readonly rubric: string,
    message: string,
  ) {
    super(message);
  }
}

// A run of letters and digits; digit groups joined by single spaces, as people type a NIR (1 85 07 75 123 456).
const TOKEN = /[0-9A-Za-z](?:[0-9A-Za-z]|(?<=[0-9]) (?=[0-9]))*/g;
// A NIR has 13 characters (15 with its key): 11 digits already say too much about a person.
const NIR_LIKE_DIGITS = 11;

function digitCount(token: string): number {
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/**
 * Text with every NIR-like value masked (« 1•••••••••••• (13 caractères) »): rejections are stored, shown to
 * administrators and printed, and a NIR is never stored nor shown in clear, even a malformed one.
 */
export function maskNirLike(text: string): string {
  return text.replace(TOKEN, (token) =>
    digitCount(token) < NIR_LIKE_DIGITS ? token : `${token[0]}${'•'.repeat(token.length - 1)} (${token.length} caractères)`,
  );
}

/** A rejection or warning as it may be recorded and shown: its message without NIR-like values. */
export function maskedNote<T extends { message: string }>(note: T): T {
  const message = maskNirLike(note.message);
  return message === note.message ? note : { ...note, message };
}
