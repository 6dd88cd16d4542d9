import { createHash } from 'node:crypto';
import { BinaryFileError, forEachLineBatch } from './lines.js';
import type { DsnRejection } from './rejection.js';
import { isBlankLine, isWrapperLine } from './rubric-line.js';

export type Envelope = { ok: true; checksum: Buffer; declarations: number } | { ok: false; rejection: DsnRejection };

/**
 * First pass over a file: text or binary, S10 header first, S90 footer present and its totals right.
 * A file whose envelope is wrong is rejected whole, before any of its declarations is loaded.
 */
export async function checkEnvelope(file: string): Promise<Envelope> {
  const hash = createHash('sha256');
  let counted = 0;
  let countedWithWrappers = 0;
  let declarations = 0;
  let firstLine: { text: string; line: number } | null = null;
  let footerTotal: { value: string; line: number } | null = null;
  let footerDeclarations: { value: string; line: number } | null = null;
  let trailing: number | null = null;
  let lastLine = 0;
  const reject = (line: number, rubric: string, message: string): Envelope => ({
    ok: false,
    rejection: { file, line, rubric, message },
  });
  try {
    lastLine = await forEachLineBatch(file, (lines, first) => {
      for (let i = 0; i < lines.length; i++) {
        const text = lines[i] as string;
        hash.update(text);
        hash.update('\n');
        if (isBlankLine(text)) continue;
        countedWithWrappers++;
        if (isWrapperLine(text)) continue;
        if (firstLine === null) firstLine = { text, line: first + i };
        if (footerDeclarations !== null) {
          trailing ??= first + i;
          continue;
        }
        counted++;
        if (text.startsWith('S20.G00.05.001,')) declarations++;
        else if (text.startsWith('S90.G00.90.001,')) footerTotal = { value: text.slice(16, -1), line: first + i };
        else if (text.startsWith('S90.G00.90.002,')) footerDeclarations = { value: text.slice(16, -1), line: first + i };
      }
    });
  } catch (error) {
    if (error instanceof BinaryFileError) return reject(error.line, '', error.message);
    throw error;
  }
  const header = firstLine as { text: string; line: number } | null;
  if (header === null) return reject(1, '', 'fichier vide : aucune rubrique DSN');
  if (!header.text.startsWith('S10.G00.00.')) {
    return reject(
      header.line,
      header.text.slice(0, 14),
      "le fichier ne commence pas par l'en-tête d'envoi S10.G00.00 : est-ce bien une DSN ?",
    );
  }
  const total = footerTotal as { value: string; line: number } | null;
  const count = footerDeclarations as { value: string; line: number } | null;
  if (total === null || count === null) {
    return reject(
      lastLine,
      'S90.G00.90',
      "fichier tronqué : le pied d'envoi S90.G00.90 (totaux) est absent ; demandez un nouvel envoi complet",
    );
  }
  if (trailing !== null) {
    return reject(trailing, '', "des rubriques suivent le pied d'envoi S90.G00.90 : un seul envoi par fichier");
  }
  if (Number(total.value) !== counted && Number(total.value) !== countedWithWrappers) {
    return reject(
      total.line,
      'S90.G00.90.001',
      `le pied d'envoi annonce ${total.value} rubriques, le fichier en compte ${counted} : fichier incomplet ou modifié`,
    );
  }
  if (Number(count.value) !== declarations) {
    return reject(
      count.line,
      'S90.G00.90.002',
      `le pied d'envoi annonce ${count.value} déclarations, le fichier en compte ${declarations}`,
    );
  }
  return { ok: true, checksum: hash.digest(), declarations };
}
