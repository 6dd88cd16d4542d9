import type { TestDatabase } from './database.js';
import { contract, declaration, individual } from './dsn-builder.js';
import { loadIndicatorFixture } from './indicator-fixture.js';

// A small ACI with 3 exits on 31 January 2024, too few for a rate: the DSN covers January to August 2024 (the
// structure's own staff), so 31 July 2024 is observable (nobody employed) and 31 January 2025 is not.
const SMALL = { siren: '552100554', nic: '00017', postalCode: '59000', town: 'LILLE' };
export const SIRET_SMALL = `${SMALL.siren}${SMALL.nic}`;

const staff = individual({ nir: '1800159350901', lastName: 'STAFF', birth: '15011980' });
const DECLARATIONS = ['2024-01', '2024-08'].map((month) =>
  declaration({ ...SMALL, month }, [...staff, ...contract({ start: '2020-01-06', number: 'S1' })]),
);

const PARTICIPANTS = `nir,nom,prenom,programme,siret_structure,date_entree,date_sortie
1850659350101,Durand,Léa,aci,${SIRET_SMALL},2023-06-01,2024-01-31
1850659350102,Petit,Noé,aci,${SIRET_SMALL},2023-06-01,2024-01-31
2850659350103,Roux,Inès,aci,${SIRET_SMALL},2023-06-01,2024-01-31
`;

/** A fresh database with the 3 exits above, indicators refreshed. */
export function loadSmallStructureFixture(): Promise<TestDatabase> {
  return loadIndicatorFixture({ files: [DECLARATIONS], registers: { participants: PARTICIPANTS } });
}
