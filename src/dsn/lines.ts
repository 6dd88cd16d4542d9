import { createReadStream } from 'node:fs';

export class BinaryFileError extends Error {
  constructor(readonly line: number) {
    super('le fichier contient des octets nuls : ce n’est pas un fichier texte DSN');
  }
}

/** Streams a Latin-1 file as batches of lines (without their `\n` or `\r\n`), in order. */
export async function forEachLineBatch(
  file: string,
  handler: (lines: string[], firstLineNumber: number) => void | Promise<void>,
): Promise<number> {
  let carry = '';
  let lineNumber = 1;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (chunk.indexOf(0) !== -1) throw new BinaryFileError(lineNumber);
    const text = carry + chunk.toString('latin1');
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    trimCarriageReturns(lines);
    await handler(lines, lineNumber);
    lineNumber += lines.length;
  }
  if (carry.length > 0) {
    const last = [carry];
    trimCarriageReturns(last);
    await handler(last, lineNumber);
    lineNumber += 1;
  }
  return lineNumber - 1;
}

function trimCarriageReturns(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
}
