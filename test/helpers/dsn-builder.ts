import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// Hand-written DSN for tests: each helper returns the NEODeS lines of one block, values as given.

const line = (id: string, value: string) => `${id},'${value}'`;
const toDsnDate = (iso: string) => `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`;

export type DeclarationOptions = {
  siren: string;
  nic: string;
  month: string;
  nature?: string;
  type?: string;
  fraction?: string;
  naf?: string;
  postalCode?: string;
  town?: string;
  /** False for a signalement, which takes its dates from its own blocks (no S20.G00.05.005). */
  declaredMonth?: boolean;
};

export function declaration(options: DeclarationOptions, ...blocks: string[][]): string[] {
  const [year, month] = options.month.split('-');
  return [
    line('S20.G00.05.001', options.nature ?? '01'),
    line('S20.G00.05.002', options.type ?? '01'),
    line('S20.G00.05.003', options.fraction ?? '11'),
    line('S20.G00.05.004', '1'),
    ...(options.declaredMonth === false ? [] : [line('S20.G00.05.005', `01${month}${year}`)]),
    line('S20.G00.05.010', '01'),
    line('S21.G00.06.001', options.siren),
    line('S21.G00.06.003', options.naf ?? '8899B'),
    line('S21.G00.11.001', options.nic),
    line('S21.G00.11.002', options.naf ?? '8899B'),
    line('S21.G00.11.003', '1 RUE DE LA PAIX'),
    line('S21.G00.11.004', options.postalCode ?? '59000'),
    line('S21.G00.11.005', options.town ?? 'LILLE'),
    ...blocks.flat(),
  ];
}

export type IndividualOptions = {
  nir?: string;
  ntt?: string;
  lastName: string;
  firstNames?: string;
  birth: string;
  sex?: string;
};

export function individual(options: IndividualOptions): string[] {
  return [
    ...(options.nir ? [line('S21.G00.30.001', options.nir)] : []),
    line('S21.G00.30.002', options.lastName),
    line('S21.G00.30.004', options.firstNames ?? 'CAMILLE'),
    ...(options.sex ? [line('S21.G00.30.005', options.sex)] : []),
    line('S21.G00.30.006', options.birth),
    ...(options.ntt ? [line('S21.G00.30.020', options.ntt)] : []),
  ];
}

/** A change of identity (S21.G00.31): the person was declared before under `formerIdentifier`. */
export const identityChange = (date: string, formerIdentifier: string) => [
  line('S21.G00.31.001', toDsnDate(date)),
  line('S21.G00.31.008', formerIdentifier),
];

export type ContractOptions = {
  start: string;
  number: string;
  nature?: string;
  scheme?: string;
  plannedEnd?: string;
  unit?: string;
  reference?: string;
  quotity?: string;
  time?: string;
  boeth?: string;
  complement?: string;
};

export function contract(options: ContractOptions): string[] {
  return [
    line('S21.G00.40.001', toDsnDate(options.start)),
    line('S21.G00.40.002', '01'),
    line('S21.G00.40.004', '684a'),
    line('S21.G00.40.007', options.nature ?? '01'),
    line('S21.G00.40.008', options.scheme ?? '99'),
    line('S21.G00.40.009', options.number),
    ...(options.plannedEnd ? [line('S21.G00.40.010', toDsnDate(options.plannedEnd))] : []),
    line('S21.G00.40.011', options.unit ?? '10'),
    line('S21.G00.40.012', options.reference ?? '151.67'),
    line('S21.G00.40.013', options.quotity ?? '151.67'),
    line('S21.G00.40.014', options.time ?? '10'),
    ...(options.boeth ? [line('S21.G00.40.072', options.boeth)] : []),
    ...(options.complement ? [line('S21.G00.40.073', options.complement)] : []),
  ];
}

/** A CDDI (nature 02, scheme 71) at an SIAE of the given 40.073 kind: 02 ACI by default. */
export const cddi = (start: string, number: string, complement = '02') =>
  contract({ start, number, nature: '02', scheme: '71', complement });

