import { createReadStream } from 'node:fs';

const CHUNK = 1 << 20;

/** A file's bytes, whole when small (one read, no stream), else as a stream of 1 MB chunks. */
export async function* fileChunks(file: string, preloaded?: Buffer): AsyncGenerator<Buffer> {
  if (preloaded) {
    for (let start = 0; start < preloaded.length; start += CHUNK) yield preloaded.subarray(start, start + CHUNK);
    return;
  }
  yield* createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>;
}

/** Streams a Latin-1 file as batches of lines (without their `\n` or `\r\n`), in order. */
export async function forEachLineBatch(
  file: string,
  handler: (lines: string[], firstLineNumber: number, chunkBytes: number) => void | Promise<void>,
  preloaded?: Buffer,
): Promise<number> {
  let carry = '';
  let lineNumber = 1;
  for await (const chunk of fileChunks(file, preloaded)) {
    const lines = (carry + chunk.toString('latin1')).split('\n');
    carry = lines.pop() ?? '';
    trimCarriageReturns(lines);
    await handler(lines, lineNumber, chunk.length);
    lineNumber += lines.length;
  }
  if (carry.length > 0) {
    const last = [carry];
    trimCarriageReturns(last);
    await handler(last, lineNumber, 0);
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
