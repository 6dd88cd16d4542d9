// Programme codes a structure may write in its participants register, with the label shown to users.
export const PROGRAMMES = [
  { code: 'aci', label: "Atelier et chantier d'insertion (ACI)" },
  { code: 'ai', label: 'Association intermédiaire (AI)' },
  { code: 'ei', label: "Entreprise d'insertion (EI)" },
  { code: 'etti', label: "Entreprise de travail temporaire d'insertion (ETTI)" },
  { code: 'ea', label: 'Entreprise adaptée (EA)' },
  { code: 'geiq', label: "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)" },
  { code: 'rsa', label: 'Accompagnement des allocataires du RSA' },
  { code: 'pec', label: 'Parcours emploi compétences (PEC)' },
  { code: 'apprentissage', label: "Contrat d'apprentissage" },
  { code: 'professionnalisation', label: 'Contrat de professionnalisation' },
  { code: 'formation', label: 'Formation certifiante' },
] as const;

export type ProgrammeCode = (typeof PROGRAMMES)[number]['code'];

export const PROGRAMME_CODES: readonly ProgrammeCode[] = PROGRAMMES.map((p) => p.code);

export const PROGRAMME_LABELS = Object.fromEntries(PROGRAMMES.map((p) => [p.code, p.label])) as Record<ProgrammeCode, string>;

export function isProgrammeCode(value: string): value is ProgrammeCode {
  return (PROGRAMME_CODES as readonly string[]).includes(value);
}
