/** The four roles of issue 4; a user has exactly one. */
export const ROLES = ['admin', 'conseiller', 'structure', 'financeur'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrateur',
  conseiller: 'Conseiller',
  structure: 'Structure (SIAE)',
  financeur: 'Financeur',
};

export type Scope =
  | { kind: 'siret'; code: string }
  | { kind: 'departement'; code: string }
  | { kind: 'region'; code: string }
  | { kind: 'france' };

/** A signed-in user as every request sees it. */
export type SessionUser = { id: number; email: string; role: Role; scopes: Scope[]; csrfToken: string };
