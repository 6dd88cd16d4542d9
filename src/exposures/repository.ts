import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

// Exposures recorded (form, import, printed sheet) and the study's view (migrations/…_create_score_exposures.ts).

export type ExposureSource = 'formulaire' | 'import' | 'impression';

interface ScoreExposureTable {
  id: Generated<number>;
  siret: string;
  exposed_on: ColumnType<string, string, string>;
  channel: string;
  source: ExposureSource;
  recorded_by: number | null;
  run_id: number | null;
  created_at: Generated<Date>;
}

type Measure = { '6m': number | null; '12m': number | null };

interface ScoreExposureEffectsView {
  row_kind: 'etablissement' | 'ensemble';
  siret: string | null;
  first_exposed_on: string | null;
  channel: string | null;
  exposure_quarter: string | null;
  naf_division: string | null;
  departement_code: string | null;
  region_code: string | null;
  score_band: number | null;
  score_at_exposure: number | null;
  score_6m: number | null;
  score_12m: number | null;
  change_6m: number | null;
  change_12m: number | null;
  comparison_level: 'departement' | 'region' | null;
  comparison_change_6m: number | null;
  comparison_change_12m: number | null;
  exposed_size_6m: number;
  exposed_size_12m: number;
  comparison_size_6m: number;
  comparison_size_12m: number;
  did_6m: number | null;
  did_12m: number | null;
}

type ExposureTables = { score_exposures: ScoreExposureTable; score_exposure_effects: ScoreExposureEffectsView };
const exposuresDb = (db: Kysely<Database>) => db.withTables<ExposureTables>();

export type NewExposure = { siret: string; exposedOn: string; channel: string; source: ExposureSource; recordedBy: number | null };

/** `already`: the same SIRET, day and channel was recorded before; `unknown`: no DSN declares the SIRET. */
export async function recordExposure(db: Kysely<Database>, exposure: NewExposure): Promise<'recorded' | 'already' | 'unknown'> {
  const known = await db.selectFrom('establishments').select('siret').where('siret', '=', exposure.siret).executeTakeFirst();
  if (known === undefined) return 'unknown';
  const inserted = await exposuresDb(db)
    .insertInto('score_exposures')
    .values({
      siret: exposure.siret,
      exposed_on: exposure.exposedOn,
      channel: exposure.channel,
      source: exposure.source,
      recorded_by: exposure.recordedBy,
    })
    .onConflict((conflict) => conflict.columns(['siret', 'exposed_on', 'channel']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? 'recorded' : 'already';
}

export type ExposureRow = { siret: string; exposedOn: string; channel: string; source: ExposureSource; recordedBy: string | null };

/** The latest exposures first (`limit` of them) and how many there are in all. */
export async function listExposures(db: Kysely<Database>, limit = 200): Promise<{ rows: ExposureRow[]; total: number }> {
  const xdb = exposuresDb(db);
  const [rows, total] = await Promise.all([
    xdb
      .selectFrom('score_exposures as x')
      .leftJoin('users as u', 'u.id', 'x.recorded_by')
      .select(['x.siret', 'x.exposed_on', 'x.channel', 'x.source', 'u.email'])
      .orderBy('x.exposed_on', 'desc')
      .orderBy('x.id', 'desc')
      .limit(limit)
      .execute(),
    xdb
      .selectFrom('score_exposures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ siret: r.siret, exposedOn: r.exposed_on, channel: r.channel, source: r.source, recordedBy: r.email })),
    total: Number(total.n),
  };
}

export type StudyRow = {
  siret: string;
  firstExposedOn: string;
  channel: string;
  exposureQuarter: string;
  scoreAtExposure: number | null;
  score: Measure;
  change: Measure;
  comparisonLevel: 'departement' | 'region' | null;
  comparisonChange: Measure;
  comparisonSize: { '6m': number; '12m': number };
  did: Measure;
};

export type StudySummary = {
  exposedChange: Measure;
  comparisonChange: Measure;
  exposedSize: { '6m': number; '12m': number };
  comparisonSize: { '6m': number; '12m': number };
  did: Measure;
};

/** The study as score_exposure_effects computes it: the aggregate, and each exposed establishment. */
export async function readStudy(db: Kysely<Database>): Promise<{ summary: StudySummary; rows: StudyRow[] }> {
  const rows = await exposuresDb(db)
    .selectFrom('score_exposure_effects')
    .selectAll()
    .orderBy('first_exposed_on')
    .orderBy('siret')
    .execute();
  const total = rows.find((row) => row.row_kind === 'ensemble');
  const summary: StudySummary = {
    exposedChange: { '6m': total?.change_6m ?? null, '12m': total?.change_12m ?? null },
    comparisonChange: { '6m': total?.comparison_change_6m ?? null, '12m': total?.comparison_change_12m ?? null },
    exposedSize: { '6m': total?.exposed_size_6m ?? 0, '12m': total?.exposed_size_12m ?? 0 },
    comparisonSize: { '6m': total?.comparison_size_6m ?? 0, '12m': total?.comparison_size_12m ?? 0 },
    did: { '6m': total?.did_6m ?? null, '12m': total?.did_12m ?? null },
  };
  return {
    summary,
    rows: rows
      .filter((row) => row.row_kind === 'etablissement')
      .map((row) => ({
        siret: row.siret as string,
        firstExposedOn: row.first_exposed_on as string,
        channel: row.channel as string,
        exposureQuarter: row.exposure_quarter as string,
        scoreAtExposure: row.score_at_exposure,
        score: { '6m': row.score_6m, '12m': row.score_12m },
        change: { '6m': row.change_6m, '12m': row.change_12m },
        comparisonLevel: row.comparison_level,
        comparisonChange: { '6m': row.comparison_change_6m, '12m': row.comparison_change_12m },
        comparisonSize: { '6m': row.comparison_size_6m, '12m': row.comparison_size_12m },
        did: { '6m': row.did_6m, '12m': row.did_12m },
      })),
  };
}
