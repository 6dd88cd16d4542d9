import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedDeclaration } from '../../src/dsn/declaration.js';
import { readDsnFile } from '../../src/dsn/read-file.js';
import type { DsnRejection } from '../../src/dsn/rejection.js';
import { contract, contractEnd, declaration, envoi, individual, pay, stoppage, suspension } from '../helpers/dsn-builder.js';
import { byteEdits, FUZZ_SEED, isDeclarationStart, layout, lineOps, mutate, type Segment, segmentAt } from '../helpers/dsn-mutations.js';

// Never written: the bytes are handed to the reader preloaded, so the 1,500 cases cost no disk access.
const FILE = path.join(os.tmpdir(), 'sillage-dsn-fuzz', 'mutated.dsn');
const RUNS = 500;

const ALICE = { nir: '2850759123456', lastName: "D'ALMEIDA", firstNames: 'HÉLÈNE', birth: '15071985' };
const BOB = { ntt: 'NTT0001', lastName: 'LEFÈVRE', firstNames: 'JÉRÔME', birth: '99991990', sex: '01' };
const CHLOE = { nir: '2920675111222', lastName: "N'DIAYE-ÉTIENNE", firstNames: 'MARIE-ANGE', birth: '01021992' };
const DESIRE = { nir: '1780213987654', lastName: 'DÉSIRÉ', firstNames: "JEAN-FRANÇOIS L'AÎNÉ", birth: '09021978', sex: '01' };
const SIAE = { siren: '123456789', nic: '00012', naf: '8899B', postalCode: '59000', town: 'LILLE' };
const OTHER = { siren: '552100554', nic: '00031', naf: '8810A', postalCode: '42000', town: 'SAINT-ÉTIENNE' };
const ALICE_CDDI = contract({ start: '2023-11-06', number: 'C1', nature: '02', scheme: '71', complement: '02', plannedEnd: '2024-05-05' });
const BOB_CDI = contract({ start: '2024-01-08', number: '0001', quotity: '104.00', time: '20' });

const january = declaration(
  { ...SIAE, month: '2024-01' },
  individual(ALICE),
  ALICE_CDDI,
  stoppage('01', '2024-01-19', '2024-01-31'),
  pay('C1', '2024-01-01', '2024-01-31', '60.00'),
  pay('C1', '2023-12-01', '2023-12-31', '-4.50'),
  individual(BOB),
  BOB_CDI,
  suspension('501', '2024-01-22', '2024-01-23'),
  pay('0001', '2024-01-08', '2024-01-31', '3', '12'),
  individual(CHLOE),
  contract({ start: '2023-09-01', number: '7' }),
  contractEnd('2024-01-31', '031'),
  pay('7', '2024-01-01', '2024-01-31', '151.67'),
);
const february = declaration(
  { ...SIAE, month: '2024-02' },
  individual(ALICE),
  ALICE_CDDI,
  stoppage('01', '2024-01-19', '2024-01-31', '2024-02-01'),
  contractEnd('2024-02-29', '059'),
  pay('C1', '2024-02-01', '2024-02-29', '98.25'),
  individual(BOB),
  BOB_CDI,
  pay('0001', '2024-02-01', '2024-02-29', '104.00'),
);
const elsewhere = declaration(
  { ...OTHER, month: '2024-01' },
  individual(DESIRE),
  contract({ start: '2022-03-14', number: 'A-12' }),
  stoppage('02', '2024-01-05'),
  pay('A-12', '2024-01-01', '2024-01-31', '40.00'),
  individual(CHLOE),
  contract({ start: '2024-01-15', number: 'B7', nature: '02', scheme: '71', complement: '03' }),
  pay('B7', '2024-01-15', '2024-01-31', '52.50'),
);
const march = declaration(
  { ...OTHER, month: '2024-03' },
  individual(DESIRE),
  contract({ start: '2022-03-14', number: 'A-12' }),
  contractEnd('2024-03-15', '011'),
  pay('A-12', '2024-03-01', '2024-03-15', '70.00'),
);

