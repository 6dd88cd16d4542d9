import { z } from 'zod';
import { DSN_NIR_PATTERN } from '../persons/nir.js';
import { amount, birthDate, code, declaredMonth, dsnDate, text } from './values.js';

// The blocks Sillage reads, keyed by rubric number, as the norm numbers them; other blocks are skipped.
// Text lengths are the norm's (P26V01): 80 for names, 50 for the town, 20 for a contract number, 4 for the PCS-ESE.

const twoDigits = (what: string) => code(what, /^\d{2}$/, '2 chiffres');
const threeDigits = (what: string) => code(what, /^\d{3}$/, '3 chiffres');
const naf = (what: string) => code(what, /^\d{4}[A-Z]$/, 'code NAF, 4 chiffres et une lettre');

// Natures of the P24V01 code list: the monthly declaration and its substitution, and the signalements.
export const MONTHLY_NATURES: readonly string[] = ['01', '09'];
export const SIGNALEMENT_NATURES: readonly string[] = ['04', '05', '07', '08'];

export const declarationSchema = z
  .object({
    '001': code('nature de la déclaration', /^(01|04|05|07|08|09)$/, '01 mensuelle, 04, 05, 07 ou 08 signalement, 09 substitution'),
    '002': code('type de la déclaration', /^0[1-5]$/, '01 à 05'),
    '003': code('numéro de fraction', /^\d{2}$/, '2 chiffres').optional(),
    '005': declaredMonth.optional(),
  })
  .transform((v) => ({
    nature: v['001'],
    type: v['002'],
    fraction: v['003'] ?? '11',
    declaredMonth: v['005'] ?? null,
  }));

export const companySchema = z
  .object({ '001': code('SIREN', /^\d{9}$/, '9 chiffres'), '003': naf('code APEN').optional() })
  .transform((v) => ({ siren: v['001'], companyNaf: v['003'] ?? null }));

export const establishmentSchema = z
  .object({
    '001': code('NIC', /^\d{5}$/, '5 chiffres'),
    '002': naf('code APET').optional(),
    '004': code('code postal', /^[0-9AB]{5}$/, '5 caractères').optional(),
    '005': text('localité', 50).optional(),
  })
  .transform((v) => ({
    nic: v['001'],
    naf: v['002'] ?? null,
    postalCode: v['004'] ?? null,
    town: v['005'] ?? null,
  }));

export const individualSchema = z
  .object({
    '001': code('NIR', DSN_NIR_PATTERN, '13 caractères').optional(),
    '002': text('nom de famille', 80),
    '003': text("nom d'usage", 80).optional(),
    '004': text('prénoms', 80).optional(),
    '005': code('sexe', /^0[12]$/, '01 ou 02').optional(),
    '006': birthDate,
    '020': code('NTT', /^[A-Z0-9]{1,40}$/, 'lettres majuscules et chiffres').optional(),
    '024': twoDigits('niveau de formation').optional(),
  })
  .refine((v) => v['001'] !== undefined || v['020'] !== undefined, {
    message: 'individu sans NIR (S21.G00.30.001) ni NTT (S21.G00.30.020)',
    path: ['001'],
  })
  .transform((v) => ({
    nir: v['001'] ?? null,
    ntt: v['020'] ?? null,
    lastName: v['002'],
    firstNames: v['004'] ?? null,
    sex: v['005'] ?? null,
    birth: v['006'],
    educationLevel: v['024'] ?? null,
  }));

// Changes of identity (S21.G00.31): the former identifier (.008) names the same person as the individu.
export const identityChangeSchema = z
  .object({
    '001': dsnDate('date de la modification'),
    '008': code('ancien identifiant', /^[A-Z0-9]{1,40}$/, 'NIR de 13 caractères ou NTT').optional(),
  })
  .transform((v) => ({ changeDate: v['001'], formerIdentifier: v['008'] ?? null }));

