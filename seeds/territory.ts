import { createRequire } from 'node:module';
import { toLatin1, upperLatin1 } from './latin1.js';
import { type Random, WeightedSampler } from './random.js';

// Real communes and postal codes (INSEE, La Poste) from @etalab/decoupage-administratif.

type CommuneRecord = {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  commune?: string;
  codesPostaux?: string[];
  population?: number;
};

export type Place = { code: string; name: string; postalCodes: readonly string[]; department: string; population: number };
export type Workplace = { postalCode: string; town: string };

/** The départements the data set covers: Nord, Pas-de-Calais, Seine-Saint-Denis, Rhône, Gironde, Bouches-du-Rhône. */
export const DEPARTMENTS = ['59', '62', '93', '69', '33', '13'] as const;

// Birth abroad: NIR département 99 and the INSEE country code, weighted by how often each appears.
const COUNTRIES: readonly (readonly [string, number])[] = [
  ['99352', 20], // Algérie
  ['99350', 18], // Maroc
  ['99351', 7], // Tunisie
  ['99139', 8], // Portugal
  ['99341', 5], // Sénégal
  ['99335', 5], // Mali
  ['99326', 4], // Côte d'Ivoire
  ['99322', 3], // Cameroun
  ['99312', 3], // République démocratique du Congo
  ['99208', 5], // Turquie
  ['99114', 4], // Roumanie
  ['99397', 3], // Comores
];

export class Territory {
  private readonly byDepartment = new Map<string, WeightedSampler<Place>>();
  private readonly births: WeightedSampler<Place>;
  private readonly arrondissements = new Map<string, string[]>();
  readonly departments: WeightedSampler<string>;

  constructor(records: readonly CommuneRecord[]) {
    const all: Place[] = [];
    for (const record of records) {
      if (record.type === 'arrondissement-municipal' && record.commune) {
        const list = this.arrondissements.get(record.commune) ?? [];
        list.push(record.code);
        this.arrondissements.set(record.commune, list);
      }
      if (record.type !== 'commune-actuelle' || !record.departement || !record.codesPostaux?.length || !record.population) continue;
      all.push({
        code: record.code,
        name: toLatin1(record.nom),
        postalCodes: record.codesPostaux,
        department: record.departement,
        population: record.population,
      });
    }
    const population = new Map<string, number>();
    for (const department of DEPARTMENTS) {
      const places = all.filter((place) => place.department === department);
      // Employers gather in towns, less than in proportion to population.
      this.byDepartment.set(department, new WeightedSampler(places, (place) => place.population ** 0.85));
      population.set(
        department,
        places.reduce((sum, place) => sum + place.population, 0),
      );
    }
    this.births = new WeightedSampler(all, (place) => place.population);
    this.departments = new WeightedSampler([...DEPARTMENTS], (department) => population.get(department) ?? 0);
  }

  /** A commune of the département, its postal code and its label in capitals, as an établissement declares them. */
  workplace(random: Random, department: string): Workplace {
    const place = (this.byDepartment.get(department) as WeightedSampler<Place>).sample(random);
    return { postalCode: random.pick(place.postalCodes), town: upperLatin1(place.name) };
  }

  /** INSEE code of a birth place for the NIR: mostly near home, some elsewhere in France, some abroad. */
  birthPlace(random: Random, homeDepartment: string): string {
    const roll = random.next();
    if (roll < 0.16) return random.weighted(COUNTRIES);
    const place =
      roll < 0.66 ? (this.byDepartment.get(homeDepartment) as WeightedSampler<Place>).sample(random) : this.births.sample(random);
    // Paris, Lyon and Marseille births are registered by arrondissement.
    const arrondissements = this.arrondissements.get(place.code);
    return arrondissements ? random.pick(arrondissements) : place.code;
  }
}

let loaded: Territory | null = null;

export function loadTerritory(): Territory {
  if (loaded === null) {
    const require = createRequire(import.meta.url);
    loaded = new Territory(require('@etalab/decoupage-administratif/data/communes.json') as CommuneRecord[]);
  }
  return loaded;
}
