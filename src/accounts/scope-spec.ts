import type { Role, Scope } from './roles.js';

export class ScopeError extends Error {}

const SIRET = /^\d{14}$/;
const DEPARTEMENT = /^(\d{2}|2[AB]|97\d)$/;
const REGION = /^\d{2}$/;

/**
 * Reads `--scope`: SIRETs for a structure (`12345678900012,98765432100017`); for a funder `france`, one
 * `region:84`, or départements `departement:69,departement:01` (`dep:` and `reg:` also accepted).
 */
export function parseScopes(role: Role, spec: string | undefined): Scope[] {
  const items = (spec ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (role === 'admin' || role === 'conseiller') {
    if (items.length > 0) throw new ScopeError(`le rôle ${role} voit tout le territoire : retirez --scope.`);
    return [];
  }
  if (items.length === 0) {
    throw new ScopeError(
      role === 'structure'
        ? 'un compte structure a besoin de --scope avec un ou plusieurs SIRET séparés par des virgules.'
        : 'un compte financeur a besoin de --scope : france, region:<code> ou departement:<code>,...',
    );
  }
  if (role === 'structure') {
    return items.map((item) => {
      if (!SIRET.test(item)) throw new ScopeError(`« ${item} » n’est pas un SIRET (14 chiffres).`);
      return { kind: 'siret', code: item };
    });
  }
  const scopes = items.map(parseTerritory);
  const kinds = new Set(scopes.map((s) => s.kind));
  if (kinds.size > 1 || (kinds.has('region') && scopes.length > 1) || (kinds.has('france') && scopes.length > 1)) {
    throw new ScopeError('un financeur couvre soit la France entière, soit une région, soit une liste de départements.');
  }
  return scopes;
}

function parseTerritory(item: string): Scope {
  if (item.toLowerCase() === 'france') return { kind: 'france' };
  const [prefix, code = ''] = item.split(':');
  const kind = { departement: 'departement', dep: 'departement', region: 'region', reg: 'region' }[prefix?.toLowerCase() ?? ''];
  const upper = code.toUpperCase();
  if (kind === 'departement' && DEPARTEMENT.test(upper)) return { kind, code: upper };
  if (kind === 'region' && REGION.test(upper)) return { kind, code: upper };
  throw new ScopeError(`« ${item} » : attendu france, region:<code INSEE à 2 chiffres> ou departement:<code> (69, 2A, 974).`);
}

/** The spec back from scopes, for listings. */
export function describeScopes(scopes: Scope[]): string {
  return scopes.map((s) => (s.kind === 'siret' ? s.code : s.kind === 'france' ? 'france' : `${s.kind}:${s.code}`)).join(',');
}
