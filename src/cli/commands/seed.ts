import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { generateDataset } from '../../../seeds/generate.js';
import { EXIT_OK, EXIT_REJECTED, withDatabase } from '../context.js';
import { loadDataset } from '../load-dataset.js';
import { UsageError } from '../usage-error.js';

const flags = z.object({
  persons: z.coerce.number().int().min(1, 'au moins 1').default(2000),
  months: z.coerce.number().int().min(1, 'au moins 1').max(120, '120 au plus').default(24),
  seed: z.coerce.number().int().default(1),
  out: z.string().min(1).optional(),
});

export async function seedCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      persons: { type: 'string' },
      months: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const parsed = flags.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(`options invalides : ${parsed.error.issues.map((i) => `--${i.path.join('.')} : ${i.message}`).join(' ; ')}`);
  }
  const { persons, months, seed, out } = parsed.data;
  if (out) {
    const summary = await generateDataset({ persons, months, seed, outDir: path.resolve(out) });
    process.stdout.write(
      `${summary.files.toLocaleString('fr-FR')} fichiers DSN (${summary.lines.toLocaleString('fr-FR')} lignes) et 2 registres écrits dans ${out}.\n`,
    );
    return EXIT_OK;
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-seed-'));
  try {
    await generateDataset({ persons, months, seed, outDir: folder });
    return await withDatabase(async ({ database, nirKey }) => {
      const loaded = await loadDataset(database.pool, folder, nirKey, process.stderr.isTTY === true);
      process.stdout.write(loaded.report);
      return loaded.rejected > 0 ? EXIT_REJECTED : EXIT_OK;
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
