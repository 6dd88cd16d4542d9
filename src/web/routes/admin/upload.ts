import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { refreshIndicators } from '../../../indicators/refresh.js';
import { ingestDsn } from '../../../ingest/ingest.js';
import { resolveNirKey } from '../../../persons/secret-key.js';
import { expectedHeader } from '../../../registers/header.js';
import { importRegister } from '../../../registers/import.js';
import type { RouteDependencies } from '../../app.js';
import { lastRunId, relabelUploadedFiles } from './imports-repository.js';
import { MAX_FILES, notCsvReason, type ReceivedUpload, receiveUpload, UPLOAD_LIMITS, UploadError } from './upload-files.js';

// Upload in the browser: the same loaders as `sillage ingest` and `sillage import`, then the indicators' refresh.

const kindField = z.enum(['dsn', 'participants', 'passes'], {
  error: 'Choisissez ce que vous déposez : des fichiers DSN, le registre des participants ou le registre des PASS IAE.',
});
type UploadKind = z.infer<typeof kindField>;

const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

/** The kind and files of an upload that may be loaded, or an UploadError saying what is wrong with it. */
async function checkUpload(upload: ReceivedUpload): Promise<{ kind: UploadKind; files: ReceivedUpload['files'] }> {
  const kind = kindField.safeParse(upload.fields.kind);
  if (!kind.success) throw new UploadError(400, kind.error.issues[0]?.message ?? 'Type de dépôt inconnu.');
  const { files } = upload;
  if (files.length === 0)
    throw new UploadError(400, 'Aucun fichier reçu : choisissez un ou plusieurs fichiers, puis envoyez le formulaire.');
  if (kind.data === 'dsn') return { kind: kind.data, files };
  const register = kind.data === 'participants' ? 'registre des participants' : 'registre des PASS IAE';
  if (files.length > 1) throw new UploadError(400, `Le ${register} se dépose seul : choisissez un seul fichier CSV.`);
  const [file] = files as [ReceivedUpload['files'][number]];
  if (!/\.csv$/i.test(file.name)) {
    throw new UploadError(
      400,
      `Le ${register} doit être un fichier CSV (.csv) : « ${file.name} » n’en est pas un. Enregistrez-le au format « CSV UTF-8 » depuis votre tableur.`,
    );
  }
  const reason = await notCsvReason(file.path);
  if (reason) throw new UploadError(400, `« ${file.name} » : ${reason}. Enregistrez-le au format « CSV UTF-8 » depuis votre tableur.`);
  return { kind: kind.data, files };
}

/** Loads the files as the command line does; the run id of the load. */
async function load(deps: RouteDependencies, kind: UploadKind, files: ReceivedUpload['files'], nirKey: string): Promise<number> {
  if (kind === 'dsn') {
    const summary = await ingestDsn(
      deps.pool,
      files.map((file) => file.path),
      { nirKey, batchLines: deps.config.ingestBatchLines },
    );
    return summary.runId;
  }
  const result = await importRegister(deps.pool, kind, (files[0] as ReceivedUpload['files'][number]).path, nirKey);
  return result.runId;
}

/** The connection's idle timeout; a request injected without a socket (app.inject) has none to set. */
function setIdleTimeout(request: FastifyRequest, ms: number) {
  const socket = request.raw.socket as { setTimeout?: unknown } | undefined;
  if (typeof socket?.setTimeout === 'function') request.raw.socket.setTimeout(ms);
}

const showForm = (reply: FastifyReply, errors: string[] = []) =>
  reply.page('pages/admin/import', {
    title: 'Déposer des fichiers',
    errors,
    errorTitle: 'Rien n’a été chargé',
    maxFiles: MAX_FILES,
    headers: { participants: expectedHeader('participants'), passes: expectedHeader('passes') },
    scripts: ['/static/upload.js'],
  });

/** The upload into its own temporary folder, checked, then loaded; the folder is gone when this returns. */
async function receiveAndLoad(request: FastifyRequest, deps: RouteDependencies, nirKey: string): Promise<number> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-depot-'));
  try {
    const before = await lastRunId(deps.db);
    const { kind, files } = await checkUpload(await receiveUpload(request, folder));
    // Loading and refreshing may take minutes with nothing to send: the idle timeout must not cut them.
    setIdleTimeout(request, 0);
    try {
      return await load(deps, kind, files, nirKey);
    } finally {
      // Also after a failed load: the failed run's report names the files as they were sent.
      await relabelUploadedFiles(deps.pool, folder, before).catch((error) =>
        request.log.error({ err: error }, 'noms des fichiers déposés non rétablis'),
      );
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function refuse(request: FastifyRequest, reply: FastifyReply, error: UploadError) {
  reply.status(error.statusCode);
  return wantsJson(request) ? reply.send({ statut: error.statusCode, erreur: error.message }) : showForm(reply, [error.message]);
}

export async function uploadRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  await app.register(fastifyMultipart, { limits: UPLOAD_LIMITS });

  app.get('/admin/import', async (_request, reply) => showForm(reply));

  app.post('/admin/import', async (request, reply) => {
    // Before reading a gigabyte: without the key nothing can be loaded.
    const nirKey = await resolveNirKey(deps.config);
    try {
      const runId = await receiveAndLoad(request, deps, nirKey);
      await refreshIndicators(deps.pool);
      // This server's own pages show the new figures at once, without waiting for the NOTIFY.
      app.indicators.clear();
      const report = `/admin/imports/${runId}`;
      return wantsJson(request) ? reply.send({ runId, rapport: report }) : reply.redirect(report, 303);
    } catch (error) {
      // The rest of a refused body is not read: close the connection rather than keep it waiting.
      if (error instanceof UploadError) return refuse(request, reply.header('connection', 'close'), error);
      throw error;
    } finally {
      setIdleTimeout(request, app.server.timeout);
    }
  });
}