/** A file of a concentrator: lot wrappers around the envoi, a blank line between two declarations. */
function wrapped(...declarations: string[][]): string {
  const lines = envoi(...declarations).split('\n');
  lines.pop();
  const second = lines.findLastIndex((line) => line.startsWith('S20.G00.05.001,'));
  lines.splice(second, 0, '');
  return ["S05.G51.00.001,'LOT 42'", "S06.G51.00.001,'ENVOI 1'", ...lines, "S96.G51.00.001,'1'", "S95.G51.00.001,'FIN DE LOT'", ''].join(
    '\n',
  );
}

type Base = { name: string; bytes: Buffer; wrapped: boolean; [fc.toStringMethod]: () => string };
// A counterexample names its base file instead of printing the bytes of a whole file.
const baseFile = (name: string, text: string, wrapped = false): Base => ({
  name,
  bytes: Buffer.from(text, 'latin1'),
  wrapped,
  [fc.toStringMethod]: () => `base(${JSON.stringify(name)})`,
});
const BASES: Base[] = [
  baseFile('three declarations, LF', envoi(january, february, elsewhere)),
  baseFile('two declarations, CRLF', envoi(elsewhere, march).replace(/\n/g, '\r\n')),
  baseFile('lot wrappers and a blank line', wrapped(february, march), true),
  baseFile('a lot of two envois', envoi(january, february) + envoi(elsewhere, march)),
];

type Outcome = { declarations: ParsedDeclaration[]; rejections: DsnRejection[]; warnings: Pick<DsnRejection, 'line' | 'message'>[] };

async function read(bytes: Buffer): Promise<Outcome> {
  const outcome: Outcome = { declarations: [], rejections: [], warnings: [] };
  // Warnings (odd characters, encodings) are held to the same rules as rejections: a real line, a French message.
  const sink = {
    declaration: (d: ParsedDeclaration) => outcome.declarations.push(d),
    rejection: (r: DsnRejection) => outcome.rejections.push(r),
    warning: (w: Pick<DsnRejection, 'line' | 'message'>) => outcome.warnings.push(w),
  };
  await readDsnFile(FILE, sink, bytes);
  return outcome;
}

