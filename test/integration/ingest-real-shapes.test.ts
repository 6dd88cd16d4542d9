import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { refreshIndicators } from '../../src/indicators/refresh.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { importRegister } from '../../src/registers/import.js';
import { createTestDatabase, TEST_NIR_KEY, type TestDatabase } from '../helpers/database.js';
import {
  cddi,
  contract,
  contractEnd,
  declaration,
  envoi,
  type IndividualOptions,
  identityChange,
  individual,
  lineOf,
  lot,
  pay,
  stoppage,
  tempDir,
} from '../helpers/dsn-builder.js';

// Shapes real payroll software writes (issue 11): lots, signalements, identity changes, encodings, places.

const ACI = { siren: '552100554', nic: '00017', naf: '8899B', postalCode: '59000', town: 'LILLE' };
const SHOP = { siren: '732829320', nic: '00074', naf: '4711D', postalCode: '69003', town: 'LYON' };
const BAKERY = { siren: '418765432', nic: '00021', naf: '1071C', postalCode: '33000', town: 'BORDEAUX' };
const ALICE = { nir: '2850759123456', lastName: "D'ALMEIDA", firstNames: 'HÉLÈNE', birth: '15071985' };
const OLD_NIR = '1850775123456';
const NEW_NIR = '1850775123499';

let folder: string;
let fileNumber = 0;
beforeAll(async () => {
  folder = await tempDir('sillage-shapes-');
});

async function withDatabase<T>(work: (database: TestDatabase) => Promise<T>): Promise<T> {
  const database = await createTestDatabase();
  try {
    return await work(database);
  } finally {
    await database.drop();
  }
}

