import type { TestDatabase } from './database.js';
import { cddi, contract, declaration, individual } from './dsn-builder.js';
import { loadIndicatorFixture } from './indicator-fixture.js';

// Exits of three structures, enough of them for cells of 5 people or more: exits come from the participants
// register, employment after exit from the DSN, which covers January to December 2024.
// GEIQ59 (Lille, Nord 59) is a GEIQ, ACI59 (Roubaix, Nord 59) and ACI62 (Arras, Pas-de-Calais 62) are ACI, all in
// Hauts-de-France (32). ENT75 (Paris) is an ordinary employer that hires some of the people who left.
export const STRUCTURES = {
  GEIQ59: { siren: '552100554', nic: '00017', postalCode: '59000', town: 'LILLE' },
  ACI59: { siren: '732829320', nic: '00074', postalCode: '59100', town: 'ROUBAIX' },
  ACI62: { siren: '542065479', nic: '00011', postalCode: '62000', town: 'ARRAS' },
  ENT75: { siren: '402968393', nic: '00020', postalCode: '75001', town: 'PARIS' },
} as const;
type StructureName = keyof typeof STRUCTURES;
export const siretOf = (name: StructureName) => `${STRUCTURES[name].siren}${STRUCTURES[name].nic}`;

/** After the exit: a CDI at ENT75, a CDDI at ACI62 (still in IAE), or nothing. */
type After = 'cdi' | 'cddi' | 'none';
type Leaver = { id: string; sex: 'F' | 'M'; birth: string; structure: StructureName; after: After };

const GEIQ_EXIT = { programme: 'geiq', entry: '2023-01-02', exit: '2023-12-31' };
const ACI_EXIT = { programme: 'aci', entry: '2023-10-02', exit: '2024-03-31' };
const exitOf = (leaver: Leaver) => (leaver.structure === 'GEIQ59' ? GEIQ_EXIT : ACI_EXIT);

const leaver = (id: string, sex: 'F' | 'M', birth: string, structure: StructureName, after: After): Leaver => ({
  id,
  sex,
  birth,
  structure,
  after,
});

// Born 15 March 2000: moins_26 on exit; 15 June 1985: 26_49; 15 February 1970: 50_plus; 15 May 2001: moins_26.
export const LEAVERS: Leaver[] = [
  leaver('g1', 'F', '2000-03-15', 'GEIQ59', 'cdi'),
  leaver('g2', 'F', '1985-06-15', 'GEIQ59', 'cdi'),
  leaver('g3', 'F', '1985-06-15', 'GEIQ59', 'cdi'),
  leaver('g4', 'M', '1985-06-15', 'GEIQ59', 'cdi'),
  leaver('g5', 'M', '1985-06-15', 'GEIQ59', 'cdi'),
  leaver('g6', 'M', '1970-02-15', 'GEIQ59', 'cdi'),
  leaver('g7', 'F', '1985-06-15', 'GEIQ59', 'none'),
  leaver('g8', 'F', '2000-03-15', 'GEIQ59', 'none'),
  leaver('g9', 'M', '1985-06-15', 'GEIQ59', 'none'),
  leaver('g10', 'M', '1985-06-15', 'GEIQ59', 'none'),
  leaver('g11', 'M', '1985-06-15', 'GEIQ59', 'none'),
  leaver('g12', 'M', '1970-02-15', 'GEIQ59', 'none'),
  leaver('a1', 'F', '1985-06-15', 'ACI59', 'cdi'),
  leaver('a2', 'M', '2001-05-15', 'ACI59', 'cdi'),
  leaver('a3', 'M', '1985-06-15', 'ACI59', 'cddi'),
  leaver('a4', 'F', '1985-06-15', 'ACI59', 'none'),
  leaver('a5', 'M', '1985-06-15', 'ACI59', 'none'),
  leaver('a6', 'M', '1985-06-15', 'ACI59', 'none'),
  leaver('b1', 'M', '1985-06-15', 'ACI62', 'cdi'),
  leaver('b2', 'M', '1985-06-15', 'ACI62', 'cdi'),
  leaver('b3', 'M', '1985-06-15', 'ACI62', 'cdi'),
  leaver('b4', 'M', '1985-06-15', 'ACI62', 'none'),
  leaver('b5', 'M', '1985-06-15', 'ACI62', 'none'),
];

/** A NIR of the sex, year and month of birth, unique by its order number. */
const nirOf = (sex: 'F' | 'M', birth: string, order: number) =>
  `${sex === 'F' ? 2 : 1}${birth.slice(2, 4)}${birth.slice(5, 7)}59350${String(order).padStart(3, '0')}`;
const dsnDate = (iso: string) => `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`;

const persons = LEAVERS.map((l, i) => ({ ...l, nir: nirOf(l.sex, l.birth, i + 1) }));
type Person = (typeof persons)[number];
const person = (p: { nir: string; id: string; birth: string }, ...blocks: string[][]) => [
  ...individual({ nir: p.nir, lastName: p.id.toUpperCase(), birth: dsnDate(p.birth) }),
  ...blocks.flat(),
];
/** A structure's own employee: an ordinary CDI, no programme, no exit. */
const staff = (order: number) =>
  person(
    { nir: nirOf('M', '1980-01-15', 900 + order), id: `staff${order}`, birth: '1980-01-15' },
    contract({ start: '2020-01-06', number: `S${order}` }),
  );
const cdi = (p: Person, start: string) => person(p, contract({ start, number: `C-${p.id}` }));

// A CDI at ENT75: from 1 May 2024 after the GEIQ (active on 30 June and 31 December 2024), from 1 August 2024 after an
// ACI (active on 30 September 2024). Each is declared in every ENT75 declaration after its start.
const cdiStart = (p: Person) => (p.structure === 'GEIQ59' ? '2024-05-01' : '2024-08-01');
const hiredBy = (month: string) => persons.filter((p) => p.after === 'cdi' && cdiStart(p) <= `${month}-01`);

const DECLARATIONS: string[][] = [
  // Each structure declares its own staff in January 2024: the DSN's coverage starts then.
  declaration({ ...STRUCTURES.GEIQ59, month: '2024-01' }, staff(1)),
  declaration({ ...STRUCTURES.ACI59, month: '2024-01' }, staff(2)),
  declaration({ ...STRUCTURES.ACI62, month: '2024-01' }, staff(3)),
  ...['2024-06', '2024-09', '2024-12'].map((month) =>
    declaration({ ...STRUCTURES.ENT75, month }, ...hiredBy(month).map((p) => cdi(p, cdiStart(p)))),
  ),
  // In December, ACI62 declares a CDDI of ACI59's leaver a3, open since 1 September 2024: still in IAE on 30 September.
  declaration(
    { ...STRUCTURES.ACI62, month: '2024-12' },
    staff(3),
    ...persons.filter((p) => p.after === 'cddi').map((p) => person(p, cddi('2024-09-01', `X-${p.id}`))),
  ),
];

const PARTICIPANTS = [
  'nir,nom,prenom,programme,siret_structure,date_entree,date_sortie',
  ...persons.map((p) => {
    const { programme, entry, exit } = exitOf(p);
    return `${p.nir},${p.id.toUpperCase()},Camille,${programme},${siretOf(p.structure)},${entry},${exit}`;
  }),
].join('\n');

/** A fresh database with the 23 exits above, indicators refreshed. */
export async function loadOutcomesFixture(): Promise<TestDatabase> {
  return loadIndicatorFixture({ files: [DECLARATIONS], registers: { participants: `${PARTICIPANTS}\n` } });
}
