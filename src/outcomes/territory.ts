import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The territory a funder may see, passed in by the caller: the repository never looks at the user.

export type TerritoryScope = { kind: 'france' } | { kind: 'regions'; codes: string[] } | { kind: 'departements'; codes: string[] };

type EtalabDepartement = { code: string; region: string };
type EtalabRegion = { code: string };

// The same files `sillage migrate` loads into regions and departements: codes can be checked without a query.
const require = createRequire(import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(require.resolve(name), 'utf8'));

const DEPARTEMENT_REGIONS: ReadonlyMap<string, string> = new Map(
  (readJson('@etalab/decoupage-administratif/data/departements.json') as EtalabDepartement[]).map((d) => [d.code, d.region]),
);
const REGION_CODES: ReadonlySet<string> = new Set(
  (readJson('@etalab/decoupage-administratif/data/regions.json') as EtalabRegion[]).map((r) => r.code),
);

export const isRegionCode = (code: string): boolean => REGION_CODES.has(code);
export const isDepartementCode = (code: string): boolean => DEPARTEMENT_REGIONS.has(code);
export const regionOfDepartement = (code: string): string | undefined => DEPARTEMENT_REGIONS.get(code);

export function departementsOfRegion(region: string): string[] {
  return [...DEPARTEMENT_REGIONS].filter(([, r]) => r === region).map(([d]) => d);
}

export function regionWithinScope(scope: TerritoryScope, region: string): boolean {
  if (scope.kind === 'france') return true;
  if (scope.kind === 'regions') return scope.codes.includes(region);
  // A région lies within a set of départements only when all of its départements are in it.
  const departements = departementsOfRegion(region);
  return departements.length > 0 && departements.every((d) => scope.codes.includes(d));
}

export function departementWithinScope(scope: TerritoryScope, departement: string): boolean {
  if (scope.kind === 'france') return true;
  if (scope.kind === 'departements') return scope.codes.includes(departement);
  const region = regionOfDepartement(departement);
  return region !== undefined && scope.codes.includes(region);
}
