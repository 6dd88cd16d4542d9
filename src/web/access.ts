import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role, SessionUser } from '../accounts/roles.js';
import type { TerritoryScope } from '../outcomes/territory.js';

// Every access rule of the dashboard, in one place (issue 4): who may open which journey, and what part of the
// data each role's queries are restricted to. Repositories never look at the user: they get what is decided here.

/**
 * Paths without a session: the sign-in page, health check, public assets, the public dashboard, and the API
 * (which authenticates each request by its own token, with the same roles and scopes).
 */
const PUBLIC_PREFIXES = ['/connexion', '/healthz', '/static/', '/dsfr/', '/vendor/', '/public', '/api/'];
export const isPublicPath = (url: string) => PUBLIC_PREFIXES.some((prefix) => url === prefix || url.startsWith(prefix));

/** Which roles open which journey. Participants carry names: only their own structure sees them. */
export const JOURNEY_ROLES = {
  employers: ['admin', 'conseiller', 'financeur', 'structure'],
  participants: ['structure'],
  outcomes: ['admin', 'financeur'],
  admin: ['admin'],
  methodology: ['admin', 'conseiller', 'financeur', 'structure'],
  // Score sheets are printed for employers by those who meet them; the study compares groups of employers.
  exposures: ['admin', 'conseiller', 'financeur'],
  // A structure's reports name its participants; a funder's cover its territory.
  reports: ['admin', 'structure', 'financeur'],
} as const satisfies Record<string, readonly Role[]>;
export type Journey = keyof typeof JOURNEY_ROLES;

/** The page each role lands on after signing in. */
export const HOME_BY_ROLE: Record<Role, string> = {
  admin: '/admin',
  conseiller: '/employeurs',
  structure: '/participants',
  financeur: '/resultats',
};

export class AccessDenied extends Error {
  statusCode = 403;
  constructor() {
    super('Accès refusé : votre compte ne permet pas d’ouvrir cette page.');
  }
}

export const mayOpen = (user: SessionUser | null, journey: Journey): boolean =>
  user !== null && (JOURNEY_ROLES[journey] as readonly Role[]).includes(user.role);

/** A preHandler for a journey's routes: 403 for a signed-in user of another role. */
export const requireJourney = (journey: Journey) => async (request: FastifyRequest) => {
  if (!mayOpen(request.user, journey)) throw new AccessDenied();
};

/** The SIRETs whose participants a user may see: a structure's own, nobody else's. */
export function participantSirets(user: SessionUser): string[] {
  if (user.role !== 'structure') return [];
  return user.scopes.flatMap((scope) => (scope.kind === 'siret' ? [scope.code] : []));
}

/** The territory whose aggregates a user may see: a funder's own; an admin the whole country. */
export function outcomesTerritory(user: SessionUser): TerritoryScope | null {
  if (user.role === 'admin') return { kind: 'france' };
  if (user.role !== 'financeur') return null;
  if (user.scopes.some((scope) => scope.kind === 'france')) return { kind: 'france' };
  const regions = user.scopes.flatMap((scope) => (scope.kind === 'region' ? [scope.code] : []));
  if (regions.length > 0) return { kind: 'regions', codes: regions };
  return { kind: 'departements', codes: user.scopes.flatMap((scope) => (scope.kind === 'departement' ? [scope.code] : [])) };
}

/** Anonymous: a page request goes to the sign-in form and comes back after; anything else gets 401. */
export function sendToSignIn(request: FastifyRequest, reply: FastifyReply) {
  // The site's root always leads to the sign-in page; other addresses only for a browser.
  if (request.method === 'GET' && (request.url === '/' || (request.headers.accept ?? '').includes('text/html'))) {
    return reply.redirect(request.url === '/' ? '/connexion' : `/connexion?suite=${encodeURIComponent(request.url)}`);
  }
  // The error handler answers it: a page that leads to the sign-in for a browser's form, JSON otherwise.
  throw Object.assign(new Error('Connexion requise.'), { statusCode: 401 });
}
