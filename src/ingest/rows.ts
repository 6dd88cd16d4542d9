import { createHash } from 'node:crypto';
import type { CopyValue } from '../db/copy.js';
import { MONTHLY_NATURES } from '../dsn/blocks.js';
import type { ParsedDeclaration, ParsedPerson } from '../dsn/declaration.js';
import { DSN_NIR_PATTERN, type PersonKey, personKeyFromNir, personKeyFromNtt, sexFromNir } from '../persons/nir.js';

/** Rows of one declaration, in the column order of `COLUMNS` without the leading declaration id. */
export type DeclarationRows = {
  declarations: CopyValue[][];
  persons: CopyValue[][];
  contracts: CopyValue[][];
  contractEnds: CopyValue[][];
  workStoppages: CopyValue[][];
  suspensions: CopyValue[][];
  hours: CopyValue[][];
  identityChanges: CopyValue[][];
};

export const COLUMNS = {
  declarations: [
    'id',
    'checksum',
    'siret',
    'declared_month',
    'nature',
    'type',
    'fraction',
    'file_name',
    'file_checksum',
    'first_line',
    'line_count',
    'person_count',
    'run_id',
    'siren',
    'naf_code',
    'company_naf_code',
    'postal_code',
    'town',
    'subject',
  ],
  persons: [
    'declaration_id',
    'person_key',
    'identified_by',
    'sex',
    'birth_year',
    'birth_month',
    'birth_date',
    'last_name',
    'first_names',
    'education_level',
  ],
  contracts: [
    'declaration_id',
    'contract_key',
    'person_key',
    'siret',
    'contract_number',
    'start_date',
    'pcs',
    'nature',
    'public_scheme',
    'planned_end_date',
    'hours_unit',
    'reference_hours',
    'contract_hours',
    'time_mode',
    'fixed_term_reason',
    'boeth_status',
    'scheme_complement',
  ],
  contractEnds: ['declaration_id', 'contract_key', 'person_key', 'end_date', 'reason'],
  workStoppages: ['declaration_id', 'contract_key', 'person_key', 'last_worked_date', 'reason', 'planned_end_date', 'return_date'],
  suspensions: ['declaration_id', 'contract_key', 'person_key', 'start_date', 'reason', 'end_date'],
  hours: ['declaration_id', 'contract_key', 'person_key', 'month', 'hours'],
  identityChanges: ['declaration_id', 'former_key', 'person_key', 'change_date'],
} as const satisfies Record<keyof DeclarationRows, readonly string[]>;

export type TableName = keyof DeclarationRows;

