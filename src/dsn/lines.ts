import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { FileEncoding } from './envelope.js';

const CHUNK = 1 << 20;

/** No rubric of the norm comes near: a longer line rejects its declaration and is never held whole. */
export const MAX_LINE_LENGTH = 1000;

/** A file's bytes, whole when small (one read, no stream), else as a stream of 1 MB chunks. */
export async function* fileChunks(file: string, preloaded?: Buffer): AsyncGenerator<Buffer> {
  if (preloaded) {
    for (let start = 0; start < preloaded.length; start += CHUNK) yield preloaded.subarray(start, start + CHUNK);
    return;
  }
  yield* createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>;
}

/** Something odd in a line's characters, said in French; the line itself is still read. */
export type LineWarning = { line: number; text: string; message: string };

// Control characters (tab, CR and LF aside) and C1 codes; in Latin-1 text also what looks like UTF-8.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const SUSPECT_LATIN1 = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\xc2-\xf4][\x80-\xbf]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const SUSPECT_UTF8 = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/;
const LOOKS_UTF8 = /[\xc2-\xf4][\x80-\xbf]/;
const C1 = /[\x80-\x9f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
// Windows-1252 at 0x80-0x9F (Node's TextDecoder reads 'windows-1252' as ISO-8859-1); its five holes stay as they are.
const WINDOWS_1252 = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';
const C1_ALL = /[\x80-\x9f]/g;
const codePoint = (char: string) => `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Reads one line's odd characters. In a Latin-1 file, a line whose bytes are valid UTF-8 is read as UTF-8, and
 * bytes 0x80-0x9F (unused by ISO-8859-1) as Windows-1252, as payroll software running on Windows writes them.
 */
function inspectLine(line: string, encoding: FileEncoding, warn: (message: string) => void): string {
  let text = line;
  if (encoding === 'latin1' && LOOKS_UTF8.test(text)) {
    const bytes = Buffer.from(text, 'latin1');
    if (isUtf8(bytes)) {
      text = bytes.toString('utf8');
      warn('ligne en UTF-8 dans un fichier ISO-8859-1 : lue en UTF-8');
    }
  }
  if (encoding === 'latin1' && C1.test(text)) {
    const decoded = text.replace(C1_ALL, (char) => WINDOWS_1252[char.charCodeAt(0) - 0x80] as string);
    if (decoded !== text) warn('caractères Windows-1252 hors de la norme ISO-8859-1 (’, œ, €...) : lus comme tels');
    text = decoded;
  }
  const control = CONTROL.exec(text);
  if (control) warn(`caractère de contrôle ${codePoint(control[0])} dans la ligne : valeur à vérifier dans le logiciel de paie`);
  if (text.includes('\ufffd')) {
    warn('caractère de remplacement U+FFFD : un caractère a été perdu avant l’envoi (fichier mal réencodé) ; valeur à vérifier');
  }
  return text;
}

/**
 * Streams a file as batches of lines (without their `\n` or `\r\n`), in order, decoded as the envelope found
 * it: ISO-8859-1, or UTF-8 (its byte order mark dropped). Odd characters are reported line by line.
 */
export async function forEachLineBatch(
  file: string,
  handler: (lines: string[], firstLineNumber: number, chunkBytes: number) => void | Promise<void>,
  preloaded?: Buffer,
  encoding: FileEncoding = 'latin1',
  onWarning?: (warning: LineWarning) => void,
): Promise<number> {
  let carry = '';
  let lineNumber = 1;
  const decoder = encoding === 'utf8' ? new StringDecoder('utf8') : null;
  const suspect = encoding === 'utf8' ? SUSPECT_UTF8 : SUSPECT_LATIN1;
  const read = async (text: string, final: boolean, chunkBytes: number) => {
    const lines = text.split('\n');
    carry = final ? '' : (lines.pop() ?? '');
    trimCarriageReturns(lines);
    if (suspect.test(text)) {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] as string;
        if (!suspect.test(line)) continue;
        const number = lineNumber + i;
        lines[i] = inspectLine(line, encoding, (message) => onWarning?.({ line: number, text: line, message }));
      }
    }
    await handler(lines, lineNumber, chunkBytes);
    lineNumber += lines.length;
  };
  let first = true;
  // A line still open past the cap keeps its first MAX_LINE_LENGTH + 1 characters; the rest is skipped to its end.
  let overlong = false;
  for await (const chunk of fileChunks(file, preloaded)) {
    let text = decoder ? decoder.write(chunk) : chunk.toString('latin1');
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    if (overlong) {
      const end = text.indexOf('\n');
      if (end === -1) {
        await handler([], lineNumber, chunk.length);
        continue;
      }
      text = text.slice(end);
      overlong = false;
    }
    await read(carry + text, false, chunk.length);
    if (carry.length > MAX_LINE_LENGTH) {
      carry = carry.slice(0, MAX_LINE_LENGTH + 1);
      overlong = true;
    }
  }
  const rest = carry + (decoder ? decoder.end() : '');
  if (rest.length > 0) await read(rest, true, 0);
  return lineNumber - 1;
}

// Also cuts a line longer than the cap to the cap and one character: the parser rejects it, unheld.
function trimCarriageReturns(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length > MAX_LINE_LENGTH + 1) lines[i] = line.slice(0, MAX_LINE_LENGTH + 1);
    else if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
}
