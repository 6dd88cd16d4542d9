// Contract natures (rubric S21.G00.40.007, DSN norm P24V01), shortened for a table cell.
const NATURE_LABELS: Readonly<Record<string, string>> = {
  '01': 'CDI',
  '02': 'CDD',
  '03': "Mission d'intérim",
  '07': 'CDI intermittent',
  '08': 'CDI intérimaire',
  '09': 'CDI de droit public',
  '10': 'CDD de droit public',
  '20': 'Détachement de fonctionnaire (avec pension)',
  '21': 'Détachement de fonctionnaire (sans pension)',
  '29': 'Stage',
  '32': "Contrat d'appui au projet d'entreprise",
  '50': 'Nomination dans la fonction publique',
  '51': 'Collaborateur occasionnel du service public',
  '52': "Cumul d'activité accessoire (fonction publique)",
  '53': "Contrat d'emploi pénitentiaire",
  '54': "Contrat d'emploi pénitentiaire en apprentissage",
  '60': "Contrat d'engagement éducatif",
  '70': "Contrat de soutien et d'aide par le travail",
  '80': 'Mandat social',
  '81': "Mandat d'élu",
  '82': "CDI de chantier ou d'opération",
  '89': 'Service civique',
  '90': 'Autre contrat, convention ou mandat',
  '91': 'Engagement maritime à durée indéterminée',
  '92': 'Engagement maritime à durée déterminée',
  '93': 'Ligne de service',
};

export function natureLabel(nature: string): string {
  return NATURE_LABELS[nature] ?? `nature ${nature}`;
}

export type ContractCategory = 'cdi' | 'cdd' | 'autre';

/** CDI as employer_hires.is_cdi counts it (DOMAIN.md section 4); CDD of private or public law; the rest. */
export const CDI_NATURES: readonly string[] = ['01', '07', '08', '09'];
export const CDD_NATURES: readonly string[] = ['02', '10'];

export function contractCategory(nature: string): ContractCategory {
  if (CDI_NATURES.includes(nature)) return 'cdi';
  return CDD_NATURES.includes(nature) ? 'cdd' : 'autre';
}