/** A contract is one fact across months: SIRET + person + contract number + start date. */
function contractKey(siret: string, personKeyHex: string, number: string, startDate: string): string {
  const hex = createHash('sha256').update(`${siret}|${personKeyHex}|${number}|${startDate}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const hundredths = (value: number | null): string | null => (value === null ? null : (value / 100).toFixed(2));

/** An identifier as the DSN writes it: a NIR (13 characters), else a temporary number (NTT). */
function keyOfIdentifier(identifier: string, nirKey: string): PersonKey {
  return DSN_NIR_PATTERN.test(identifier) ? personKeyFromNir(nirKey, identifier) : personKeyFromNtt(nirKey, identifier);
}

function personKeyOf(person: ParsedPerson, nirKey: string): { key: PersonKey; hex: string } {
  const key = person.nir ? personKeyFromNir(nirKey, person.nir) : personKeyFromNtt(nirKey, person.ntt as string);
  return { key, hex: key.toString('hex') };
}

/** Former identifiers of a person: a NIR or NTT it replaces (S21.G00.31.008), an NTT declared beside the NIR. */
function formerKeys(person: ParsedPerson, personKey: PersonKey, nirKey: string): CopyValue[][] {
  const links = new Map<string, CopyValue[]>();
  if (person.nir && person.ntt) links.set(person.ntt, [personKeyFromNtt(nirKey, person.ntt), personKey, null]);
  for (const change of person.identityChanges) {
    if (change.formerIdentifier === null) continue;
    links.set(change.formerIdentifier, [keyOfIdentifier(change.formerIdentifier, nirKey), personKey, change.changeDate]);
  }
  return [...links.values()].filter((row) => !(row[0] as Buffer).equals(personKey));
}

/** Signalements of one SIRET and month stand apart: each is identified by what it reports, for whom. */
function subjectOf(declaration: ParsedDeclaration, personKeys: string[]): string {
  if (MONTHLY_NATURES.includes(declaration.header.nature)) return '';
  const reported = `${declaration.header.nature}|${declaration.eventDate}|${personKeys.sort().join(',')}`;
  return createHash('sha256').update(reported).digest('hex').slice(0, 32);
}

export type DeclarationContext = { fileChecksum: Buffer; runId: number };

/**
 * Spreads a parsed declaration into table rows, the declaration id left out: it is only known when the
 * declaration is written. Duplicates inside one declaration keep the last one.
 */
export function declarationRows(declaration: ParsedDeclaration, context: DeclarationContext, nirKey: string): DeclarationRows {
  const rows: DeclarationRows = {
    declarations: [],
    persons: [],
    contracts: [],
    contractEnds: [],
    workStoppages: [],
    suspensions: [],
    hours: [],
    identityChanges: [],
  };
  const { header, siret, month } = declaration;
  // A signalement's pay repeats what the monthly declaration of the same month declares: hours come from the latter.
  const declaresHours = MONTHLY_NATURES.includes(header.nature);
  const declarationRow: CopyValue[] = [
    declaration.checksum,
    siret,
    month,
    header.nature,
    header.type,
    header.fraction,
    declaration.file,
    context.fileChecksum,
    declaration.line,
    declaration.lineCount,
    declaration.persons.length,
    context.runId,
    declaration.company.siren,
    declaration.establishment.naf,
    declaration.company.companyNaf,
    declaration.establishment.postalCode,
    declaration.establishment.town,
  ];
  rows.declarations.push(declarationRow);
  const persons = new Map<string, CopyValue[]>();
  const contracts = new Map<string, CopyValue[]>();
  const ends = new Map<string, CopyValue[]>();
  const stoppages = new Map<string, CopyValue[]>();
  const suspensions = new Map<string, CopyValue[]>();
  const hours = new Map<string, { key: string; personKey: PersonKey; month: string; hundredths: number }>();
  for (const person of declaration.persons) {
    const { key: personKey, hex: personKeyHex } = personKeyOf(person, nirKey);
    for (const link of formerKeys(person, personKey, nirKey)) rows.identityChanges.push(link);
    const { birth } = person;
    const birthDate =
      birth.month !== null && birth.day !== null
        ? `${birth.year}-${String(birth.month).padStart(2, '0')}-${String(birth.day).padStart(2, '0')}`
        : null;
    persons.set(personKeyHex, [
      personKey,
      person.nir ? 'nir' : 'ntt',
      person.sex ?? (person.nir ? sexFromNir(person.nir) : null),
      birth.year,
      birth.month,
      birthDate,
      person.lastName,
      person.firstNames,
      person.educationLevel,
    ]);
    const keys = new Map<string, string>();
    for (const contract of person.contracts) {
      const key = contractKey(siret, personKeyHex, contract.number, contract.startDate);
      keys.set(`${contract.number}|${contract.startDate}`, key);
      contracts.set(key, [
        key,
        personKey,
        siret,
        contract.number,
        contract.startDate,
        contract.pcs,
        contract.nature,
        contract.publicScheme,
        contract.plannedEndDate,
        contract.unit,
        hundredths(contract.referenceHundredths),
        hundredths(contract.quotityHundredths),
        contract.timeMode,
        contract.fixedTermReason,
        contract.boeth,
        contract.schemeComplement,
      ]);
      if (contract.end) ends.set(key, [key, personKey, contract.end.endDate, contract.end.reason]);
      for (const s of contract.stoppages) {
        stoppages.set(`${key}|${s.lastWorkedDate}`, [key, personKey, s.lastWorkedDate, s.reason, s.plannedEndDate, s.returnDate]);
      }
      for (const s of contract.suspensions) {
        suspensions.set(`${key}|${s.startDate}`, [key, personKey, s.startDate, s.reason, s.endDate]);
      }
    }
    for (const h of declaresHours ? person.hours : []) {
      const key = keys.get(`${h.contractNumber}|${h.startDate}`) as string;
      const entry = hours.get(`${key}|${h.month}`);
      if (entry) entry.hundredths += h.hundredths;
      else hours.set(`${key}|${h.month}`, { key, personKey, month: h.month, hundredths: h.hundredths });
    }
  }
  declarationRow.push(subjectOf(declaration, [...persons.keys()]));
  for (const h of hours.values()) rows.hours.push([h.key, h.personKey, h.month, hundredths(h.hundredths)]);
  // Loops, not spreads: a large employer's declaration can hold more rows than a call accepts arguments.
  for (const row of persons.values()) rows.persons.push(row);
  for (const row of contracts.values()) rows.contracts.push(row);
  for (const row of ends.values()) rows.contractEnds.push(row);
  for (const row of stoppages.values()) rows.workStoppages.push(row);
  for (const row of suspensions.values()) rows.suspensions.push(row);
  return rows;
}
