import fc from 'fast-check';

// Random damage to DSN files, and the line layout the reader and ingest property tests check outcomes against.

/** Fixed seed: CI replays the same cases; a failure prints its seed and path to replay it locally. */
export const FUZZ_SEED = 20_260_601;

const DECLARATION_START = "S20.G00.05.001,'";

/** A line the parser takes for a declaration start: the rubric, a quoted value, nothing after the quote. */
export const isDeclarationStart = (line: string) => line.length >= 17 && line.startsWith(DECLARATION_START) && line.endsWith("'");
const isWrapper = (line: string) => /^S[09][56]\./.test(line);
const isBlank = (line: string) => line.length === 0 || (line[0] !== 'S' && line.trim().length === 0);

export type Segment = { first: number; last: number };
export type Layout = {
  /** Lines as the parser reads them: split on `\n`, one trailing `\r` removed. */
  lines: string[];
  /** Byte offset of each line's first byte. */
  offsets: number[];
  /** Line ranges (1-based, inclusive) the parser gives each declaration: up to the next start or S90 line. */
  segments: Segment[];
};

export function layout(bytes: Buffer): Layout {
  const raw = bytes.toString('latin1').split('\n');
  if (raw.at(-1) === '') raw.pop();
  const offsets: number[] = [];
  let offset = 0;
  for (const line of raw) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  const lines = raw.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const segments: Segment[] = [];
  let open: number | null = null;
  lines.forEach((line, index) => {
    const start = isDeclarationStart(line);
    if (open !== null && (start || line.startsWith('S90.'))) {
      segments.push({ first: open, last: index });
      open = null;
    }
    if (start) open = index + 1;
  });
  if (open !== null) segments.push({ first: open, last: lines.length });
  return { lines, offsets, segments };
}

export const segmentAt = (segments: Segment[], line: number) => segments.find((s) => s.first <= line && line <= s.last);

// Bytes that mean something to the reader are drawn often; any byte, and Latin-1 high bytes, the rest of the time.
const byte = fc.oneof(
  fc.constantFrom(0x00, 0x0a, 0x0d, 0x27, 0x2c, 0x20, 0x2e, 0x53, 0x30, 0x39, 0xa0),
  fc.integer({ min: 0x80, max: 0xff }),
  fc.integer({ min: 0, max: 0xff }),
);

export type ByteEdit = { kind: 'replace' | 'insert' | 'delete'; at: number; bytes: number[] };
export type LineOp = { kind: 'swap' | 'move' | 'duplicate' | 'remove'; at: number; to: number; length: number };
export type Mutation =
  | { kind: 'bytes'; edits: ByteEdit[]; refooter: boolean }
  | { kind: 'truncate'; at: number }
  | { kind: 'lines'; ops: LineOp[]; refooter: boolean };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({
  kind: fc.constantFrom('replace', 'insert', 'delete'),
  at: fc.nat(),
  bytes: fc.array(byte, { minLength: 1, maxLength: 5 }),
});

const lineOp: fc.Arbitrary<LineOp> = fc.record({
  kind: fc.constantFrom('swap', 'move', 'duplicate', 'remove'),
  at: fc.nat(),
  to: fc.nat(),
  length: fc.integer({ min: 1, max: 12 }),
});

/** Byte edits, a truncation or line shuffles; `refooter` rewrites the S90 totals so the envelope lets most through. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('bytes'), edits: fc.array(byteEdit, { minLength: 1, maxLength: 3 }), refooter: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate'), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('lines'), ops: fc.array(lineOp, { minLength: 1, maxLength: 4 }), refooter: fc.boolean() }),
  },
);

export const byteEdits = fc.record({ edits: fc.array(byteEdit, { minLength: 1, maxLength: 3 }), refooter: fc.boolean() });
export const lineOps = fc.record({ ops: fc.array(lineOp, { minLength: 1, maxLength: 4 }), refooter: fc.boolean() });

export function applyByteEdits(base: Buffer, edits: ByteEdit[]): Buffer {
  let bytes = base;
  for (const edit of edits) {
    const at = edit.at % (bytes.length + 1);
    if (edit.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(edit.bytes), bytes.subarray(at)]);
    else if (edit.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.bytes.length)]);
    else {
      bytes = Buffer.from(bytes);
      edit.bytes.forEach((value, k) => {
        if (at + k < bytes.length) bytes[at + k] = value;
      });
    }
  }
  return bytes;
}

export function applyLineOps(base: Buffer, ops: LineOp[]): Buffer {
  const lines = base.toString('latin1').split('\n');
  const ended = lines.at(-1) === '';
  if (ended) lines.pop();
  for (const op of ops) {
    if (lines.length === 0) break;
    const at = op.at % lines.length;
    const to = op.to % lines.length;
    if (op.kind === 'swap') [lines[at], lines[to]] = [lines[to] as string, lines[at] as string];
    else if (op.kind === 'move') lines.splice(to, 0, ...lines.splice(at, 1));
    else if (op.kind === 'duplicate') lines.splice(to, 0, ...lines.slice(at, at + op.length));
    else lines.splice(at, Math.min(op.length, 3));
  }
  return Buffer.from(`${lines.join('\n')}${ended ? '\n' : ''}`, 'latin1');
}

/** The S90 totals recomputed for the lines now in the file, put back before the trailing wrappers. */
export function refooter(bytes: Buffer): Buffer {
  const lines = bytes.toString('latin1').split('\n');
  const ended = lines.at(-1) === '';
  if (ended) lines.pop();
  const eol = lines.some((line) => line.endsWith('\r')) ? '\r' : '';
  const kept = lines.filter((line) => !line.startsWith('S90.G00.90.00'));
  let end = kept.length;
  while (end > 0 && (isWrapper(kept[end - 1] as string) || isBlank((kept[end - 1] as string).replace(/\r$/, '')))) end--;
  const bare = kept.map((line) => line.replace(/\r$/, ''));
  const total = bare.filter((line) => !isBlank(line) && !isWrapper(line)).length + 2;
  const declarations = bare.filter((line) => line.startsWith('S20.G00.05.001,')).length;
  kept.splice(end, 0, `S90.G00.90.001,'${total}'${eol}`, `S90.G00.90.002,'${declarations}'${eol}`);
  return Buffer.from(`${kept.join('\n')}${ended ? '\n' : ''}`, 'latin1');
}

export function mutate(base: Buffer, m: Mutation): Buffer {
  if (m.kind === 'truncate') return base.subarray(0, m.at % (base.length + 1));
  const damaged = m.kind === 'bytes' ? applyByteEdits(base, m.edits) : applyLineOps(base, m.ops);
  return m.refooter ? refooter(damaged) : damaged;
}