const ingestText = async (database: TestDatabase, text: string | Buffer) => {
  const file = path.join(folder, `f${fileNumber++}.dsn`);
  await writeFile(file, typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  return ingestDsn(database.pool, [file], { nirKey: TEST_NIR_KEY });
};
const rows = async <T>(database: TestDatabase, text: string, values: unknown[] = []) =>
  (await database.pool.query(text, values)).rows as T[];

describe('a lot carrying several envois', () => {
  it('loads each envoi on its own; an envoi whose footer is wrong is refused alone', async () => {
    await withDatabase(async (database) => {
      const month = (company: typeof ACI) =>
        envoi(declaration({ ...company, month: '2024-01' }, individual(ALICE), contract({ start: '2024-01-02', number: 'A1' })));
      const bad = month(SHOP).replace(/S90\.G00\.90\.001,'\d+'/, "S90.G00.90.001,'7'");
      const text = lot(month(ACI), bad, month(BAKERY));
      const summary = await ingestText(database, text);
      expect(summary.declarations).toBe(2);
      expect(summary.rejected).toEqual([
        {
          file: expect.any(String),
          line: lineOf(text, 'S90.G00.90.001', 2),
          rubric: 'S90.G00.90.001',
          message: expect.stringContaining("le pied d'envoi annonce 7 rubriques, l'envoi commencé ligne"),
        },
      ]);
      const loaded = await rows<{ siret: string }>(database, 'select siret from declarations order by siret');
      expect(loaded.map((r) => r.siret)).toEqual([`${BAKERY.siren}${BAKERY.nic}`, `${ACI.siren}${ACI.nic}`]);
    });
  });

  it('refuses an envoi that lost its footer and the lines outside any envoi, and loads the next envoi', async () => {
    await withDatabase(async (database) => {
      const first = envoi(declaration({ ...ACI, month: '2024-01' }, individual(ALICE), contract({ start: '2024-01-02', number: 'A1' })));
      const truncated = first.split('\n').slice(0, -3).join('\n');
      const second = envoi(declaration({ ...SHOP, month: '2024-01' }, individual(ALICE), contract({ start: '2024-01-02', number: 'S1' })));
      const text = `${truncated}\n${second}S21.G00.30.002,'PERDU'\n`;
      const summary = await ingestText(database, text);
      expect(summary.declarations).toBe(1);
      const stray = text.split('\n').length - 1;
      expect(summary.rejected.map((r) => [r.line, r.message.split(' :')[0]])).toEqual([
        [truncated.split('\n').length, 'fichier tronqué'],
        [stray, `lignes ${stray} à ${stray} hors de tout envoi`],
      ]);
    });
  });
});

describe('signalements beside the monthly declaration', () => {
  const january = () =>
    declaration({ ...ACI, month: '2024-01' }, individual(ALICE), cddi('2024-01-02', 'C1'), pay('C1', '2024-01-02', '2024-01-31', '100.00'));

  it('loads a contract-end signalement (07) without declared month, dated by its end; the monthly repeat counts once', async () => {
    await withDatabase(async (database) => {
      await ingestText(database, envoi(january()));
      // The FCTU repeats February's pay: the monthly declaration is where hours are counted.
      const fctu = declaration(
        { ...ACI, month: '2024-02', nature: '07', declaredMonth: false },
        individual(ALICE),
        cddi('2024-01-02', 'C1'),
        contractEnd('2024-02-15', '031'),
        pay('C1', '2024-02-01', '2024-02-15', '50.00'),
      );
      const signalement = await ingestText(database, envoi(fctu));
      expect(signalement).toMatchObject({ declarations: 1, rejected: [] });
      expect(
        await rows(database, `select nature, declared_month::text, subject <> '' as apart from declarations where nature = '07'`),
      ).toEqual([{ nature: '07', declared_month: '2024-02-01', apart: true }]);
      expect(await rows(database, 'select end_date::text, end_kind from contracts')).toEqual([
        { end_date: '2024-02-15', end_kind: 'declared' },
      ]);

      const february = declaration(
        { ...ACI, month: '2024-02' },
        individual(ALICE),
        cddi('2024-01-02', 'C1'),
        contractEnd('2024-02-15', '031'),
        pay('C1', '2024-02-01', '2024-02-15', '50.00'),
      );
      await ingestText(database, envoi(february));
      await refreshIndicators(database.pool);
      expect(await rows(database, 'select count(*)::int as n from contract_ends')).toEqual([{ n: 1 }]);
      expect(await rows(database, 'select count(*)::int as n from declarations where replaced_by is null')).toEqual([{ n: 3 }]);
      expect(await rows(database, 'select month::text, hours::text from person_months order by month')).toEqual([
        { month: '2024-01-01', hours: '100.00' },
        { month: '2024-02-01', hours: '50.00' },
      ]);
    });
  });

  it('an arrêt (04) then its reprise (05) then the monthly repeat are one stoppage; two arrêts of one month both stay', async () => {
    await withDatabase(async (database) => {
      const BOB = { nir: '1900159000111', lastName: 'MARTIN', birth: '01011990' };
      await ingestText(database, envoi(january()));
      const arret = (person: IndividualOptions, number: string, lastWorked: string, returnDate?: string, nature = '04') =>
        declaration(
          { ...ACI, month: '2024-03', nature, declaredMonth: false },
          individual(person),
          cddi('2024-01-02', number),
          stoppage('01', lastWorked, '2024-03-19', returnDate),
        );
      const summary = await ingestText(database, envoi(arret(ALICE, 'C1', '2024-03-08'), arret(BOB, 'B1', '2024-03-11')));
      expect(summary).toMatchObject({ declarations: 2, rejected: [] });
      await ingestText(database, envoi(arret(ALICE, 'C1', '2024-03-08', '2024-03-20', '05')));
      const march = declaration(
        { ...ACI, month: '2024-03' },
        individual(ALICE),
        cddi('2024-01-02', 'C1'),
        stoppage('01', '2024-03-08', '2024-03-19', '2024-03-20'),
        pay('C1', '2024-03-01', '2024-03-31', '60.00'),
      );
      await ingestText(database, envoi(march));
      expect(
        await rows(database, 'select last_worked_date::text, return_date::text from work_stoppages order by last_worked_date'),
      ).toEqual([
        { last_worked_date: '2024-03-08', return_date: '2024-03-20' },
        { last_worked_date: '2024-03-11', return_date: null },
      ]);
      expect(
        await rows(database, `select count(*)::int as n from declarations where replaced_by is null and nature in ('04', '05')`),
      ).toEqual([{ n: 3 }]);
    });
  });

  it('a DSN de substitution (09) replaces the monthly declaration of its month', async () => {
    await withDatabase(async (database) => {
      await ingestText(database, envoi(january()));
      const substitution = declaration(
        { ...ACI, month: '2024-01', nature: '09' },
        individual(ALICE),
        cddi('2024-01-02', 'C1'),
        pay('C1', '2024-01-02', '2024-01-31', '120.00'),
      );
      expect(await ingestText(database, envoi(substitution))).toMatchObject({ declarations: 1, replaced: 1, rejected: [] });
      await refreshIndicators(database.pool);
      expect(await rows(database, 'select hours::text from person_months')).toEqual([{ hours: '120.00' }]);
    });
  });

  it('an amorçage (08) loads its persons and contracts, dated by its declared month or else its latest contract start', async () => {
    await withDatabase(async (database) => {
      const amorcage = (company: typeof ACI, declaredMonth: boolean) =>
        declaration(
          { ...company, month: '2024-05', nature: '08', declaredMonth },
          individual(ALICE),
          cddi('2023-11-06', 'C1'),
          contract({ start: '2024-02-12', number: 'C2' }),
        );
      const summary = await ingestText(database, envoi(amorcage(ACI, true), amorcage(SHOP, false)));
      expect(summary).toMatchObject({ declarations: 2, rejected: [] });
      expect(await rows(database, 'select siret, declared_month::text from declarations order by siret')).toEqual([
        { siret: `${ACI.siren}${ACI.nic}`, declared_month: '2024-05-01' },
        { siret: `${SHOP.siren}${SHOP.nic}`, declared_month: '2024-02-01' },
      ]);
      expect(await rows(database, 'select count(*)::int as n from contracts')).toEqual([{ n: 4 }]);
      expect(await rows(database, 'select count(*)::int as n from contract_hours')).toEqual([{ n: 0 }]);
    });
  });

  it('refuses an unknown nature, a monthly declaration without its month, a signalement without its event', async () => {
    await withDatabase(async (database) => {
      const text = envoi(
        declaration({ ...ACI, month: '2024-01', nature: '02' }, individual(ALICE), cddi('2024-01-02', 'C1')),
        declaration({ ...SHOP, month: '2024-01', declaredMonth: false }, individual(ALICE), cddi('2024-01-02', 'C1')),
        declaration({ ...BAKERY, month: '2024-01', nature: '07', declaredMonth: false }, individual(ALICE), cddi('2024-01-02', 'C1')),
      );
      const summary = await ingestText(database, text);
      expect(summary.declarations).toBe(0);
      expect(summary.rejected.map((r) => [r.line, r.rubric, r.message])).toEqual([
        [
          lineOf(text, 'S20.G00.05.001', 1),
          'S20.G00.05.001',
          'nature de la déclaration : « 02 » ne respecte pas le format attendu (01 mensuelle, 04, 05, 07 ou 08 signalement, 09 substitution)',
        ],
        [
          lineOf(text, 'S20.G00.05.001', 2),
          'S20.G00.05.005',
          'mois déclaré absent(e) : rubrique obligatoire pour une déclaration de nature 01',
        ],
        [
          lineOf(text, 'S20.G00.05.001', 3),
          'S20.G00.05.001',
          'signalement de fin de contrat (nature 07) sans bloc fin du contrat (S21.G00.62) qui le date : rien à charger',
        ],
      ]);
    });
  });
});

describe('changes of identity', () => {
  const month = (nir: string, monthIso: string, hours: string, ...extra: string[][]) =>
    declaration(
      { ...ACI, month: monthIso },
      individual({ ...ALICE, nir }),
      ...extra,
      cddi('2024-01-02', 'C1'),
      pay('C1', `${monthIso}-01`, `${monthIso}-28`, hours),
    );
  const passes = `numero_pass,nir,nom,prenom,siret_structure,date_debut,date_fin\nPASS01,${OLD_NIR},D'ALMEIDA,Hélène,${ACI.siren}${ACI.nic},2024-01-02,\n`;
  const participants = `nir,nom,prenom,programme,siret_structure,date_entree,date_sortie\n${OLD_NIR},D'ALMEIDA,Hélène,aci,${ACI.siren}${ACI.nic},2024-01-02,\n`;
  // The PASS and the participants register name the person by her former NIR.
  const loadPasses = async (database: TestDatabase) => {
    for (const [kind, text] of [
      ['passes', passes],
      ['participants', participants],
    ] as const) {
      const file = path.join(folder, `${kind}${fileNumber++}.csv`);
      await writeFile(file, text);
      expect((await importRegister(database.pool, kind, file, TEST_NIR_KEY)).rejected).toEqual([]);
    }
  };
  const state = async (database: TestDatabase) => {
    await refreshIndicators(database.pool);
    return {
      persons: await rows(database, 'select identified_by, last_name from persons'),
      contracts: await rows(database, 'select contract_number, first_declared_month::text, last_declared_month::text from contracts'),
      links: await rows(database, 'select count(*)::int as n from person_links'),
      counters: await rows(database, 'select pass_number, hours_worked::text, months_worked from iae_pass_counters'),
      samePerson: await rows(
        database,
        `select count(distinct person_key)::int as n from (select person_key from contracts union all select person_key from iae_passes
           union all select person_key from programme_enrolments union all select person_key from contract_hours
           union all select person_key from declared_persons) k`,
      ),
    };
  };
  const expected = {
    persons: [{ identified_by: 'nir', last_name: "D'ALMEIDA" }],
    contracts: [{ contract_number: 'C1', first_declared_month: '2024-01-01', last_declared_month: '2024-02-01' }],
    links: [{ n: 1 }],
    counters: [{ pass_number: 'PASS01', hours_worked: '210.00', months_worked: 2 }],
    samePerson: [{ n: 1 }],
  };
  const february = () => month(NEW_NIR, '2024-02', '110.00', identityChange('2024-02-01', OLD_NIR));

  it('a NIR corrected in February is one person, one contract, one PASS counter, whatever the order files arrive in', async () => {
    const inOrder = await withDatabase(async (database) => {
      await ingestText(database, envoi(month(OLD_NIR, '2024-01', '100.00')));
      await loadPasses(database);
      await ingestText(database, envoi(february()));
      return state(database);
    });
    const reversed = await withDatabase(async (database) => {
      await ingestText(database, envoi(february()));
      await ingestText(database, envoi(month(OLD_NIR, '2024-01', '100.00')));
      await loadPasses(database);
      return state(database);
    });
    expect(inOrder).toEqual(expected);
    expect(reversed).toEqual(expected);
  });

  it('a person first declared with a temporary number (NTT), then with the NIR beside it, is one person', async () => {
    const result = await withDatabase(async (database) => {
      const ntt = 'NTT2024ALMEIDA';
      const january = declaration(
        { ...ACI, month: '2024-01' },
        individual({ ntt, lastName: "D'ALMEIDA", firstNames: 'HÉLÈNE', birth: '15071985' }),
        cddi('2024-01-02', 'C1'),
        pay('C1', '2024-01-02', '2024-01-31', '100.00'),
      );
      await ingestText(database, envoi(january));
      await loadPasses(database);
      const february = declaration(
        { ...ACI, month: '2024-02' },
        individual({ ...ALICE, nir: OLD_NIR, ntt }),
        cddi('2024-01-02', 'C1'),
        pay('C1', '2024-02-01', '2024-02-28', '110.00'),
      );
      await ingestText(database, envoi(february));
      return state(database);
    });
    expect(result).toEqual(expected);
  });
});

describe('encodings', () => {
  const text = () =>
    envoi(declaration({ ...ACI, month: '2024-01' }, individual({ ...ALICE, lastName: 'LEFÈVRE' }), cddi('2024-01-02', 'C1')));

  it('decodes a UTF-8 file, with or without byte order mark, and warns; never stores mojibake', async () => {
    await withDatabase(async (database) => {
      const plain = await ingestText(database, Buffer.from(text(), 'utf8'));
      expect(plain.warnings).toEqual([
        { file: expect.any(String), line: 1, rubric: '', message: 'fichier en UTF-8 alors que la norme demande ISO-8859-1 : lu en UTF-8' },
      ]);
      expect(await rows(database, 'select last_name, first_names from persons')).toEqual([{ last_name: 'LEFÈVRE', first_names: 'HÉLÈNE' }]);
      const withBom = await ingestText(
        database,
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text().replace('LILLE', 'LOOS'), 'utf8')]),
      );
      expect(withBom).toMatchObject({ declarations: 1, rejected: [] });
      expect(withBom.warnings.map((w) => w.message)).toEqual([
        "fichier en UTF-8 avec marque d'ordre des octets (BOM) alors que la norme demande ISO-8859-1 : lu en UTF-8",
      ]);
    });
  });

  it('reports U+FFFD, control characters and Windows-1252 bytes with their line, and still loads', async () => {
    await withDatabase(async (database) => {
      const lost = text().replace('LEFÈVRE', 'LEF\ufffdVRE');
      const fffd = await ingestText(database, Buffer.from(lost, 'utf8'));
      expect(fffd.warnings.slice(1)).toEqual([
        {
          file: expect.any(String),
          line: lineOf(lost, 'S21.G00.30.002'),
          rubric: 'S21.G00.30.002',
          message: 'caractère de remplacement U+FFFD : un caractère a été perdu avant l’envoi (fichier mal réencodé) ; valeur à vérifier',
        },
      ]);
      const odd = text().replace('HÉLÈNE', 'HÉ\x01LÈNE').replace('LEFÈVRE', 'LEF\x92VRE');
      const latin = await ingestText(database, Buffer.from(odd.replace('LILLE', 'LOOS'), 'latin1'));
      expect(latin.warnings.map((w) => [w.line, w.rubric, w.message.slice(0, 30)])).toEqual([
        [lineOf(odd, 'S21.G00.30.002'), 'S21.G00.30.002', 'caractères Windows-1252 hors d'],
        [lineOf(odd, 'S21.G00.30.004'), 'S21.G00.30.004', 'caractère de contrôle U+0001 d'],
      ]);
      expect(await rows(database, 'select last_name from persons')).toEqual([{ last_name: 'LEF’VRE' }]);
    });
  });
});

