import { parseArgs } from 'node:util';
import type pg from 'pg';
import { refreshIndicators } from '../../indicators/refresh.js';
import { type IngestOptions, type IngestSummary, ingestDsn } from '../../ingest/ingest.js';
import { EXIT_OK, EXIT_REJECTED, withDatabase } from '../context.js';
import { ingestProgressBar } from '../progress.js';
import { UsageError } from '../usage-error.js';

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length === 0)
    throw new UsageError('indiquez au moins un fichier ou dossier DSN : sillage ingest <fichiers ou dossiers...>');
  return withDatabase(async ({ config, database, nirKey }) => {
    const summary = await runIngest(
      database.pool,
      positionals,
      { nirKey, batchLines: config.ingestBatchLines },
      !values.json && process.stderr.isTTY === true,
    );
    await refreshIndicators(database.pool);
    process.stdout.write(values.json ? `${JSON.stringify(ingestJson(summary))}\n` : describeIngest(summary));
    return summary.rejected.length > 0 ? EXIT_REJECTED : EXIT_OK;
  });
}

export async function runIngest(pool: pg.Pool, inputs: string[], options: IngestOptions, showProgress: boolean): Promise<IngestSummary> {
  const bar = ingestProgressBar(showProgress);
  try {
    return await ingestDsn(pool, inputs, { ...options, onProgress: (progress) => bar.update(progress) });
  } finally {
    bar.stop();
  }
}

/** The `--json` shape is an interface other tools read: keep its fields as they are. */
export function ingestJson(summary: IngestSummary) {
  const { files, declarations, replaced, cancelled, persons, contracts, rejected, warnings, placement } = summary;
  return { files, declarations, replaced, cancelled, persons, contracts, rejected, warnings, establishments: placement };
}

const number = (n: number) => n.toLocaleString('fr-FR');

export function describeIngest(summary: IngestSummary): string {
  const lines = [
    `${number(summary.files)} fichier(s) lu(s), ${number(summary.declarations)} déclaration(s) chargée(s) (${number(summary.lines)} lignes), ${number(summary.replaced)} remplacée(s), ${number(summary.cancelled)} annulée(s).`,
    `${number(summary.persons)} personne(s) et ${number(summary.contracts)} contrat(s) dans ces déclarations.`,
  ];
  const { placedByFallback, unplaced } = summary.placement;
  if (placedByFallback + unplaced > 0) {
    lines.push(
      `Établissements au code postal inconnu du référentiel des communes : ${number(placedByFallback)} placé(s) par le département du code postal ou le nom de la localité, ${number(unplaced)} sans commune ni département (absents des filtres territoriaux).`,
    );
  }
  if (summary.warnings.length > 0) {
    lines.push(`${number(summary.warnings.length)} avertissement(s), sans effet sur le chargement :`);
    for (const w of summary.warnings) lines.push(`  ${w.file}, ligne ${w.line}${w.rubric ? `, ${w.rubric}` : ''} : ${w.message}`);
  }
  if (summary.rejected.length === 0) lines.push('Aucun rejet.');
  else {
    lines.push(`${number(summary.rejected.length)} rejet(s) ; rien de ces fichiers ou déclarations n'a été enregistré :`);
    for (const r of summary.rejected) lines.push(`  ${r.file}, ligne ${r.line}${r.rubric ? `, ${r.rubric}` : ''} : ${r.message}`);
  }
  return `${lines.join('\n')}\n`;
}
