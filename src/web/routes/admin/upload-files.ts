import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';

// An upload's files streamed one by one into its temporary folder, under the names the administrator gave
// them: the loaders' rejections then name the files as they were sent.

export const MAX_FILE_BYTES = 1024 ** 3;
export const MAX_FILES = 2_000;
export const UPLOAD_LIMITS = { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 10, parts: MAX_FILES + 10 };

/** An upload refused as a whole, before anything is loaded: the message says why and what to do. */
export class UploadError extends Error {
  constructor(
    readonly statusCode: 400 | 413 | 507,
    message: string,
  ) {
    super(message);
  }
}

export type ReceivedUpload = { fields: Record<string, string>; files: { name: string; path: string }[] };

const MAX_NAME_LENGTH = 120;

/** The last part of a browser's file name, without characters a path or a shell would read. */
export function safeFileName(original: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^[\s.]+/, '')
    .trim();
  if (cleaned === '') return 'fichier';
  const extension = path.extname(cleaned).slice(0, 20);
  const stem = cleaned.slice(0, cleaned.length - extension.length);
  return `${stem.slice(0, MAX_NAME_LENGTH - extension.length)}${extension}`;
}

/** The name, or `nom-2.ext`, `nom-3.ext`... when two files of the upload share it. */
function uniqueName(name: string, taken: Set<string>): string {
  const extension = path.extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${extension}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

const LIMIT_MESSAGES: Record<string, UploadError> = {
  FST_FILES_LIMIT: new UploadError(
    413,
    `Trop de fichiers : ${MAX_FILES.toLocaleString('fr-FR')} au plus par envoi. Envoyez-les en plusieurs fois.`,
  ),
  FST_PARTS_LIMIT: new UploadError(
    413,
    `Trop de fichiers : ${MAX_FILES.toLocaleString('fr-FR')} au plus par envoi. Envoyez-les en plusieurs fois.`,
  ),
  FST_FIELDS_LIMIT: new UploadError(400, 'Formulaire invalide : trop de champs. Rechargez la page et recommencez.'),
  FST_INVALID_MULTIPART_CONTENT_TYPE: new UploadError(
    400,
    'Aucun fichier reçu : choisissez un ou plusieurs fichiers, puis envoyez le formulaire.',
  ),
};

// The parser's own words for a body that is not multipart as announced (no boundary, cut short, bad part header).
const MALFORMED = /multipart|boundary|terminated early|part header/i;
const malformed = new UploadError(
  400,
  'Envoi illisible : le formulaire n’est pas arrivé entier ou bien formé. Rechargez la page et déposez les fichiers de nouveau.',
);
const diskFull = (name: string) =>
  new UploadError(
    507,
    `Espace disque insuffisant sur le serveur pendant la réception de « ${name} » : rien n’a été chargé. Prévenez l’administrateur du serveur, puis déposez les fichiers de nouveau.`,
  );

/** Where a received file is written: a new file on disk (a test may pass a writer that fails). */
export type FileWriter = (target: string) => Writable;
const writeNewFile: FileWriter = (target) => createWriteStream(target, { flags: 'wx' });

const tooLarge = (name: string) =>
  new UploadError(
    413,
    `« ${name} » dépasse 1 Gio, la taille maximale d’un fichier : découpez-le ou chargez-le avec la commande sillage ingest.`,
  );

/** Reads the multipart body: fields as text, files written to `folder`. Any refusal is an UploadError. */
export async function receiveUpload(
  request: FastifyRequest,
  folder: string,
  writeFile: FileWriter = writeNewFile,
): Promise<ReceivedUpload> {
  const received: ReceivedUpload = { fields: {}, files: [] };
  const taken = new Set<string>();
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        received.fields[part.fieldname] = String(part.value);
        continue;
      }
      // A file input left empty still sends a part, without a name and without content.
      if (part.filename === '') {
        part.file.resume();
        continue;
      }
      const name = uniqueName(safeFileName(part.filename), taken);
      const target = path.join(folder, name);
      try {
        await pipeline(part.file, writeFile(target));
      } catch (error) {
        // A file cut short by a full disk or a broken body is never left for a loader to read.
        await rm(target, { force: true });
        if (['ENOSPC', 'EDQUOT'].includes((error as { code?: string }).code ?? '')) throw diskFull(name);
        throw error;
      }
      if (part.file.truncated) throw tooLarge(name);
      received.files.push({ name, path: target });
    }
  } catch (error) {
    if (error instanceof UploadError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      const part = (error as { part?: { filename?: string } }).part;
      throw tooLarge(safeFileName(part?.filename ?? ''));
    }
    const known = LIMIT_MESSAGES[code];
    if (known) throw known;
    if (code === '' && MALFORMED.test((error as Error).message ?? '')) throw malformed;
    throw error;
  }
  return received;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Why a file named .csv is not one (a spreadsheet saved as is, a binary file), or null when it may be. */
export async function notCsvReason(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  try {
    const probe = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(probe, 0, probe.length, 0);
    const head = probe.subarray(0, bytesRead);
    if (head.subarray(0, 4).equals(ZIP) || head.subarray(0, 4).equals(OLE)) {
      return 'c’est un classeur de tableur (Excel ou Calc), pas un fichier CSV';
    }
    if (head.includes(0)) return 'ce n’est pas du texte en UTF-8 (fichier binaire, ou texte en UTF-16)';
    return null;
  } finally {
    await handle.close();
  }
}
