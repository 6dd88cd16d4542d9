import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedDeclaration } from '../../src/dsn/declaration.js';
import { readDsnFile } from '../../src/dsn/read-file.js';
import type { DsnRejection } from '../../src/dsn/rejection.js';
import {
  contract,
  contractEnd,
  declaration,
  envoi,
  individual,
  lineOf,
  pay,
  stoppage,
  suspension,
  tempDir,
} from '../helpers/dsn-builder.js';

let folder: string;
let counter = 0;
beforeAll(async () => {
  folder = await tempDir('sillage-parser-');
});

async function parse(text: string | Buffer) {
  const file = path.join(folder, `f${counter++}.dsn`);
  await writeFile(file, typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  const declarations: ParsedDeclaration[] = [];
  const rejections: DsnRejection[] = [];
  const warnings: DsnRejection[] = [];
  await readDsnFile(file, {
    declaration: (d) => declarations.push(d),
    rejection: (r) => rejections.push(r),
    warning: (w) => warnings.push(w),
  });
  return { declarations, rejections, warnings, file };
}

const COMPANY = { siren: '123456789', nic: '00012', month: '2024-03' };
const PERSON = { nir: '1850759123456', lastName: 'MARTIN', birth: '01011985' };

describe('DSN parser', () => {
  it('reads values between the first and the last quote, keeping apostrophes and Latin-1 accents', async () => {
    const text = envoi(
      declaration(
        COMPANY,
        individual({ ...PERSON, lastName: "D'ALMEIDA", firstNames: "JOSÉ 'PEPE'" }),
        contract({ start: '2024-01-02', number: '1' }),
      ),
    );
    const { declarations, rejections } = await parse(text);
    expect(rejections).toEqual([]);
    expect(declarations[0]?.persons[0]).toMatchObject({
      lastName: "D'ALMEIDA",
      firstNames: "JOSÉ 'PEPE'",
      nir: '1850759123456',
    });
    expect(declarations[0]?.siret).toBe('12345678900012');
    expect(declarations[0]?.header).toEqual({
      nature: '01',
      type: '01',
      fraction: '11',
      declaredMonth: '2024-03-01',
    });
  });

  it('accepts CRLF line endings and gives the same checksum as LF', async () => {
    const text = envoi(declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1' })));
    const lf = await parse(text);
    const crlf = await parse(text.replace(/\n/g, '\r\n'));
    expect(crlf.rejections).toEqual([]);
    expect(crlf.declarations[0]?.checksum.equals(lf.declarations[0]?.checksum as Buffer)).toBe(true);
  });

  it('identifies a declaration by the SHA-256 of its lines joined by \\n, also past the 64 kB hashed at a time', async () => {
    const persons = Array.from({ length: 400 }, (_, i) => [
      ...individual({ ...PERSON, nir: `18507591${String(10000 + i)}` }),
      ...contract({ start: '2024-01-02', number: String(i) }),
    ]);
    const text = envoi(declaration(COMPANY, ...persons));
    const lines = text.split('\n');
    const declared = lines.slice(
      lines.findIndex((line) => line.startsWith('S20.G00.05.001')),
      lines.findIndex((line) => line.startsWith('S90.')),
    );
    expect(declared.join('\n').length).toBeGreaterThan(1 << 16);
    const { declarations, rejections } = await parse(text);
    expect(rejections).toEqual([]);
    expect(declarations[0]?.lineCount).toBe(declared.length);
    expect(declarations[0]?.checksum.toString('hex')).toBe(createHash('sha256').update(declared.join('\n')).digest('hex'));
  });

  it('starts a new block instance when a rubric number does not increase (two contracts, an NTT-only person)', async () => {
    const text = envoi(
      declaration(
        COMPANY,
        individual(PERSON),
        contract({ start: '2024-01-02', number: '1', nature: '02' }),
        contract({ start: '2024-02-01', number: '2', nature: '01' }),
        individual({ ntt: 'ABC123', lastName: 'NTT', birth: '02021990', sex: '02' }),
        contract({ start: '2024-03-04', number: '7' }),
      ),
    );
    const { declarations, rejections } = await parse(text);
    expect(rejections).toEqual([]);
    const persons = declarations[0]?.persons ?? [];
    expect(persons.map((p) => [p.nir, p.ntt, p.contracts.map((c) => c.number)])).toEqual([
      ['1850759123456', null, ['1', '2']],
      [null, 'ABC123', ['7']],
    ]);
  });

  it('tolerates vendor rubrics, unknown blocks and batch wrappers', async () => {
    const body = declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1' }));
    body.splice(13, 0, "S21.G00.11.901,'EDITEUR'");
    body.push("S21.G00.70.012,'CONTRAT PREVOYANCE'", "S21.G00.78.001,'02'", "S21.G00.81.001,'076'");
    const inner = envoi(body).split('\n');
    inner.splice(8, 0, "S10.G00.95.001,'VENDEUR'");
    const wrapped = ["S05.G51.00.001,'LOT'", ...inner.slice(0, -1), "S95.G51.00.001,'FIN'", ''].join('\n');
    const total = wrapped.split('\n').filter((l) => l && !/^S(05|06|95|96)\./.test(l)).length;
    const fixed = wrapped.replace(/S90\.G00\.90\.001,'\d+'/, `S90.G00.90.001,'${total}'`);
    const { declarations, rejections } = await parse(fixed);
    expect(rejections).toEqual([]);
    expect(declarations[0]?.persons[0]?.contracts).toHaveLength(1);
  });

  it('reads several declarations in one file', async () => {
    const text = envoi(
      declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1' })),
      declaration({ ...COMPANY, nic: '00020' }, individual(PERSON), contract({ start: '2024-01-02', number: '1' })),
    );
    const { declarations } = await parse(text);
    expect(declarations.map((d) => d.siret)).toEqual(['12345678900012', '12345678900020']);
  });

  it('computes hours: hours, days x 7, the contract unit when absent, overtime, negative corrections, back pay', async () => {
    const text = envoi(
      declaration(
        COMPANY,
        individual(PERSON),
        contract({ start: '2024-01-02', number: 'A', unit: '12' }),
        pay('A', '2024-03-01', '2024-03-31', '100.50'),
        pay('A', '2024-03-01', '2024-03-31', '2', '12'),
        pay('A', '2024-02-01', '2024-02-29', '-3.25'),
        pay('A', '2024-01-01', '2024-01-31', '1', '40'),
        [
          "S21.G00.50.001,'31032024'",
          "S21.G00.51.001,'01032024'",
          "S21.G00.51.010,'A'",
          "S21.G00.51.011,'002'",
          "S21.G00.53.001,'01'",
          "S21.G00.53.002,'3'",
          "S21.G00.51.001,'01032024'",
          "S21.G00.51.010,'A'",
          "S21.G00.51.011,'017'",
          "S21.G00.51.012,'4.25'",
          "S21.G00.51.001,'01032024'",
          "S21.G00.51.010,'A'",
          "S21.G00.51.011,'002'",
          "S21.G00.53.001,'02'",
          "S21.G00.53.002,'7.00'",
          "S21.G00.53.003,'10'",
        ],
      ),
    );
    const { declarations, rejections } = await parse(text);
    expect(rejections).toEqual([]);
    // March: 100.50 h + 2 days x 7 h + 3 days (unit absent: contract unit 12, days) x 7 h + 4.25 h overtime
    // = 100.50 + 14 + 21 + 4.25 = 139.75 h; unpaid absence (53.001 = 02) and unit 40 count for nothing.
    expect(declarations[0]?.persons[0]?.hours).toEqual([
      { contractNumber: 'A', startDate: '2024-01-02', month: '2024-03-01', hundredths: 13975 },
      { contractNumber: 'A', startDate: '2024-01-02', month: '2024-02-01', hundredths: -325 },
    ]);
  });

  it('gives pay to the contract of that number started by the pay period when the number was reused', async () => {
    const text = envoi(
      declaration(
        COMPANY,
        individual(PERSON),
        contract({ start: '2024-03-01', number: 'X' }),
        contract({ start: '2023-01-01', number: 'X' }),
        pay('X', '2023-06-01', '2023-06-30', '10.00'),
        pay('X', '2024-03-01', '2024-03-31', '20.00'),
      ),
    );
    const { declarations } = await parse(text);
    expect(declarations[0]?.persons[0]?.hours).toEqual([
      { contractNumber: 'X', startDate: '2023-01-01', month: '2023-06-01', hundredths: 1000 },
      { contractNumber: 'X', startDate: '2024-03-01', month: '2024-03-01', hundredths: 2000 },
    ]);
  });

  it('reads stoppages, suspensions, ends and birth dates with unknown day or month', async () => {
    const text = envoi(
      declaration(
        COMPANY,
        individual({ ...PERSON, birth: '99991985' }),
        contract({ start: '2024-01-02', number: '1', boeth: '01', complement: '04' }),
        stoppage('01', '2024-03-05', '2024-03-20', '2024-03-21'),
        suspension('501', '2024-03-25', '2024-03-26'),
        contractEnd('2024-03-31', '031'),
      ),
    );
    const { declarations } = await parse(text);
    const person = declarations[0]?.persons[0];
    expect(person?.birth).toEqual({ year: 1985, month: null, day: null });
    expect(person?.contracts[0]).toMatchObject({
      boeth: '01',
      schemeComplement: '04',
      stoppages: [
        {
          reason: '01',
          lastWorkedDate: '2024-03-05',
          plannedEndDate: '2024-03-20',
          returnDate: '2024-03-21',
        },
      ],
      suspensions: [{ reason: '501', startDate: '2024-03-25', endDate: '2024-03-26' }],
      end: { endDate: '2024-03-31', reason: '031' },
    });
  });
});

describe('DSN parser: bad input is rejected with line, rubric and a French message', () => {
  const good = declaration({ ...COMPANY, nic: '00099' }, individual(PERSON), contract({ start: '2024-01-02', number: '1' }));

  it('rejects a malformed line, and only its declaration', async () => {
    const bad = declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1' }));
    bad.splice(15, 0, 'S21.G00.30.004 MARTIN');
    const text = envoi(bad, good);
    const { declarations, rejections } = await parse(text);
    expect(declarations.map((d) => d.siret)).toEqual(['12345678900099']);
    expect(rejections).toEqual([
      {
        file: expect.any(String),
        line: lineOf(text, 'S21.G00.30.004 MARTIN'),
        rubric: 'S21.G00.30.004',
        message: expect.stringContaining('ligne mal formée'),
      },
    ]);
  });

  it('rejects a child block without its parent (a contract before any individual)', async () => {
    const text = envoi(declaration(COMPANY, contract({ start: '2024-01-02', number: '1' })), good);
    const { declarations, rejections } = await parse(text);
    expect(declarations).toHaveLength(1);
    expect(rejections[0]).toMatchObject({
      line: lineOf(text, 'S21.G00.40.001'),
      rubric: 'S21.G00.40.001',
      message: 'bloc contrat (S21.G00.40) sans bloc individu (S21.G00.30) parent avant lui',
    });
  });

  it('rejects a date that does not exist', async () => {
    const text = envoi(
      declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1' }), stoppage('01', '2024-02-31')),
      good,
    );
    const { rejections, declarations } = await parse(text);
    expect(declarations).toHaveLength(1);
    expect(rejections[0]).toMatchObject({
      line: lineOf(text, 'S21.G00.60.002'),
      rubric: 'S21.G00.60.002',
      message: "date du dernier jour travaillé : « 31022024 » n'est pas une date existante au format JJMMAAAA",
    });
  });

  it('rejects a non-numeric amount', async () => {
    const text = envoi(declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1', quotity: '15O,5' })));
    const { rejections } = await parse(text);
    expect(rejections[0]).toMatchObject({
      line: lineOf(text, 'S21.G00.40.013'),
      rubric: 'S21.G00.40.013',
      message: expect.stringContaining("« 15O,5 » n'est pas un nombre"),
    });
  });

  it('rejects a pay line naming no declared contract of that person', async () => {
    const text = envoi(
      declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1' }), pay('9', '2024-03-01', '2024-03-31', '10')),
    );
    const { rejections } = await parse(text);
    expect(rejections[0]).toMatchObject({
      line: lineOf(text, 'S21.G00.51.001'),
      rubric: 'S21.G00.51.010',
      message: expect.stringContaining('« 9 »'),
    });
  });

  it('rejects a person declared twice in one declaration, which would lose one of the two identities', async () => {
    const text = envoi(
      declaration(
        COMPANY,
        individual({ ...PERSON, lastName: 'PREMIER' }),
        contract({ start: '2024-01-02', number: '1' }),
        individual(PERSON),
        contract({ start: '2024-01-02', number: '2' }),
      ),
    );
    const { rejections, declarations } = await parse(text);
    expect(declarations).toEqual([]);
    expect(rejections).toEqual([
      {
        file: expect.any(String),
        line: lineOf(text, 'S21.G00.30.001', 2),
        rubric: 'S21.G00.30.001',
        message: `individu déclaré deux fois dans la déclaration (lignes ${lineOf(text, 'S21.G00.30.001')} et ${lineOf(text, 'S21.G00.30.001', 2)}) : une personne a un seul bloc individu (S21.G00.30) par déclaration, tous ses contrats dessous`,
      },
    ]);
  });

  it('rejects a missing required rubric', async () => {
    const bad = declaration(COMPANY, individual(PERSON), contract({ start: '2024-01-02', number: '1' })).filter(
      (l) => !l.startsWith('S21.G00.40.007'),
    );
    const { rejections } = await parse(envoi(bad));
    expect(rejections[0]).toMatchObject({
      rubric: 'S21.G00.40.007',
      message: 'nature du contrat absent(e) : rubrique obligatoire',
    });
  });

  it('rejects a file whose S90 total does not match', async () => {
    const text = envoi(good).replace(/S90\.G00\.90\.001,'(\d+)'/, "S90.G00.90.001,'999'");
    const { rejections, declarations } = await parse(text);
    expect(declarations).toEqual([]);
    expect(rejections).toMatchObject([
      {
        line: lineOf(text, 'S90.G00.90.001'),
        rubric: 'S90.G00.90.001',
        message: expect.stringContaining('annonce 999 rubriques'),
      },
    ]);
  });

  it('rejects a truncated file (no S90)', async () => {
    const text = envoi(good).split('\n').slice(0, 20).join('\n');
    const { rejections, declarations } = await parse(text);
    expect(declarations).toEqual([]);
    expect(rejections).toMatchObject([{ line: 20, rubric: 'S90.G00.90', message: expect.stringContaining('fichier tronqué') }]);
  });

  it('rejects a binary file', async () => {
    const { rejections } = await parse(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0xfe]));
    expect(rejections).toMatchObject([{ line: 1, message: expect.stringContaining('pas un fichier texte DSN') }]);
  });

  it('rejects a file that does not start with an S10 header', async () => {
    const text = envoi(good).split('\n').slice(8).join('\n');
    const { rejections } = await parse(text);
    expect(rejections).toMatchObject([{ line: 1, message: expect.stringContaining('S10.G00.00') }]);
  });
});
