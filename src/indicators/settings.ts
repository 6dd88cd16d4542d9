import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { z } from 'zod';

// The indicators' parameters live in one documented file (docs/indicators.md); the views read them from
// the indicator_settings table, written from this file before every refresh.
export const ENGAGEMENT_CRITERIA = [
  'woman',
  'under_26',
  'over_50',
  'no_prior_contract',
  'long_unemployed',
  'after_long_stoppage',
  'boeth',
  'from_programme',
  'cdi',
  'mean_fixed_term_days',
  'median_fixed_term_days',
  'full_time',
  'retained_6m',
  'retained_12m',
] as const;

const SettingsSchema = z.object({
  /** Hours a PASS IAE carries: 24 months of 151.67 h by default. */
  passBudgetHours: z.number().positive(),
  engagement: z.object({
    /** Under this many hires over 24 months, no score. */
    minimumHires: z.number().int().positive(),
    /** Fewer scored peers in the NAF division and département: compare within the NAF section and région. */
    minimumPeers: z.number().int().positive(),
    /** From this score on, the establishment is labelled `engagee`. */
    engagedScore: z.number().min(0).max(100),
    weights: z.object(
      Object.fromEntries(ENGAGEMENT_CRITERIA.map((c) => [c, z.number().min(0)])) as Record<
        (typeof ENGAGEMENT_CRITERIA)[number],
        z.ZodNumber
      >,
    ),
  }),
});

export type IndicatorSettings = z.infer<typeof SettingsSchema>;

export function readIndicatorSettings(): IndicatorSettings {
  const file = new URL('./settings.json', import.meta.url);
  return SettingsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Nested settings as `a.b.c` names, the way indicator_settings holds them. */
function flatten(value: object, prefix = ''): [string, number][] {
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'number' ? [[`${prefix}${key}`, inner] as [string, number]] : flatten(inner as object, `${prefix}${key}.`),
  );
}

export async function writeIndicatorSettings(client: pg.PoolClient, settings: IndicatorSettings): Promise<void> {
  const entries = flatten(settings);
  await client.query(
    `insert into indicator_settings (name, value) select * from unnest($1::text[], $2::numeric[])
     on conflict (name) do update set value = excluded.value`,
    [entries.map(([name]) => name), entries.map(([, value]) => value)],
  );
}
