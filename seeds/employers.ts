import type { EmployerKind, Establishment, ProgrammeKind } from './model.js';
import { type Random, WeightedSampler } from './random.js';
import type { Sector, Sectors, StructureSectorKind } from './sectors.js';
import { DEPARTMENTS, type Territory } from './territory.js';

// Establishments: insertion structures, temp agencies and ordinary employers, with SIREN and SIRET that pass the Luhn check.

const STREET_TYPES = ['RUE', 'RUE', 'RUE', 'AVENUE', 'BOULEVARD', 'CHEMIN', 'IMPASSE', 'PLACE', 'ALLÉE', 'ROUTE'];
const STREET_NAMES = [
  'DE LA GARE',
  'JEAN JAURÈS',
  'VICTOR HUGO',
  'DE LA RÉPUBLIQUE',
  'DU GÉNÉRAL DE GAULLE',
  'PASTEUR',
  'DES LILAS',
  "D'ARRAS",
  'DES ACACIAS',
  'GAMBETTA',
  'DU MARÉCHAL FOCH',
  'ÉMILE ZOLA',
  'DE PARIS',
  'DES ÉCOLES',
  'DU MOULIN',
  'PIERRE BROSSOLETTE',
  'JULES FERRY',
  'DE LA LIBERTÉ',
  "DE L'INDUSTRIE",
  'DES TISSERANDS',
  'DU PORT',
  'ARISTIDE BRIAND',
  'LÉON BLUM',
  'DES CHÊNES',
];
const NAME_WORDS = [
  'HORIZON',
  'TREMPLIN',
  'PASSERELLE',
  'ENVOL',
  'ÉTAPE',
  'BOUSSOLE',
  'ATELIERS',
  'AVENIR',
  'SOLIDAIRE',
  'RELAIS',
  'PHARE',
  'ESCALE',
  'JARDINS',
  'RESSOURCES',
  'TALENTS',
  'ÉLAN',
  'CHEMINS',
  'ARC-EN-CIEL',
];
const TRADE_NAMES = ['SERVICES', 'LOGISTIQUE', 'DISTRIBUTION', 'BÂTIMENT', 'PROPRETÉ', 'TRANSPORTS', 'RESTAURATION', 'INDUSTRIES'];
const LEGAL_FORMS = ['SAS', 'SARL', 'SA', 'SASU', 'EURL'];

const NAME_PREFIX: Record<EmployerKind, string> = {
  ACI: 'CHANTIER',
  AI: 'ASSOCIATION INTERMÉDIAIRE',
  EI: "ENTREPRISE D'INSERTION",
  ETTI: "INTÉRIM D'INSERTION",
  EA: 'ENTREPRISE ADAPTÉE',
  GEIQ: 'GEIQ',
  SUPPORT: 'ASSOCIATION',
  TRAINING: 'CENTRE DE FORMATION',
  TEMP_AGENCY: 'INTÉRIM',
  ORDINARY: '',
};

/** Luhn check, as INSEE applies it to SIREN and SIRET. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

function withLuhnDigit(prefix: string): string {
  for (let digit = 0; digit <= 9; digit++) if (luhnValid(`${prefix}${digit}`)) return `${prefix}${digit}`;
  throw new Error('unreachable: one Luhn digit always fits');
}

/** Sizes of ordinary employers: most small, a few of 50 to 200. */
function ordinarySize(random: Random): number {
  const roll = random.next();
  if (roll < 0.62) return random.int(1, 9);
  if (roll < 0.87) return random.int(10, 29);
  if (roll < 0.96) return random.int(30, 49);
  return random.int(50, 200);
}

type Samplers = Map<string, WeightedSampler<Establishment>>;

export class Employers {
  readonly all: Establishment[] = [];
  private readonly sirens = new Set<string>();
  private readonly samplers = new Map<string, Samplers>();

  constructor(
    private readonly random: Random,
    private readonly territory: Territory,
    private readonly sectors: Sectors,
    persons: number,
  ) {
    const structures = Math.max(5, Math.round((persons * 0.5) / 12));
    const shares: readonly (readonly [ProgrammeKind, number])[] = [
      ['ACI', 0.38],
      ['AI', 0.17],
      ['EI', 0.17],
      ['ETTI', 0.12],
      ['EA', 0.16],
    ];
    for (const [kind, share] of shares) {
      for (let i = Math.max(1, Math.round(structures * share)); i > 0; i--) this.structure(kind, random.int(4, 20));
    }
    for (let i = Math.max(1, Math.round(persons / 500)); i > 0; i--) this.structure('GEIQ', random.int(5, 30));
    for (let i = Math.max(1, Math.round(persons / 700)); i > 0; i--) this.structure('SUPPORT', random.int(2, 10));
    for (let i = Math.max(1, Math.round(persons / 800)); i > 0; i--) this.structure('TRAINING', random.int(2, 10));
    for (let i = Math.max(2, Math.round(persons / 150)); i > 0; i--) this.structure('TEMP_AGENCY', random.int(20, 120));
    for (let i = Math.max(8, Math.round(persons / 30)); i > 0; i--) this.ordinary();
  }

