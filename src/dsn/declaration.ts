import type { Company, Contract, ContractEnd, DeclarationHeader, Establishment, Individual, Stoppage, Suspension } from './blocks.js';

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
};

export type ParsedDeclaration = {
  file: string;
  line: number;
  lineCount: number;
  checksum: Buffer;
  header: DeclarationHeader;
  company: Company;
  establishment: Establishment;
  siret: string;
  persons: ParsedPerson[];
};
