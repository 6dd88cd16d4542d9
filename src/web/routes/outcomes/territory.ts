import { type OutcomeFilters, outcomesQuery } from '../../../outcomes/filters.js';
import type { Option, TerritoryLevel, TerritoryLine } from '../../../outcomes/repository.js';
import { regionOfDepartement, regionWithinScope, type TerritoryScope } from '../../../outcomes/territory.js';
import type { LabelView } from './tables.js';

// The territory table's level follows the filters: régions, then a région's départements, then a département's
// structures. Each row links one level down by setting the filter; links above lead back up.

export const resultsHref = (filters: OutcomeFilters, anchor = '') => {
  const query = outcomesQuery(filters);
  return `/resultats${query ? `?${query}` : ''}${anchor}`;
};

export function territoryLevel(scope: TerritoryScope, filters: OutcomeFilters): TerritoryLevel {
  if (filters.departement !== undefined) return 'structure';
  if (filters.region !== undefined) return 'departement';
  // A funder of one région, or of départements, starts at the départements.
  if (scope.kind === 'france' || (scope.kind === 'regions' && scope.codes.length > 1)) return 'region';
  return 'departement';
}

const ANCHOR = '#par-territoire';

/** A row's label: a link one level down, except for structures and for exits of unknown territory. */
export function drillDownLabels(filters: OutcomeFilters, level: TerritoryLevel) {
  return (line: TerritoryLine): LabelView[] => {
    const text = line.labels[0] ?? '';
    if (line.code === null || level === 'structure') return [{ text }];
    if (level === 'region') {
      return [
        { text, href: resultsHref({ ...filters, region: line.code, departement: undefined }, ANCHOR), action: 'voir ses départements' },
      ];
    }
    return [{ text, href: resultsHref({ ...filters, departement: line.code }, ANCHOR), action: 'voir ses structures' }];
  };
}

/** The links back up from the current level, widest first. */
export function drillUpLinks(scope: TerritoryScope, filters: OutcomeFilters, regions: Option[]) {
  const links: { href: string; label: string }[] = [];
  if (filters.region === undefined && filters.departement === undefined) return links;
  const top = { ...filters, region: undefined, departement: undefined };
  const everywhere = scope.kind === 'france' ? 'France entière' : 'Tout votre territoire';
  links.push({
    href: resultsHref(top, ANCHOR),
    label: `${everywhere}, par ${territoryLevel(scope, top) === 'region' ? 'région' : 'département'}`,
  });
  if (filters.departement === undefined) return links;
  // The département's région, when the user may see all of it.
  const region = filters.region ?? regionOfDepartement(filters.departement);
  if (region !== undefined && regionWithinScope(scope, region) && territoryLevel(scope, top) === 'region') {
    const name = regions.find((o) => o.code === region)?.label ?? `Région ${region}`;
    links.push({ href: resultsHref({ ...filters, region, departement: undefined }, ANCHOR), label: `${name}, par département` });
  }
  return links;
}

/** The title of the table: what the rows are, and where. */
export function territoryHeading(level: TerritoryLevel, filters: OutcomeFilters, options: { regions: Option[]; departements: Option[] }) {
  const region = options.regions.find((o) => o.code === filters.region)?.label ?? (filters.region && `région ${filters.region}`);
  const departement = options.departements.find((o) => o.code === filters.departement)?.label ?? filters.departement;
  if (level === 'structure') return { title: `Par structure : ${departement}`, region, departement };
  if (level === 'departement') return { title: region ? `Par département : ${region}` : 'Par département', region, departement };
  return { title: 'Par région', region, departement };
}
