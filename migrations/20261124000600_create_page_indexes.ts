import { type Kysely, sql } from 'kysely';

// A structure's participants list reads its PASS by SIRET: without this index, every page scans the register.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index iae_passes_structure on iae_passes (structure_siret)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index iae_passes_structure`.execute(db);
}
