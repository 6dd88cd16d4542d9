import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export type InputFile = { path: string; size: number };
export type InputSurvey = { files: number; bytes: number; largest: number };

const DSN_EXTENSIONS = /\.(dsn|txt|edi)$/i;

export class MissingInputError extends Error {}

/**
 * Files named on the command line are read whatever their name; inside folders, `.dsn`, `.txt` and `.edi`,
 * in name order. Yielded one by one: a folder may hold hundreds of thousands of files (one per
 * establishment and month), and a list of them would weigh tens of megabytes.
 */
export async function* inputFiles(inputs: string[]): AsyncGenerator<InputFile> {
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info === null) throw new MissingInputError(`fichier ou dossier introuvable : ${input}`);
    if (info.isDirectory()) yield* walk(input);
    else yield { path: input, size: info.size };
  }
}

/** How many files and bytes the inputs hold, and the largest file, without keeping the list. */
export async function surveyInputs(inputs: string[]): Promise<InputSurvey> {
  const survey: InputSurvey = { files: 0, bytes: 0, largest: 0 };
  for await (const file of inputFiles(inputs)) {
    survey.files++;
    survey.bytes += file.size;
    survey.largest = Math.max(survey.largest, file.size);
  }
  return survey;
}

// Sizes are read synchronously, a folder at a time: five times faster than one awaited call per file.
async function* walk(folder: string): AsyncGenerator<InputFile> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: InputFile[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      yield* files.splice(0);
      yield* walk(full);
    } else if (entry.isFile() && DSN_EXTENSIONS.test(entry.name)) files.push({ path: full, size: statSync(full).size });
  }
  yield* files;
}