describe('declarations that break the norm are refused for the right reason', () => {
  it('refuses a second enterprise or establishment in one declaration', async () => {
    await withDatabase(async (database) => {
      const second = ["S21.G00.11.001,'00099'", "S21.G00.11.002,'8899B'", "S21.G00.11.004,'59000'"];
      const text = envoi(declaration({ ...ACI, month: '2024-01' }, second, individual(ALICE), cddi('2024-01-02', 'C1')));
      const summary = await ingestText(database, text);
      expect(summary.declarations).toBe(0);
      const otherCompany = envoi(
        declaration({ ...ACI, month: '2024-01' }, individual(ALICE), cddi('2024-01-02', 'C1'), ["S21.G00.06.001,'732829320'"]),
      );
      expect((await ingestText(database, otherCompany)).rejected.map((r) => [r.line, r.message.split(' :')[0]])).toEqual([
        [lineOf(otherCompany, 'S21.G00.06.001', 2), 'second bloc entreprise (S21.G00.06) dans la déclaration commencée ligne 9'],
      ]);
      expect(summary.rejected).toEqual([
        {
          file: expect.any(String),
          line: lineOf(text, 'S21.G00.11.001', 2),
          rubric: 'S21.G00.11.001',
          message: expect.stringContaining(
            'second bloc établissement (S21.G00.11) dans la déclaration commencée ligne 9 : une déclaration porte une seule entreprise et un seul établissement',
          ),
        },
      ]);
    });
  });

  it('says which block is out of place and where it belongs', async () => {
    await withDatabase(async (database) => {
      const text = envoi(
        declaration(
          { ...ACI, month: '2024-01' },
          individual(ALICE),
          cddi('2024-01-02', 'C1'),
          pay('C1', '2024-01-02', '2024-01-31', '100.00'),
          contractEnd('2024-01-31', '031'),
        ),
      );
      const summary = await ingestText(database, text);
      expect(summary.rejected).toEqual([
        {
          file: expect.any(String),
          line: lineOf(text, 'S21.G00.62.001'),
          rubric: 'S21.G00.62.001',
          message: `bloc fin du contrat (S21.G00.62) mal placé : le bloc versement (S21.G00.50) ligne ${lineOf(text, 'S21.G00.50.001')} le sépare de son bloc contrat (S21.G00.40) ligne ${lineOf(text, 'S21.G00.40.001')} ; sa place est sous ce bloc contrat, avant le bloc versement`,
        },
      ]);
    });
  });
});

describe('places the communes reference does not know', () => {
  it('counts the establishments placed by fallback and those left unplaced', async () => {
    await withDatabase(async (database) => {
      const summary = await ingestText(
        database,
        envoi(
          declaration(
            { ...ACI, month: '2024-01', postalCode: '69361', town: 'LYON CEDEX 07' },
            individual(ALICE),
            cddi('2024-01-02', 'C1'),
          ),
          declaration({ ...SHOP, month: '2024-01', postalCode: '00000', town: 'NULLE PART' }, individual(ALICE), cddi('2024-01-02', 'S1')),
        ),
      );
      expect(summary.placement).toEqual({ placedByFallback: 1, unplaced: 1 });
      expect(await rows(database, 'select commune_insee_code, departement_code, placement from establishments order by siret')).toEqual([
        { commune_insee_code: '69123', departement_code: '69', placement: 'localite' },
        { commune_insee_code: null, departement_code: null, placement: null },
      ]);
    });
  });
});
