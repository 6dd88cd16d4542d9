import { createRequire } from 'node:module';
import type { Random } from './random.js';

// Real NAF rév. 2 sous-classes from @socialgouv/codes-naf, with the PCS-ESE jobs people are hired for in each.

type NafRecord = { id: string; label: string };

export type Sector = { naf: string; label: string; jobs: readonly string[] };

type SectorRow = readonly [naf: string, weight: number, jobs: readonly string[]];

// Sectors that hire people leaving insertion programmes, and most low-qualified workers.
const ORDINARY: readonly SectorRow[] = [
  ['56.10A', 6, ['561a', '636d']],
  ['56.10C', 5, ['561a', '636d']],
  ['55.10Z', 2, ['561a', '684a']],
  ['47.11D', 5, ['551a', '552a', '554a']],
  ['47.11F', 3, ['551a', '552a']],
  ['47.19B', 2, ['551a', '552a']],
  ['10.71C', 2, ['636c', '554a']],
  ['81.21Z', 7, ['684a']],
  ['81.30Z', 2, ['631a']],
  ['52.10B', 4, ['676a', '652a', '653a']],
  ['52.29A', 2, ['643a', '676c']],
  ['49.41A', 2, ['641a']],
  ['49.41B', 3, ['641a', '643a']],
  ['53.20Z', 2, ['643a']],
  ['41.20A', 2, ['632a', '681a']],
  ['43.99C', 3, ['632a', '681a']],
  ['43.34Z', 2, ['681b']],
  ['88.10A', 5, ['563b']],
  ['87.10A', 4, ['526a', '525d']],
  ['86.10Z', 3, ['526a', '525d']],
  ['10.13A', 2, ['676c']],
  ['38.11Z', 2, ['684b', '641a']],
  ['82.92Z', 2, ['676c']],
  ['46.90Z', 2, ['653a', '676a']],
  ['96.02A', 2, ['562b']],
  ['80.10Z', 2, ['534a']],
  ['84.11Z', 2, ['542a', '631a', '684a']],
  ['88.99B', 2, ['563b', '542a']],
];

// Jobs for a sector drawn from the whole nomenclature, by NAF division.
const JOBS_BY_DIVISION: readonly (readonly [lastDivision: number, jobs: readonly string[]])[] = [
  [3, ['631a']],
  [33, ['676c', '652a']],
  [39, ['684b']],
  [43, ['681a', '681b']],
  [47, ['551a', '552a']],
  [53, ['643a', '676a']],
  [56, ['561a', '636d']],
  [75, ['542a']],
  [82, ['684a', '542a']],
  [88, ['525d', '542a', '563b']],
  [99, ['542a']],
];

/** Sectors of the structures: a structure's own trade decides what its employees do. */
export const STRUCTURE_SECTORS = {
  ACI: [
    ['88.99B', 3, ['631a', '684b', '681b']],
    ['81.30Z', 2, ['631a']],
    ['38.32Z', 2, ['684b', '676c']],
    ['01.13Z', 1, ['631a']],
    ['47.79Z', 2, ['551a', '676c']],
  ],
  AI: [
    ['78.30Z', 2, ['684a', '563b', '631a']],
    ['88.99B', 1, ['684a', '563b']],
  ],
  EI: [
    ['81.21Z', 3, ['684a']],
    ['38.11Z', 1, ['684b']],
    ['56.29A', 1, ['636d', '561a']],
    ['49.41B', 1, ['643a']],
    ['43.99C', 1, ['681a']],
    ['82.92Z', 1, ['676c']],
  ],
  ETTI: [['78.20Z', 1, ['676a', '681a', '684a', '652a']]],
  EA: [
    ['82.92Z', 2, ['676c']],
    ['81.21Z', 2, ['684a']],
    ['81.30Z', 1, ['631a']],
    ['38.32Z', 1, ['684b']],
    ['25.99B', 1, ['652a', '676c']],
    ['82.19Z', 1, ['542a']],
  ],
  GEIQ: [['78.30Z', 1, ['681a', '641a', '526a', '684a']]],
  SUPPORT: [['88.99B', 1, ['542a']]],
  TRAINING: [['85.59A', 1, ['423b', '542a']]],
  TEMP_AGENCY: [['78.20Z', 1, ['676a', '652a', '681a', '684a', '643a']]],
} as const satisfies Record<string, readonly SectorRow[]>;

export type StructureSectorKind = keyof typeof STRUCTURE_SECTORS;

/** Jobs of the permanent staff of a structure: supervisors, counsellors, office. */
export const STAFF_JOBS = ['434d', '542a'] as const;

const dsnNaf = (id: string) => id.replace('.', '');

export class Sectors {
  private readonly labels = new Map<string, string>();
  private readonly subclasses: string[] = [];

  constructor(records: readonly NafRecord[]) {
    for (const record of records) {
      if (!/^\d{2}\.\d{2}[A-Z]$/.test(record.id)) continue;
      this.labels.set(record.id, record.label);
      // Households as employers (97, 98) and extraterritorial bodies (99) do not file a DSN.
      if (Number(record.id.slice(0, 2)) < 97) this.subclasses.push(record.id);
    }
    const curated = [...ORDINARY, ...Object.values(STRUCTURE_SECTORS).flat()];
    for (const [naf] of curated) if (!this.labels.has(naf)) throw new Error(`code NAF ${naf} absent de @socialgouv/codes-naf`);
  }

  private sector(row: SectorRow): Sector {
    return { naf: dsnNaf(row[0]), label: this.labels.get(row[0]) ?? '', jobs: row[2] };
  }

  /** An ordinary employer's sector: mostly the sectors that hire, some from the whole nomenclature. */
  ordinary(random: Random): Sector {
    if (random.chance(0.75)) return this.sector(random.weighted(ORDINARY.map((row) => [row, row[1]] as const)));
    const id = random.pick(this.subclasses);
    const division = Number(id.slice(0, 2));
    const jobs = (JOBS_BY_DIVISION.find(([last]) => division <= last) ?? [99, ['542a']])[1];
    return { naf: dsnNaf(id), label: this.labels.get(id) ?? '', jobs };
  }

  structure(random: Random, kind: StructureSectorKind): Sector {
    const rows: readonly SectorRow[] = STRUCTURE_SECTORS[kind];
    return this.sector(random.weighted(rows.map((row) => [row, row[1]] as const)));
  }
}

let loaded: Sectors | null = null;

export function loadSectors(): Sectors {
  if (loaded === null) {
    const require = createRequire(import.meta.url);
    loaded = new Sectors(require('@socialgouv/codes-naf/index.json') as NafRecord[]);
  }
  return loaded;
}
