import { createHash, type Hash } from 'node:crypto';
import type { ZodType } from 'zod';
import {
  activitySchema,
  BLOCKS,
  type BlockCode,
  type Company,
  companySchema,
  contractEndSchema,
  contractSchema,
  type DeclarationHeader,
  declarationSchema,
  type Establishment,
  establishmentSchema,
  identityChangeSchema,
  individualSchema,
  remunerationSchema,
  stoppageSchema,
  suspensionSchema,
} from './blocks.js';
import type { ParsedContract, ParsedDeclaration, ParsedPerson } from './declaration.js';
import { declarationDates } from './declaration-dates.js';
import { computeHours, type RemunerationWithActivities } from './hours.js';
import { MAX_LINE_LENGTH } from './lines.js';
import { DsnLineError, type DsnRejection } from './rejection.js';
import { isBlankLine, isRubricLine, isWrapperLine, MALFORMED_LINE_MESSAGE, RUBRIC_KEYS, rubricNumberOf } from './rubric-line.js';

type OpenBlock = {
  code: BlockCode;
  line: number;
  lastRubric: number;
  values: Record<string, string>;
  lines: Record<string, number>;
};

type Draft = {
  line: number;
  // Each block kind met so far, with the line of its last instance: tells a misplaced block from a missing parent.
  seen: Map<BlockCode, number>;
  // The block that closed each parent kind last: a versement closes the contracts of its individu.
  closedBy: Map<BlockCode, { code: BlockCode; line: number }>;
  // Each individu's NIR (or NTT) and its line: a person has one individu block per declaration.
  identifiers: Map<string, number>;
  lineCount: number;
  // Lines are hashed as they come, in pieces of about 64 kB: a declaration's text is never held whole.
  hash: Hash;
  unhashed: string;
  header: DeclarationHeader | null;
  company: Company | null;
  establishment: Establishment | null;
  persons: ParsedPerson[];
  person: ParsedPerson | null;
  remunerations: RemunerationWithActivities[];
  contract: ParsedContract | null;
  remuneration: RemunerationWithActivities | null;
  versement: boolean;
};

export type ParserSink = {
  declaration(declaration: ParsedDeclaration): void;
  rejection(rejection: DsnRejection): void;
};

const OVERLONG_LINE_MESSAGE = `ligne de plus de ${MAX_LINE_LENGTH.toLocaleString('fr-FR')} caractères : aucune rubrique de la norme n'est si longue ; vérifiez le logiciel qui a produit le fichier`;

/** Why a line is not a rubric: too long (the reader cut it), or not of the form identifiant,'valeur'. */
const lineError = (text: string, lineNumber: number) =>
  new DsnLineError(lineNumber, text.slice(0, 14), text.length > MAX_LINE_LENGTH ? OVERLONG_LINE_MESSAGE : MALFORMED_LINE_MESSAGE);

const isKnownBlock = (block: string): block is BlockCode => Object.hasOwn(BLOCKS, block);
const DECLARATION_START = 'S20.G00.05.001,';
const HASH_PIECE = 1 << 16;

/**
 * Streaming NEODeS parser: lines in, whole declarations out, one at a time.
 * A declaration with any error is rejected whole and the parser skips to the next one.
 */
export class DsnParser {
  private draft: Draft | null = null;
  private open: OpenBlock | null = null;
  private skipping = false;
  private inHeader = true;

  constructor(
    private readonly file: string,
    private readonly sink: ParserSink,
  ) {}

  push(lines: string[], firstLineNumber: number): void {
    for (let i = 0; i < lines.length; i++) this.read(lines[i] as string, firstLineNumber + i);
  }

  end(): void {
    this.finishDeclaration();
  }

  // Runs once per line of every file: no object per line, block and rubric read from character codes.
  private read(text: string, lineNumber: number): void {
    if (isBlankLine(text) || isWrapperLine(text)) return;
    const wellFormed = text.length <= MAX_LINE_LENGTH && isRubricLine(text);
    const startsDeclaration = wellFormed && text.startsWith(DECLARATION_START);
    if (startsDeclaration || text.startsWith('S90.')) this.finishDeclaration();
    if (startsDeclaration) this.startDeclaration(lineNumber);
    if (this.draft === null) {
      if (!wellFormed && this.inHeader) throw lineError(text, lineNumber);
      return;
    }
    if (this.skipping) return;
    this.addLine(this.draft, text);
    try {
      if (!wellFormed) throw lineError(text, lineNumber);
      const open = this.open;
      const sameBlock = open !== null && text.startsWith(open.code);
      const code = sameBlock ? open.code : text.slice(0, 10);
      if (!sameBlock && !isKnownBlock(code)) return;
      const rubricNumber = rubricNumberOf(text);
      if (!sameBlock || rubricNumber <= (open as OpenBlock).lastRubric) {
        this.closeBlock();
        this.openBlock(code as BlockCode, lineNumber, text.slice(0, 14));
      }
      const current = this.open as unknown as OpenBlock;
      const rubric = RUBRIC_KEYS[rubricNumber] as string;
      current.lastRubric = rubricNumber;
      current.values[rubric] = text.slice(16, -1);
      current.lines[rubric] = lineNumber;
    } catch (error) {
      this.rejectDeclaration(error);
    }
  }

