import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { z } from 'zod';

// The indicators' parameters live in one documented file (docs/indicators.md); the views read them from
// the indicator_settings table, written from this file before every refresh.
const SettingsSchema = z.object({
  /** Hours a PASS IAE carries: 24 months of 151.67 h by default. */
  passBudgetHours: z.number().positive(),
});

export type IndicatorSettings = z.infer<typeof SettingsSchema>;

export function readIndicatorSettings(): IndicatorSettings {
  const file = new URL('./settings.json', import.meta.url);
  return SettingsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export async function writeIndicatorSettings(client: pg.PoolClient, settings: IndicatorSettings): Promise<void> {
  const entries = Object.entries(settings);
  await client.query(
    `insert into indicator_settings (name, value) select * from unnest($1::text[], $2::numeric[])
     on conflict (name) do update set value = excluded.value`,
    [entries.map(([name]) => name), entries.map(([, value]) => value)],
  );
}
