import { createHash } from 'node:crypto';
import { fileChunks } from './lines.js';
import type { DsnRejection } from './rejection.js';

export type Envelope = { ok: true; checksum: Buffer; declarations: number } | { ok: false; rejection: DsnRejection };

const NEWLINE = 10;
const DECLARATION_START = Buffer.from('S20.G00.05.001,');
const FOOTER_TOTAL = Buffer.from('S90.G00.90.001,');
const FOOTER_DECLARATIONS = Buffer.from('S90.G00.90.002,');

type Scan = {
  counted: number;
  countedWithWrappers: number;
  declarations: number;
  lines: number;
  first: { text: string; line: number } | null;
  total: { value: string; line: number } | null;
  declarationCount: { value: string; line: number } | null;
  trailing: number | null;
  binaryAt: number | null;
};

const startsWith = (data: Buffer, start: number, end: number, prefix: Buffer) =>
  end - start >= prefix.length && data.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
const footerValue = (data: Buffer, start: number, end: number) => data.toString('latin1', start, end).replace(/\r$/, '').slice(16, -1);

/** Wrapper lines (S05, S06, S95, S96) and blank lines, read on bytes without copying them. */
function classify(data: Buffer, start: number, end: number): 'blank' | 'wrapper' | 'rubric' {
  const length = end - start;
  if (length === 0 || (length === 1 && data[start] === 13)) return 'blank';
  if (data[start] === 83) {
    const tens = data[start + 1];
    const units = data[start + 2];
    return (tens === 48 || tens === 57) && (units === 53 || units === 54) && data[start + 3] === 46 ? 'wrapper' : 'rubric';
  }
  return data.toString('latin1', start, end).trim().length === 0 ? 'blank' : 'rubric';
}

function scanLine(scan: Scan, data: Buffer, start: number, end: number, mayHoldNul: boolean): void {
  scan.lines++;
  if (mayHoldNul && data.subarray(start, end).indexOf(0) !== -1) scan.binaryAt ??= scan.lines;
  const kind = classify(data, start, end);
  if (kind === 'blank') return;
  scan.countedWithWrappers++;
  if (kind === 'wrapper') return;
  if (scan.first === null) scan.first = { text: data.toString('latin1', start, Math.min(end, start + 14)), line: scan.lines };
  if (scan.declarationCount !== null) {
    scan.trailing ??= scan.lines;
    return;
  }
  scan.counted++;
  if (data[start + 1] === 50 && startsWith(data, start, end, DECLARATION_START)) scan.declarations++;
  else if (data[start + 1] === 57 && startsWith(data, start, end, FOOTER_TOTAL))
    scan.total = { value: footerValue(data, start, end), line: scan.lines };
  else if (data[start + 1] === 57 && startsWith(data, start, end, FOOTER_DECLARATIONS)) {
    scan.declarationCount = { value: footerValue(data, start, end), line: scan.lines };
  }
}

/**
 * First pass over a file, on raw bytes: text or binary, S10 header first, S90 footer present, totals right.
 * A file whose envelope is wrong is rejected whole, before any of its declarations is loaded.
 */
export async function checkEnvelope(file: string, preloaded?: Buffer): Promise<Envelope> {
  const hash = createHash('sha256');
  const scan: Scan = {
    counted: 0,
    countedWithWrappers: 0,
    declarations: 0,
    lines: 0,
    first: null,
    total: null,
    declarationCount: null,
    trailing: null,
    binaryAt: null,
  };
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of fileChunks(file, preloaded)) {
    hash.update(chunk);
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const mayHoldNul = data.indexOf(0) !== -1;
    let start = 0;
    for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
      scanLine(scan, data, start, end, mayHoldNul);
      start = end + 1;
    }
    carry = Buffer.from(data.subarray(start));
    if (scan.binaryAt !== null) break;
  }
  if (carry.length > 0 && scan.binaryAt === null) scanLine(scan, carry, 0, carry.length, true);
  return verdict(file, scan, hash.digest());
}

function verdict(file: string, scan: Scan, checksum: Buffer): Envelope {
  const reject = (line: number, rubric: string, message: string): Envelope => ({ ok: false, rejection: { file, line, rubric, message } });
  if (scan.binaryAt !== null) return reject(scan.binaryAt, '', 'le fichier contient des octets nuls : ce n’est pas un fichier texte DSN');
  if (scan.first === null) return reject(1, '', 'fichier vide : aucune rubrique DSN');
  if (!scan.first.text.startsWith('S10.G00.00.')) {
    return reject(scan.first.line, scan.first.text, "le fichier ne commence pas par l'en-tête d'envoi S10.G00.00 : est-ce bien une DSN ?");
  }
  const { total, declarationCount } = scan;
  if (total === null || declarationCount === null) {
    return reject(
      scan.lines,
      'S90.G00.90',
      "fichier tronqué : le pied d'envoi S90.G00.90 (totaux) est absent ; demandez un nouvel envoi complet",
    );
  }
  if (scan.trailing !== null)
    return reject(scan.trailing, '', "des rubriques suivent le pied d'envoi S90.G00.90 : un seul envoi par fichier");
  if (Number(total.value) !== scan.counted && Number(total.value) !== scan.countedWithWrappers) {
    return reject(
      total.line,
      'S90.G00.90.001',
      `le pied d'envoi annonce ${total.value} rubriques, le fichier en compte ${scan.counted} : fichier incomplet ou modifié`,
    );
  }
  if (Number(declarationCount.value) !== scan.declarations) {
    return reject(
      declarationCount.line,
      'S90.G00.90.002',
      `le pied d'envoi annonce ${declarationCount.value} déclarations, le fichier en compte ${scan.declarations}`,
    );
  }
  return { ok: true, checksum, declarations: scan.declarations };
}
