import { parseArgs } from 'node:util';
import type { CommandContext } from './context.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REJECTED, withDatabase } from './context.js';
import { UsageError } from './usage-error.js';

type CsvImportResult = { loaded: boolean; rejected: { line: number; field: string; message: string }[] };

export type CsvImport<R extends CsvImportResult> = {
  usage: string;
  load(context: CommandContext, file: string): Promise<R>;
  /** The `--json` line's counts, beside `loaded` and `rejected`. */
  counts(result: R): Record<string, number>;
  /** The first line of the French report: what was loaded, or what a refusal left in place. */
  summary(file: string, result: R): string;
};

/** `sillage import <kind> <csv> [--json]` for a CSV checked line by line: exit 0 all loaded, 2 lines rejected, 1 refused. */
export async function runCsvImport<R extends CsvImportResult>(args: string[], command: CsvImport<R>): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError(command.usage);
  return withDatabase(async (context) => {
    const result = await command.load(context, file);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ loaded: result.loaded, ...command.counts(result), rejected: result.rejected })}\n`
        : describeCsvImport(command.summary(file, result), result),
    );
    if (!result.loaded) return EXIT_FAILED;
    return result.rejected.length > 0 ? EXIT_REJECTED : EXIT_OK;
  });
}

export function describeCsvImport(summary: string, result: CsvImportResult): string {
  const lines = [summary];
  if (result.rejected.length === 0) lines.push('Aucun rejet.');
  else {
    if (result.loaded) lines.push(`${result.rejected.length.toLocaleString('fr-FR')} rejet(s), ligne(s) non enregistrée(s) :`);
    for (const r of result.rejected) lines.push(`  ligne ${r.line}${r.field ? `, colonne ${r.field}` : ''} : ${r.message}`);
  }
  return `${lines.join('\n')}\n`;
}