  // The identity of a re-sent declaration: SHA-256 of its lines joined by `\n` (line endings normalised).
  private addLine(draft: Draft, text: string): void {
    draft.unhashed += draft.lineCount === 0 ? text : `\n${text}`;
    draft.lineCount++;
    if (draft.unhashed.length > HASH_PIECE) {
      draft.hash.update(draft.unhashed);
      draft.unhashed = '';
    }
  }

  private startDeclaration(lineNumber: number): void {
    this.inHeader = false;
    this.skipping = false;
    this.draft = {
      line: lineNumber,
      seen: new Map(),
      closedBy: new Map(),
      identifiers: new Map(),
      lineCount: 0,
      hash: createHash('sha256'),
      unhashed: '',
      header: null,
      company: null,
      establishment: null,
      persons: [],
      person: null,
      remunerations: [],
      contract: null,
      remuneration: null,
      versement: false,
    };
  }

  private openBlock(code: BlockCode, lineNumber: number, rubric: string): void {
    const draft = this.draft as Draft;
    const parent = BLOCKS[code].parent;
    if ((code === 'S21.G00.06' && draft.company !== null) || (code === 'S21.G00.11' && draft.establishment !== null)) {
      throw new DsnLineError(
        lineNumber,
        rubric,
        `second bloc ${BLOCKS[code].label} (${code}) dans la déclaration commencée ligne ${draft.line} : une déclaration porte une seule entreprise et un seul établissement ; déposez une déclaration par établissement`,
      );
    }
    const hasParent =
      parent === null ||
      (parent === 'S20.G00.05' && draft.header !== null) ||
      (parent === 'S21.G00.06' && draft.company !== null) ||
      (parent === 'S21.G00.11' && draft.establishment !== null) ||
      (parent === 'S21.G00.30' && draft.person !== null) ||
      (parent === 'S21.G00.40' && draft.contract !== null) ||
      (parent === 'S21.G00.50' && draft.versement) ||
      (parent === 'S21.G00.51' && draft.remuneration !== null);
    if (!hasParent) throw this.misplaced(draft, code, parent as BlockCode, lineNumber, rubric);
    if (code === 'S21.G00.30') this.closePerson();
    const closing = { code, line: lineNumber };
    if ((code === 'S21.G00.30' || code === 'S21.G00.50') && draft.contract !== null) {
      draft.contract = null;
      draft.closedBy.set('S21.G00.40', closing);
    }
    if ((code === 'S21.G00.30' || code === 'S21.G00.40') && draft.remuneration !== null) {
      draft.remuneration = null;
      draft.closedBy.set('S21.G00.51', closing);
    }
    if (code === 'S21.G00.30' && draft.versement) {
      draft.versement = false;
      draft.closedBy.set('S21.G00.50', closing);
    }
    draft.seen.set(code, lineNumber);
    this.open = { code, line: lineNumber, lastRubric: -1, values: {}, lines: {} };
  }

  /** A child block without its parent: absent altogether, or separated from it by a block that closed it. */
  private misplaced(draft: Draft, code: BlockCode, parent: BlockCode, lineNumber: number, rubric: string): DsnLineError {
    const { label } = BLOCKS[code];
    const parentLabel = BLOCKS[parent].label;
    const parentLine = draft.seen.get(parent);
    const last = draft.closedBy.get(parent);
    if (parentLine === undefined || last === undefined) {
      return new DsnLineError(lineNumber, rubric, `bloc ${label} (${code}) sans bloc ${parentLabel} (${parent}) parent avant lui`);
    }
    const lastLabel = BLOCKS[last.code].label;
    return new DsnLineError(
      lineNumber,
      rubric,
      `bloc ${label} (${code}) mal placé : le bloc ${lastLabel} (${last.code}) ligne ${last.line} le sépare de son bloc ${parentLabel} (${parent}) ligne ${parentLine} ; sa place est sous ce bloc ${parentLabel}, avant le bloc ${lastLabel}`,
    );
  }

