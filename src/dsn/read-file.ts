import type { ParsedDeclaration } from './declaration.js';
import { checkEnvelope, type EnvoiSpan } from './envelope.js';
import { forEachLineBatch, type LineWarning } from './lines.js';
import { DsnParser } from './parser.js';
import { DsnLineError, type DsnRejection } from './rejection.js';
import { isRubricLine } from './rubric-line.js';

export type FileSink = {
  /** A whole declaration, with the SHA-256 of the file it came from. */
  declaration(declaration: ParsedDeclaration, fileChecksum: Buffer): void;
  /** A file, an envoi or a declaration refused: nothing of it is loaded. */
  rejection(rejection: DsnRejection): void;
  /** Something to check that does not stop loading: an encoding, an odd character. */
  warning(warning: DsnRejection): void;
  /** Called after each batch of lines with the bytes read so far in this file; may wait (back-pressure). */
  progress?: (fileBytes: number) => void | Promise<void>;
};

/** Warnings of one kind name their first line and how many more lines have it: a file is not flooded. */
class WarningDigest {
  private kinds = new Map<string, { first: LineWarning; more: number }>();

  add(warning: LineWarning): void {
    const kind = this.kinds.get(warning.message);
    if (kind) kind.more++;
    else this.kinds.set(warning.message, { first: warning, more: 0 });
  }

  flush(file: string, sink: FileSink): void {
    for (const { first, more } of this.kinds.values()) {
      const rubric = isRubricLine(first.text) ? first.text.slice(0, 14) : '';
      const message = more > 0 ? `${first.message} (et ${more} autre(s) ligne(s))` : first.message;
      sink.warning({ file, line: first.line, rubric, message });
    }
  }
}

/**
 * One DSN file, checked then parsed envoi by envoi: whole declarations go to `sink.declaration`; a refused
 * file, envoi or declaration to `sink.rejection` with its line, the other envois and declarations still load.
 */
export async function readDsnFile(file: string, sink: FileSink, preloaded?: Buffer): Promise<void> {
  const envelope = await checkEnvelope(file, preloaded);
  if (!envelope.ok) {
    sink.rejection(envelope.rejection);
    return;
  }
  if (envelope.encoding === 'utf8') {
    const how = envelope.bom ? "en UTF-8 avec marque d'ordre des octets (BOM)" : 'en UTF-8';
    sink.warning({ file, line: 1, rubric: '', message: `fichier ${how} alors que la norme demande ISO-8859-1 : lu en UTF-8` });
  }
  for (const span of envelope.envois) if (span.rejection) sink.rejection(span.rejection);
  const readable = envelope.envois.filter((span) => span.rejection === null);
  const parserSink = {
    declaration: (declaration: ParsedDeclaration) => sink.declaration(declaration, envelope.checksum),
    rejection: (rejection: DsnRejection) => sink.rejection(rejection),
  };
  const warnings = new WarningDigest();
  let index = 0;
  let parser: DsnParser | null = null;
  // A header line that is not a rubric spoils its envoi only: the parser of that envoi is dropped.
  let spoiled = false;
  const endEnvoi = () => {
    if (parser && !spoiled) parser.end();
    parser = null;
    spoiled = false;
    index++;
  };
  const route = (lines: string[], first: number) => {
    let i = 0;
    while (i < lines.length) {
      while (index < readable.length && (readable[index] as EnvoiSpan).lastLine < first + i) endEnvoi();
      const span = readable[index];
      if (span === undefined) return;
      if (first + i < span.firstLine) {
        i = Math.min(span.firstLine - first, lines.length);
        continue;
      }
      const stop = Math.min(span.lastLine - first + 1, lines.length);
      if (!spoiled) {
        parser ??= new DsnParser(file, parserSink);
        try {
          parser.push(i === 0 && stop === lines.length ? lines : lines.slice(i, stop), first + i);
        } catch (error) {
          if (!(error instanceof DsnLineError)) throw error;
          spoiled = true;
          sink.rejection({ file, line: error.line, rubric: error.rubric, message: `en-tête d'envoi illisible : ${error.message}` });
        }
      }
      i = stop;
    }
  };
  let fileBytes = 0;
  await forEachLineBatch(
    file,
    async (lines, first, chunkBytes) => {
      route(lines, first);
      fileBytes += chunkBytes;
      await sink.progress?.(fileBytes);
    },
    preloaded,
    envelope.encoding,
    (warning) => warnings.add(warning),
  );
  while (index < readable.length) endEnvoi();
  warnings.flush(file, sink);
}