export const stoppage = (reason: string, lastWorked: string, plannedEnd?: string, returnDate?: string) => [
  line('S21.G00.60.001', reason),
  line('S21.G00.60.002', toDsnDate(lastWorked)),
  ...(plannedEnd ? [line('S21.G00.60.003', toDsnDate(plannedEnd))] : []),
  ...(returnDate ? [line('S21.G00.60.010', toDsnDate(returnDate))] : []),
];

export const contractEnd = (date: string, reason: string) => [line('S21.G00.62.001', toDsnDate(date)), line('S21.G00.62.002', reason)];

export const suspension = (reason: string, start: string, end?: string) => [
  line('S21.G00.65.001', reason),
  line('S21.G00.65.002', toDsnDate(start)),
  ...(end ? [line('S21.G00.65.003', toDsnDate(end))] : []),
];

/** A versement with one rémunération of type 002 whose paid activity is `hours` hours. */
export function pay(contractNumber: string, periodStart: string, periodEnd: string, hours: string, unit = '10'): string[] {
  return [
    line('S21.G00.50.001', toDsnDate(periodEnd)),
    line('S21.G00.50.002', '1500.00'),
    line('S21.G00.51.001', toDsnDate(periodStart)),
    line('S21.G00.51.002', toDsnDate(periodEnd)),
    line('S21.G00.51.010', contractNumber),
    line('S21.G00.51.011', '002'),
    line('S21.G00.51.013', '1500.00'),
    line('S21.G00.53.001', '01'),
    line('S21.G00.53.002', hours),
    line('S21.G00.53.003', unit),
  ];
}

/** Wraps declarations in an envoi: S10 header and an S90 footer whose totals are right. */
export function envoi(...declarations: string[][]): string {
  const header = [
    line('S10.G00.00.001', 'LOGICIEL TEST'),
    line('S10.G00.00.002', 'EDITEUR'),
    line('S10.G00.00.003', '1.0'),
    line('S10.G00.00.005', '02'),
    line('S10.G00.00.006', 'P26V01'),
    line('S10.G00.00.008', '01'),
    line('S10.G00.01.001', '123456789'),
    line('S10.G00.01.002', '00012'),
  ];
  const body = [...header, ...declarations.flat()];
  const total = body.length + 2;
  return `${[...body, line('S90.G00.90.001', String(total)), line('S90.G00.90.002', String(declarations.length))].join('\n')}\n`;
}

/** `count` declarations of 25 persons each at SIREN `siren`, one contract and 10 hours per person; files from distinct `first` have distinct persons. */
export function manyDeclarations(siren: string, count: number, first = 0): string {
  const declarations = Array.from({ length: count }, (_, index) => {
    const d = first + index;
    const blocks = Array.from({ length: 25 }, (_, p) => [
      ...individual({
        nir: `1${String(60 + (p % 30)).padStart(2, '0')}0759${String(d).padStart(3, '0')}${String(p).padStart(3, '0')}`,
        lastName: 'TEST',
        birth: '01011970',
      }),
      ...contract({ start: '2024-01-02', number: `K${p}` }),
      ...pay(`K${p}`, '2024-04-01', '2024-04-30', '10.00'),
    ]);
    return declaration({ siren, nic: String(d).padStart(5, '0'), month: '2024-04' }, ...blocks);
  });
  return envoi(...declarations);
}

/** Envois carried by one lot: a concentrator's S05/S06 wrapper lines before them, S96/S95 after. */
export function lot(...envois: string[]): string {
  const opening = [line('S05.G51.00.001', 'LOT0001'), line('S06.G51.00.001', '01')];
  const closing = [line('S96.G51.00.001', String(envois.length)), line('S95.G51.00.001', 'LOT0001')];
  return `${[...opening, ...envois.map((e) => e.trimEnd()), ...closing].join('\n')}\n`;
}

/** Line number (1-based) of the first line of `text` that starts with `prefix`. */
export const lineOf = (text: string, prefix: string, occurrence = 1) => {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if ((lines[i] as string).startsWith(prefix) && ++seen === occurrence) return i + 1;
  throw new Error(`no line ${prefix}`);
};

export async function tempDir(prefix = 'sillage-dsn-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes text as Latin-1, the DSN's encoding. */
export async function writeDsn(folder: string, name: string, text: string): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, Buffer.from(text, 'latin1'));
  return file;
}