  /** The structures of one kind whose permanent staff is still to be hired. */
  get structures(): Establishment[] {
    return this.all.filter((establishment) => establishment.kind !== 'ORDINARY' && establishment.kind !== 'TEMP_AGENCY');
  }

  /** An establishment of one kind, in the person's département most of the time. */
  pick(random: Random, kind: EmployerKind | 'LEAVERS' | 'NON_PROFIT', department: string): Establishment {
    const samplers = this.samplersFor(kind);
    const local = samplers.get(department);
    if (local && random.chance(0.9)) return local.sample(random);
    return (samplers.get('*') as WeightedSampler<Establishment>).sample(random);
  }

  private samplersFor(kind: EmployerKind | 'LEAVERS' | 'NON_PROFIT'): Samplers {
    const cached = this.samplers.get(kind);
    if (cached) return cached;
    const matches = (e: Establishment) =>
      kind === 'LEAVERS'
        ? e.kind === 'ORDINARY' && e.hiresLeavers
        : kind === 'NON_PROFIT'
          ? (e.kind === 'ORDINARY' && /^(84|85|86|87|88|91|93|94)/.test(e.naf)) || e.kind === 'SUPPORT' || e.kind === 'TRAINING'
          : e.kind === kind;
    let pool = this.all.filter(matches);
    if (pool.length === 0) pool = this.all.filter((e) => e.kind === 'ORDINARY');
    const samplers: Samplers = new Map([['*', new WeightedSampler(pool, (e) => e.weight)]]);
    for (const department of DEPARTMENTS) {
      const local = pool.filter((e) => e.department === department);
      if (local.length > 0) samplers.set(department, new WeightedSampler(local, (e) => e.weight));
    }
    this.samplers.set(kind, samplers);
    return samplers;
  }

  private structure(kind: StructureSectorKind, weight: number): void {
    const department = this.territory.departments.sample(this.random);
    const word = kind === 'GEIQ' ? this.random.pick(TRADE_NAMES) : this.random.pick(NAME_WORDS);
    this.add(
      kind,
      this.sectors.structure(this.random, kind),
      `${NAME_PREFIX[kind]} ${word} {town}`,
      department,
      this.newSiren(kind),
      1,
      weight,
      false,
    );
  }

  private ordinary(): void {
    const sector = this.sectors.ordinary(this.random);
    const size = ordinarySize(this.random);
    const department = this.territory.departments.sample(this.random);
    const name = `${this.random.pick(LEGAL_FORMS)} ${this.random.pick(NAME_WORDS)} ${this.random.pick(TRADE_NAMES)}`;
    const siren = this.newSiren('ORDINARY');
    // Larger companies often have other establishments, elsewhere, under the same SIREN.
    const sites = size >= 30 && this.random.chance(0.3) ? this.random.int(2, 4) : 1;
    const hiresLeavers = this.random.chance(0.35);
    for (let site = 1; site <= sites; site++) {
      const where = site === 1 ? department : this.territory.departments.sample(this.random);
      this.add('ORDINARY', sector, name, where, siren, site, site === 1 ? size : ordinarySize(this.random), hiresLeavers);
    }
  }

  private newSiren(kind: EmployerKind): string {
    // Associations are registered under SIRENs starting with 3, 4 or 7 more often than companies; the look matters little.
    const first = kind === 'ORDINARY' || kind === 'TEMP_AGENCY' ? this.random.int(3, 9) : this.random.pick([3, 4, 5, 7, 8]);
    for (;;) {
      const siren = withLuhnDigit(`${first}${String(this.random.int(0, 9_999_999)).padStart(7, '0')}`);
      if (!this.sirens.has(siren)) {
        this.sirens.add(siren);
        return siren;
      }
    }
  }

  private add(
    kind: EmployerKind,
    sector: Sector,
    name: string,
    department: string,
    siren: string,
    site: number,
    weight: number,
    hiresLeavers: boolean,
  ): void {
    const nicPrefix = String(site * 10 + this.random.int(0, 9))
      .padStart(4, '0')
      .slice(-4);
    const siret = withLuhnDigit(`${siren}${nicPrefix}`);
    const headSiret = site === 1 ? siret : (this.all[this.all.length - site + 1] as Establishment).siret;
    const workplace = this.territory.workplace(this.random, department);
    this.all.push({
      id: this.all.length,
      kind,
      siren,
      nic: siret.slice(9),
      headNic: headSiret.slice(9),
      siret,
      naf: sector.naf,
      jobs: sector.jobs,
      name: name.replace('{town}', workplace.town),
      street: `${this.random.int(1, 180)} ${this.random.pick(STREET_TYPES)} ${this.random.pick(STREET_NAMES)}`,
      postalCode: workplace.postalCode,
      town: workplace.town,
      department,
      weight,
      hiresLeavers,
      nextContract: 1,
      firstMonth: Number.POSITIVE_INFINITY,
      header: null,
      company: null,
    });
  }
}
