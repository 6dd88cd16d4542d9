import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { fileChunks } from './lines.js';
import type { DsnRejection } from './rejection.js';

/** Lines `firstLine` to `lastLine` of the file: an envoi (S10 ... S90), or lines outside any envoi. */
export type EnvoiSpan = { firstLine: number; lastLine: number; rejection: DsnRejection | null };

export type FileEncoding = 'latin1' | 'utf8';

export type Envelope =
  | { ok: true; checksum: Buffer; encoding: FileEncoding; bom: boolean; envois: EnvoiSpan[] }
  | { ok: false; rejection: DsnRejection };

const NEWLINE = 10;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const ENVOI_HEADER = Buffer.from('S10.');
const DECLARATION_START = Buffer.from('S20.G00.05.001,');
const FOOTER_TOTAL = Buffer.from('S90.G00.90.001,');
const FOOTER_DECLARATIONS = Buffer.from('S90.G00.90.002,');

type OpenEnvoi = {
  firstLine: number;
  counted: number;
  declarations: number;
  total: { value: string; line: number } | null;
};

type Scan = {
  file: string;
  lines: number;
  // Rubric lines of the file, with and without lot wrappers: a one-envoi file's footer may count either.
  rubrics: number;
  rubricsWithWrappers: number;
  firstRubric: { text: string; line: number } | null;
  envoi: OpenEnvoi | null;
  // Rubric lines after a footer and before the next S10: they belong to no envoi.
  stray: { firstLine: number; lastLine: number } | null;
  spans: EnvoiSpan[];
  binaryAt: number | null;
  nonAscii: boolean;
  utf8: boolean;
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

const rejection = (scan: Scan, line: number, rubric: string, message: string): DsnRejection => ({ file: scan.file, line, rubric, message });

function closeStray(scan: Scan): void {
  if (scan.stray === null) return;
  const { firstLine, lastLine } = scan.stray;
  scan.spans.push({
    firstLine,
    lastLine,
    rejection: rejection(
      scan,
      firstLine,
      '',
      `lignes ${firstLine} à ${lastLine} hors de tout envoi : après un pied d'envoi S90.G00.90, un nouvel envoi commence par son en-tête S10.G00.00 ; elles sont ignorées`,
    ),
  });
  scan.stray = null;
}

function openEnvoi(scan: Scan): void {
  closeStray(scan);
  scan.envoi = { firstLine: scan.lines, counted: 0, declarations: 0, total: null };
}

/** An envoi whose footer is missing: the next envoi starts, or the file ends, before its S90. */
function truncateEnvoi(scan: Scan, envoi: OpenEnvoi, lastLine: number): void {
  scan.spans.push({
    firstLine: envoi.firstLine,
    lastLine,
    rejection: rejection(
      scan,
      lastLine,
      'S90.G00.90',
      `fichier tronqué : l'envoi commencé ligne ${envoi.firstLine} n'a pas de pied d'envoi S90.G00.90 (totaux) ; demandez un nouvel envoi complet`,
    ),
  });
  scan.envoi = null;
}

/** The footer's totals against the envoi's lines and declarations. */
function closeEnvoi(scan: Scan, envoi: OpenEnvoi, declarationCount: { value: string; line: number }, singleEnvoi: boolean): void {
  const { total } = envoi;
  let verdict: DsnRejection | null = null;
  if (total === null) {
    verdict = rejection(
      scan,
      declarationCount.line,
      'S90.G00.90.001',
      "le pied d'envoi n'a pas de nombre total de rubriques (S90.G00.90.001)",
    );
  } else if (Number(total.value) !== envoi.counted && !(singleEnvoi && Number(total.value) === scan.rubricsWithWrappers)) {
    verdict = rejection(
      scan,
      total.line,
      'S90.G00.90.001',
      `le pied d'envoi annonce ${total.value} rubriques, l'envoi commencé ligne ${envoi.firstLine} en compte ${envoi.counted} : envoi incomplet ou modifié`,
    );
  } else if (Number(declarationCount.value) !== envoi.declarations) {
    verdict = rejection(
      scan,
      declarationCount.line,
      'S90.G00.90.002',
      `le pied d'envoi annonce ${declarationCount.value} déclarations, l'envoi commencé ligne ${envoi.firstLine} en compte ${envoi.declarations}`,
    );
  }
  scan.spans.push({ firstLine: envoi.firstLine, lastLine: declarationCount.line, rejection: verdict });
  scan.envoi = null;
}

function scanLine(scan: Scan, data: Buffer, start: number, end: number, mayHoldNul: boolean): void {
  scan.lines++;
  if (mayHoldNul && data.subarray(start, end).indexOf(0) !== -1) scan.binaryAt ??= scan.lines;
  const kind = classify(data, start, end);
  if (kind === 'blank') return;
  scan.rubricsWithWrappers++;
  if (kind === 'wrapper') return;
  scan.rubrics++;
  scan.firstRubric ??= { text: data.toString('latin1', start, Math.min(end, start + 14)), line: scan.lines };
  let envoi = scan.envoi;
  const isHeader = data[start + 1] === 49 && startsWith(data, start, end, ENVOI_HEADER);
  // An S10 line after the envoi's first declaration starts the next envoi: this one lost its footer.
  if (isHeader && envoi !== null && envoi.declarations > 0) truncateEnvoi(scan, envoi, scan.lines - 1);
  if (isHeader && scan.envoi === null) openEnvoi(scan);
  envoi = scan.envoi;
  if (envoi === null) {
    if (scan.stray === null) scan.stray = { firstLine: scan.lines, lastLine: scan.lines };
    else scan.stray.lastLine = scan.lines;
    return;
  }
  envoi.counted++;
  if (data[start + 1] === 50 && startsWith(data, start, end, DECLARATION_START)) envoi.declarations++;
  else if (data[start + 1] === 57 && startsWith(data, start, end, FOOTER_TOTAL))
    envoi.total = { value: footerValue(data, start, end), line: scan.lines };
  else if (data[start + 1] === 57 && startsWith(data, start, end, FOOTER_DECLARATIONS)) {
    closeEnvoi(scan, envoi, { value: footerValue(data, start, end), line: scan.lines }, scan.spans.length === 0);
  }
}

/** Text encoding of complete lines: ISO-8859-1 unless every non-ASCII byte forms valid UTF-8. */
function scanEncoding(scan: Scan, lines: Buffer): void {
  if (isAscii(lines)) return;
  scan.nonAscii = true;
  if (scan.utf8 && !isUtf8(lines)) scan.utf8 = false;
}

/**
 * First pass over a file, on raw bytes: text or binary, its encoding, and its envois (a lot may carry
 * several), each with its S10 header first and its S90 footer totals right. A file that is not a DSN is
 * rejected whole; an envoi whose envelope is wrong is rejected alone, before any of its declarations is read.
 */
export async function checkEnvelope(file: string, preloaded?: Buffer): Promise<Envelope> {
  const hash = createHash('sha256');
  const scan: Scan = {
    file,
    lines: 0,
    rubrics: 0,
    rubricsWithWrappers: 0,
    firstRubric: null,
    envoi: null,
    stray: null,
    spans: [],
    binaryAt: null,
    nonAscii: false,
    utf8: true,
  };
  let carry: Buffer = Buffer.alloc(0);
  let bom: boolean | null = null;
  for await (const chunk of fileChunks(file, preloaded)) {
    hash.update(chunk);
    let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    if (bom === null && data.length >= BOM.length) {
      bom = data.compare(BOM, 0, BOM.length, 0, BOM.length) === 0;
      if (bom) data = data.subarray(BOM.length);
    }
    const mayHoldNul = data.indexOf(0) !== -1;
    let start = 0;
    for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
      scanLine(scan, data, start, end, mayHoldNul);
      start = end + 1;
    }
    scanEncoding(scan, data.subarray(0, start));
    carry = Buffer.from(data.subarray(start));
    if (scan.binaryAt !== null) break;
  }
  if (carry.length > 0 && scan.binaryAt === null) {
    scanLine(scan, carry, 0, carry.length, true);
    scanEncoding(scan, carry);
  }
  if (scan.envoi !== null) truncateEnvoi(scan, scan.envoi, scan.lines);
  closeStray(scan);
  const refusal = fileRefusal(scan);
  if (refusal) return { ok: false, rejection: refusal };
  const encoding: FileEncoding = bom || (scan.nonAscii && scan.utf8) ? 'utf8' : 'latin1';
  return { ok: true, checksum: hash.digest(), encoding, bom: bom === true, envois: scan.spans };
}

/** What makes a whole file unreadable as DSN, before any envoi. */
function fileRefusal(scan: Scan): DsnRejection | null {
  if (scan.binaryAt !== null)
    return rejection(scan, scan.binaryAt, '', 'le fichier contient des octets nuls : ce n’est pas un fichier texte DSN');
  if (scan.firstRubric === null) return rejection(scan, 1, '', 'fichier vide : aucune rubrique DSN');
  if (!scan.firstRubric.text.startsWith('S10.G00.00.')) {
    return rejection(
      scan,
      scan.firstRubric.line,
      scan.firstRubric.text,
      "le fichier ne commence pas par l'en-tête d'envoi S10.G00.00 : est-ce bien une DSN ?",
    );
  }
  return null;
}