export const contractSchema = z
  .object({
    '001': dsnDate('date de début du contrat'),
    '004': text('PCS-ESE', 4).optional(),
    '007': twoDigits('nature du contrat'),
    '008': twoDigits('dispositif de politique publique').optional(),
    '009': code('numéro du contrat', /^[^\s].{0,19}$/, '20 caractères au plus'),
    '010': dsnDate('date de fin prévisionnelle').optional(),
    '011': twoDigits('unité de mesure de la quotité').optional(),
    '012': amount('quotité de référence').optional(),
    '013': amount('quotité du contrat').optional(),
    '014': twoDigits('modalité du temps de travail').optional(),
    '021': twoDigits('motif de recours').optional(),
    '072': twoDigits('statut BOETH').optional(),
    '073': twoDigits('complément de dispositif').optional(),
  })
  .transform((v) => ({
    startDate: v['001'],
    pcs: v['004'] ?? null,
    nature: v['007'],
    publicScheme: v['008'] ?? null,
    number: v['009'],
    plannedEndDate: v['010'] ?? null,
    unit: v['011'] ?? null,
    referenceHundredths: v['012'] ?? null,
    quotityHundredths: v['013'] ?? null,
    timeMode: v['014'] ?? null,
    fixedTermReason: v['021'] ?? null,
    boeth: v['072'] ?? null,
    schemeComplement: v['073'] ?? null,
  }));

export const stoppageSchema = z
  .object({
    '001': twoDigits("motif de l'arrêt"),
    '002': dsnDate('date du dernier jour travaillé'),
    '003': dsnDate('date de fin prévisionnelle').optional(),
    '010': dsnDate('date de reprise').optional(),
  })
  .transform((v) => ({
    reason: v['001'],
    lastWorkedDate: v['002'],
    plannedEndDate: v['003'] ?? null,
    returnDate: v['010'] ?? null,
  }));

export const contractEndSchema = z
  .object({ '001': dsnDate('date de fin du contrat'), '002': threeDigits('motif de rupture') })
  .transform((v) => ({ endDate: v['001'], reason: v['002'] }));

export const suspensionSchema = z
  .object({
    '001': threeDigits('motif de suspension'),
    '002': dsnDate('date de début de suspension'),
    '003': dsnDate('date de fin de suspension').optional(),
  })
  .transform((v) => ({ reason: v['001'], startDate: v['002'], endDate: v['003'] ?? null }));

export const remunerationSchema = z
  .object({
    '001': dsnDate('date de début de période de paie'),
    '002': dsnDate('date de fin de période de paie').optional(),
    '010': text('numéro du contrat', 20),
    '011': threeDigits('type de rémunération'),
    '012': amount("nombre d'heures").optional(),
    '013': amount('montant').optional(),
  })
  .transform((v) => ({
    periodStart: v['001'],
    contractNumber: v['010'],
    type: v['011'],
    hoursHundredths: v['012'] ?? null,
  }));

export const activitySchema = z
  .object({
    '001': twoDigits("type d'activité"),
    '002': amount('mesure'),
    '003': twoDigits('unité de mesure').optional(),
  })
  .transform((v) => ({ type: v['001'], measureHundredths: v['002'], unit: v['003'] ?? null }));

export type DeclarationHeader = z.output<typeof declarationSchema>;
export type Company = z.output<typeof companySchema>;
export type Establishment = z.output<typeof establishmentSchema>;
export type Individual = z.output<typeof individualSchema>;
export type IdentityChange = z.output<typeof identityChangeSchema>;
export type Contract = z.output<typeof contractSchema>;
export type Stoppage = z.output<typeof stoppageSchema>;
export type ContractEnd = z.output<typeof contractEndSchema>;
export type Suspension = z.output<typeof suspensionSchema>;
export type Remuneration = z.output<typeof remunerationSchema>;
export type Activity = z.output<typeof activitySchema>;

export const BLOCKS = {
  'S20.G00.05': { label: 'déclaration', parent: null },
  'S21.G00.06': { label: 'entreprise', parent: 'S20.G00.05' },
  'S21.G00.11': { label: 'établissement', parent: 'S21.G00.06' },
  'S21.G00.30': { label: 'individu', parent: 'S21.G00.11' },
  'S21.G00.31': { label: 'changements individu', parent: 'S21.G00.30' },
  'S21.G00.40': { label: 'contrat', parent: 'S21.G00.30' },
  'S21.G00.60': { label: 'arrêt de travail', parent: 'S21.G00.40' },
  'S21.G00.62': { label: 'fin du contrat', parent: 'S21.G00.40' },
  'S21.G00.65': { label: 'autre suspension', parent: 'S21.G00.40' },
  'S21.G00.50': { label: 'versement', parent: 'S21.G00.30' },
  'S21.G00.51': { label: 'rémunération', parent: 'S21.G00.50' },
  'S21.G00.53': { label: 'activité', parent: 'S21.G00.51' },
} as const;

export type BlockCode = keyof typeof BLOCKS;