// Values the message quotes come from the file: only the prose around them has to be French.
const ENGLISH = /\b(invalid|expected|received|cannot|undefined|null|error|must|required|too (big|small))\b/i;
function expectFrench(message: string): void {
  const prose = message.replace(/«[^»]*»/g, '');
  expect(prose.trim(), 'empty message').not.toBe('');
  expect(prose, message).not.toMatch(ENGLISH);
  expect(prose, message).toMatch(/[éèàêçôù’']|\b(le|la|les|de|du|des|un|une|sans|est|au|aux|ou|fichier|rubriques?|aucune?|ligne|bloc)\b/i);
}

const isWrapper = (line: string) => /^S[09][56]\./.test(line);
const isRubricLine = (line: string) => line.length >= 17 && /^S\d\d\.G\d\d\.\d\d\.\d{3},'.*'$/s.test(line);

/** The properties every outcome must have, whatever was done to the file. */
function expectSound(bytes: Buffer, outcome: Outcome): void {
  const shape = layout(bytes);
  // An empty file still has a line 1 for its rejection to point at.
  const lineCount = Math.max(1, shape.lines.length);
  const { declarations, rejections, warnings } = outcome;
  for (const refusal of [...rejections, ...warnings]) {
    expect(
      Number.isInteger(refusal.line) && refusal.line >= 1 && refusal.line <= lineCount,
      `line ${refusal.line} of ${lineCount}: ${refusal.message}`,
    ).toBe(true);
    expectFrench(refusal.message);
  }
  for (const rejection of rejections) expect(rejection.file).toBe(FILE);
  const delivered = new Set<number>();
  for (const d of declarations) {
    expect(isDeclarationStart(shape.lines[d.line - 1] ?? ''), `declaration at line ${d.line}`).toBe(true);
    expect(delivered.has(d.line), `declaration at line ${d.line} delivered twice`).toBe(false);
    delivered.add(d.line);
    const segment = segmentAt(shape.segments, d.line) as Segment;
    expect(segment.first).toBe(d.line);
    const inside = rejections.filter((r) => segment.first <= r.line && r.line <= segment.last);
    expect(inside, `declaration of lines ${segment.first}-${segment.last} delivered and rejected`).toEqual([]);
    // Lines that start with S are rubrics whatever the decoding; other lines of a delivered declaration can only be blank.
    const rubrics = shape.lines.slice(segment.first - 1, segment.last).filter((line) => line.startsWith('S') && !isWrapper(line));
    expect(
      rubrics.filter((line) => !isRubricLine(line)),
      'malformed lines in a delivered declaration',
    ).toEqual([]);
    expect(d.lineCount).toBe(rubrics.length);
    expect(d.file).toBe(FILE);
  }
  // Nothing lost silently: a declaration neither delivered nor rejected on its lines needs an envoi or file rejection.
  const forgotten = shape.segments.filter(
    (segment) => !delivered.has(segment.first) && !rejections.some((r) => segment.first <= r.line && r.line <= segment.last),
  );
  if (forgotten.length > 0) expect(rejections.length, `lines ${forgotten[0]?.first}- neither delivered nor rejected`).toBeGreaterThan(0);
}

type Untouched = { bytes: Buffer; checksum: string };
const originals = new Map<Base, { outcome: Outcome; untouched: Untouched[] }>();

/** Bytes that decide how a base declaration is read: the newline before it, its lines, the start of the line ending it. */
function untouchedSlices(base: Buffer, outcome: Outcome): Untouched[] {
  const shape = layout(base);
  return outcome.declarations.map((d) => {
    const segment = segmentAt(shape.segments, d.line) as Segment;
    const next = shape.lines[segment.last] as string;
    const end = next.startsWith('S90.') ? (shape.offsets[segment.last] as number) + 4 : (shape.offsets[segment.last + 1] as number);
    return { bytes: base.subarray((shape.offsets[segment.first - 1] as number) - 1, end), checksum: d.checksum.toString('hex') };
  });
}

/** One envoi and nothing after its footer: a file may hold several envois, each accepted or refused alone. */
function singleEnvoi(lines: string[]): boolean {
  const firstDeclaration = lines.findIndex((line) => line.startsWith('S20.'));
  const footer = lines.findIndex((line) => line.startsWith('S90.G00.90.002,'));
  const rubricsAfter = lines.slice(footer + 1).filter((line) => line.startsWith('S') && !isWrapper(line));
  const lateHeaders = lines.slice(firstDeclaration).filter((line) => line.startsWith('S10.'));
  return (
    footer !== -1 &&
    footer === lines.findLastIndex((line) => line.startsWith('S90.G00.90.002,')) &&
    rubricsAfter.length === 0 &&
    lateHeaders.length === 0
  );
}

/** In a one-envoi file that delivers anything, a declaration whose deciding bytes are intact is read as before, wherever it sits. */
function expectUntouchedDelivered(base: Base, bytes: Buffer, outcome: Outcome): void {
  if (outcome.declarations.length === 0 || !singleEnvoi(layout(bytes).lines)) return;
  const byLine = new Map(outcome.declarations.map((d) => [d.line, d.checksum.toString('hex')]));
  for (const slice of originals.get(base)?.untouched ?? []) {
    for (let at = bytes.indexOf(slice.bytes); at !== -1; at = bytes.indexOf(slice.bytes, at + 1)) {
      let line = 2;
      for (let i = bytes.indexOf(10); i !== -1 && i < at; i = bytes.indexOf(10, i + 1)) line++;
      expect(byLine.get(line), `untouched declaration now at line ${line}`).toBe(slice.checksum);
    }
  }
}

const base = fc.constantFrom(...BASES);
const tally = () => ({ runs: 0, delivered: 0, rejected: 0 });
function count(counts: ReturnType<typeof tally>, outcome: Outcome): void {
  counts.runs++;
  if (outcome.declarations.length > 0) counts.delivered++;
  if (outcome.rejections.length > 0) counts.rejected++;
}

beforeAll(async () => {
  for (const b of BASES) {
    const outcome = await read(b.bytes);
    originals.set(b, { outcome, untouched: untouchedSlices(b.bytes, outcome) });
  }
});

describe('DSN reader under random damage', () => {
  it.each(BASES)('reads the undamaged base file whole: $name', (b) => {
    const { outcome } = originals.get(b) as { outcome: Outcome };
    expect(outcome.rejections).toEqual([]);
    expect(outcome.declarations.length).toBe(layout(b.bytes).segments.length);
    expectSound(b.bytes, outcome);
  });

  it('byte edits (replace, insert, delete 1-5 bytes) never crash it nor give a half declaration', async () => {
    const counts = tally();
    await fc.assert(
      fc.asyncProperty(base, byteEdits, async (b, edits) => {
        const bytes = mutate(b.bytes, { kind: 'bytes', ...edits });
        const outcome = await read(bytes);
        expectSound(bytes, outcome);
        expectUntouchedDelivered(b, bytes, outcome);
        count(counts, outcome);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
    // Not vacuous: many damaged files still deliver declarations, and many are refused.
    expect(counts.delivered).toBeGreaterThan(counts.runs / 5);
    expect(counts.rejected).toBeGreaterThan(counts.runs / 5);
  });

  it('a file cut at any byte loads the envois whose footer it spares, and nothing of the others', async () => {
    const cut = base.chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 0, max: b.bytes.length })));
    await fc.assert(
      fc.asyncProperty(cut, async ([b, at]) => {
        const bytes = b.bytes.subarray(0, at);
        const outcome = await read(bytes);
        expectSound(bytes, outcome);
        const shape = layout(b.bytes);
        const footers = shape.lines.flatMap((line, i) =>
          line.startsWith('S90.G00.90.002,') ? [{ line: i + 1, closingQuote: (shape.offsets[i] as number) + line.length - 1 }] : [],
        );
        const spared = footers.filter((footer) => footer.closingQuote < at);
        const lastSpared = spared.at(-1)?.line ?? 0;
        const original = (originals.get(b) as { outcome: Outcome }).outcome.declarations;
        const expected = original.filter((d) => d.line < lastSpared).map((d) => d.checksum.toString('hex'));
        expect(outcome.declarations.map((d) => d.checksum.toString('hex'))).toEqual(expected);
        if (spared.length === 0) expect(outcome.rejections).toHaveLength(1);
        // Past the last footer only lot wrappers remain: a cut one (`S9`) is a stray rubric line, refused alone.
        else if (spared.length === footers.length && !b.wrapped) expect(outcome.rejections).toEqual([]);
        else expect(outcome.rejections.length).toBeLessThanOrEqual(1);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
  });

  it('shuffled, duplicated and removed lines never crash it nor give a half declaration', async () => {
    const counts = tally();
    await fc.assert(
      fc.asyncProperty(base, lineOps, async (b, ops) => {
        const bytes = mutate(b.bytes, { kind: 'lines', ...ops });
        const outcome = await read(bytes);
        expectSound(bytes, outcome);
        expectUntouchedDelivered(b, bytes, outcome);
        count(counts, outcome);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
    expect(counts.delivered).toBeGreaterThan(counts.runs / 5);
    expect(counts.rejected).toBeGreaterThan(counts.runs / 5);
  });
});
