import type {
  Company,
  Contract,
  ContractEnd,
  DeclarationHeader,
  Establishment,
  IdentityChange,
  Individual,
  Stoppage,
  Suspension,
} from './blocks.js';

export type ParsedContract = Contract & {
  line: number;
  stoppages: Stoppage[];
  suspensions: Suspension[];
  end: ContractEnd | null;
};

/** Hours worked, in hundredths, per contract number and month of the pay period (`AAAA-MM-01`). */
export type ContractMonthHours = {
  contractNumber: string;
  startDate: string;
  month: string;
  hundredths: number;
};

export type ParsedPerson = Individual & {
  line: number;
  contracts: ParsedContract[];
  hours: ContractMonthHours[];
  identityChanges: IdentityChange[];
};

export type ParsedDeclaration = {
  file: string;
  line: number;
  lineCount: number;
  checksum: Buffer;
  header: DeclarationHeader;
  /** The month its facts belong to: the declared month, or a signalement's event month (`AAAA-MM-01`). */
  month: string;
  /** A signalement's event: the stoppage, return or contract end it reports; null for a monthly declaration. */
  eventDate: string | null;
  company: Company;
  establishment: Establishment;
  siret: string;
  persons: ParsedPerson[];
};
