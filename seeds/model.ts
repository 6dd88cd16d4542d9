// The simulated world: people, establishments and contracts, with days as integers (see calendar.ts).

export type Sex = '01' | '02';

export type Person = {
  id: number;
  nir: string | null;
  ntt: string | null;
  lastName: string;
  firstNames: string;
  sex: Sex;
  birthDay: number;
  /** `JJMMAAAA`, with `99` for a day unknown to the employer. */
  birth: string;
  department: string;
  education: string | null;
  boeth: boolean;
  /** Lines of the individu block, written on first use. */
  block: string | null;
  blockLines: number;
};

export type IaeKind = 'ACI' | 'AI' | 'EI' | 'ETTI';
export type ProgrammeKind = IaeKind | 'EA';
export type EmployerKind = ProgrammeKind | 'GEIQ' | 'SUPPORT' | 'TRAINING' | 'TEMP_AGENCY' | 'ORDINARY';

export type Establishment = {
  id: number;
  kind: EmployerKind;
  siren: string;
  nic: string;
  headNic: string;
  siret: string;
  naf: string;
  jobs: readonly string[];
  name: string;
  street: string;
  postalCode: string;
  town: string;
  department: string;
  /** Target headcount: hires are drawn in proportion to it. */
  weight: number;
  /** Ordinary employers that take people leaving a programme. */
  hiresLeavers: boolean;
  nextContract: number;
  /** First declared month, once the data set is planned. */
  firstMonth: number;
  /** Lines of the envoi header and of the entreprise and établissement blocks, written on first use. */
  header: string | null;
  company: string | null;
};

/** Arrêt de travail: off from `firstDayOff` to the day before `returnDay`, which falls in window month `returnMonth`. */
export type Stoppage = { reason: string; firstDayOff: number; returnDay: number; returnMonth: number; returnKnownLate: boolean };

export type Suspension = { reason: string; start: number; end: number };

/** Hours paid in `month` for the month before: a negative correction or back pay. */
export type Correction = { month: number; hundredths: number };

export type Contract = {
  id: number;
  person: Person;
  establishment: Establishment;
  number: string;
  start: number;
  /** Last day of the contract, null while it goes on past the window. */
  end: number | null;
  /** Reason declared at the end; null for a contract that simply stops being declared. */
  endReason: string | null;
  nature: string;
  scheme: string;
  complement: string | null;
  fixedTermReason: string | null;
  plannedEnd: number | null;
  /** The fixed term renewed: from `month` on, the contract declares a later planned end. */
  renewal: { month: number; plannedEnd: number } | null;
  /** An end declared by mistake, then cancelled (`099`) the next month. */
  falseEnd: { day: number; reason: string } | null;
  category: string;
  pcs: string;
  /** Monthly hours of the contract, in hundredths. */
  quotity: number;
  /** Pay as a percentage of the minimum wage. */
  rate: number;
  /** Hours that vary from month to month (association intermédiaire placements). */
  variableHours: boolean;
  stoppages: Stoppage[];
  suspensions: Suspension[];
  corrections: Correction[];
  /** Window months in which the contract is declared. */
  firstMonth: number;
  lastMonth: number;
  block: string | null;
  renewedBlock: string | null;
  blockLines: number;
};