  private validate<T>(schema: ZodType<T>, block: OpenBlock): T {
    const result = schema.safeParse(block.values);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const rubric = String(issue?.path[0] ?? '001');
    throw new DsnLineError(block.lines[rubric] ?? block.line, `${block.code}.${rubric}`, issue?.message ?? 'bloc invalide');
  }

  private closeBlock(): void {
    const block = this.open;
    if (block === null) return;
    this.open = null;
    const draft = this.draft as Draft;
    switch (block.code) {
      case 'S20.G00.05':
        draft.header = this.validate(declarationSchema, block);
        break;
      case 'S21.G00.06':
        draft.company = this.validate(companySchema, block);
        break;
      case 'S21.G00.11':
        draft.establishment = this.validate(establishmentSchema, block);
        break;
      case 'S21.G00.30':
        draft.person = Object.assign(this.validate(individualSchema, block), {
          line: block.line,
          contracts: [],
          hours: [],
          identityChanges: [],
        });
        draft.remunerations = [];
        break;
      case 'S21.G00.31':
        draft.person?.identityChanges.push(this.validate(identityChangeSchema, block));
        break;
      case 'S21.G00.40': {
        const contract: ParsedContract = Object.assign(this.validate(contractSchema, block), {
          line: block.line,
          stoppages: [],
          suspensions: [],
          end: null,
        });
        draft.person?.contracts.push(contract);
        draft.contract = contract;
        break;
      }
      case 'S21.G00.60':
        draft.contract?.stoppages.push(this.validate(stoppageSchema, block));
        break;
      case 'S21.G00.62':
        if (draft.contract) draft.contract.end = this.validate(contractEndSchema, block);
        break;
      case 'S21.G00.65':
        draft.contract?.suspensions.push(this.validate(suspensionSchema, block));
        break;
      case 'S21.G00.50':
        draft.versement = true;
        break;
      case 'S21.G00.51': {
        const remuneration = Object.assign(this.validate(remunerationSchema, block), { line: block.line, activities: [] });
        draft.remunerations.push(remuneration);
        draft.remuneration = remuneration;
        break;
      }
      case 'S21.G00.53':
        draft.remuneration?.activities.push(this.validate(activitySchema, block));
        break;
    }
  }

  private closePerson(): void {
    const draft = this.draft as Draft;
    const person = draft.person;
    if (person === null) return;
    const identifier = person.nir ?? `NTT ${person.ntt}`;
    const first = draft.identifiers.get(identifier);
    if (first !== undefined) {
      throw new DsnLineError(
        person.line,
        person.nir ? 'S21.G00.30.001' : 'S21.G00.30.020',
        `individu déclaré deux fois dans la déclaration (lignes ${first} et ${person.line}) : une personne a un seul bloc individu (S21.G00.30) par déclaration, tous ses contrats dessous`,
      );
    }
    draft.identifiers.set(identifier, person.line);
    person.hours = computeHours(person.contracts, draft.remunerations);
    draft.persons.push(person);
    draft.person = null;
    draft.remunerations = [];
  }

  private finishDeclaration(): void {
    const draft = this.draft;
    if (draft === null) return;
    if (!this.skipping) {
      try {
        this.closeBlock();
        this.closePerson();
        this.sink.declaration(this.toDeclaration(draft));
      } catch (error) {
        this.rejectDeclaration(error);
      }
    }
    this.draft = null;
    this.open = null;
    this.skipping = false;
  }

  private toDeclaration(draft: Draft): ParsedDeclaration {
    const { header, company, establishment } = draft;
    if (header === null || company === null || establishment === null) {
      const missing = header === null ? 'S20.G00.05' : company === null ? 'S21.G00.06' : 'S21.G00.11';
      throw new DsnLineError(draft.line, missing, `déclaration sans bloc ${BLOCKS[missing].label} (${missing})`);
    }
    const { month, eventDate } = declarationDates(header, draft.persons, draft.line);
    return {
      file: this.file,
      line: draft.line,
      lineCount: draft.lineCount,
      checksum: draft.hash.update(draft.unhashed).digest(),
      header,
      month,
      eventDate,
      company,
      establishment,
      siret: company.siren + establishment.nic,
      persons: draft.persons,
    };
  }

  private rejectDeclaration(error: unknown): void {
    if (!(error instanceof DsnLineError)) throw error;
    this.sink.rejection({ file: this.file, line: error.line, rubric: error.rubric, message: error.message });
    this.skipping = true;
    this.open = null;
  }
}
