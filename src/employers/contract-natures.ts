import { CONTRACT_NATURE_LABELS } from '../participants/labels.js';

/** The one table of contract natures (S21.G00.40.007), shared with the participants journey. */
export function natureLabel(nature: string): string {
  return CONTRACT_NATURE_LABELS[nature] ?? `nature ${nature}`;
}

export type ContractCategory = 'cdi' | 'cdd' | 'autre';

/** CDI as employer_hires.is_cdi counts it (DOMAIN.md section 4); CDD of private or public law; the rest. */
export const CDI_NATURES: readonly string[] = ['01', '07', '08', '09'];
export const CDD_NATURES: readonly string[] = ['02', '10'];

export function contractCategory(nature: string): ContractCategory {
  if (CDI_NATURES.includes(nature)) return 'cdi';
  return CDD_NATURES.includes(nature) ? 'cdd' : 'autre';
}
