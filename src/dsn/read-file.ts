import type { ParsedDeclaration } from './declaration.js';
import { checkEnvelope } from './envelope.js';
import { forEachLineBatch } from './lines.js';
import { DsnParser } from './parser.js';
import { DsnLineError, type DsnRejection } from './rejection.js';

export type FileSink = {
  /** A whole declaration, with the SHA-256 of the file it came from. */
  declaration(declaration: ParsedDeclaration, fileChecksum: Buffer): void;
  rejection(rejection: DsnRejection): void;
  /** Called after each batch of lines with the bytes read so far in this file; may wait (back-pressure). */
  progress?: (fileBytes: number) => void | Promise<void>;
};

/**
 * One DSN file, checked then parsed: its whole declarations go to `sink.declaration`, and every refusal (the
 * file, an envoi, a declaration) to `sink.rejection`, with its line.
 */
export async function readDsnFile(file: string, sink: FileSink, preloaded?: Buffer): Promise<void> {
  const envelope = await checkEnvelope(file, preloaded);
  if (!envelope.ok) {
    sink.rejection(envelope.rejection);
    return;
  }
  const parser = new DsnParser(file, {
    declaration: (declaration) => sink.declaration(declaration, envelope.checksum),
    rejection: (rejection) => sink.rejection(rejection),
  });
  let fileBytes = 0;
  try {
    await forEachLineBatch(
      file,
      async (lines, first, chunkBytes) => {
        parser.push(lines, first);
        fileBytes += chunkBytes;
        await sink.progress?.(fileBytes);
      },
      preloaded,
    );
    parser.end();
  } catch (error) {
    if (!(error instanceof DsnLineError)) throw error;
    sink.rejection({ file, line: error.line, rubric: error.rubric, message: `en-tête d'envoi illisible : ${error.message}` });
  }
}
