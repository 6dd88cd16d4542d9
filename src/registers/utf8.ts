import { isUtf8 } from 'node:buffer';

/** The file is refused as a whole: an export in another encoding would garble every accented name. */
export class NotUtf8Error extends Error {
  constructor(readonly line: number) {
    super(
      `le fichier n'est pas encodé en UTF-8 (premier caractère illisible ligne ${line}) : enregistrez-le au format « CSV UTF-8 » et envoyez-le de nouveau`,
    );
  }
}

const NEWLINE = 0x0a;

/** Length of the prefix made of whole characters: a character cut by the chunk boundary waits for the next chunk. */
function wholeCharactersLength(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const byte = bytes[i] as number;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0x80) return bytes.length;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return i + size <= bytes.length ? bytes.length : i;
  }
  return bytes.length;
}

/** Checks whole characters starting on `line`; returns the line the next byte is on. */
function checkBytes(bytes: Buffer, line: number): number {
  if (isUtf8(bytes)) {
    let next = line;
    for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) next++;
    return next;
  }
  // A newline byte never occurs inside a multi-byte character: lines can be checked one by one.
  let current = line;
  let start = 0;
  while (start <= bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end === -1 ? bytes.length : end;
    if (!isUtf8(bytes.subarray(start, stop))) throw new NotUtf8Error(current);
    if (end === -1) break;
    current++;
    start = end + 1;
  }
  throw new NotUtf8Error(current);
}

/** Passes bytes through unchanged once they are known to be UTF-8; memory stays at one chunk. */
export async function* checkUtf8(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  for await (const chunk of source) {
    const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    const whole = wholeCharactersLength(bytes);
    line = checkBytes(bytes.subarray(0, whole), line);
    carry = Buffer.from(bytes.subarray(whole));
    if (whole > 0) yield bytes.subarray(0, whole);
  }
  if (carry.length > 0) {
    checkBytes(carry, line);
    yield carry;
  }
}
