import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from '../routes/api/problems.js';
import { setSecurityHeaders } from './security-headers.js';

const HEADINGS: Record<number, string> = {
  400: 'Demande invalide',
  401: 'Connexion requise',
  403: 'Accès refusé',
  404: 'Page introuvable',
  405: 'Méthode non permise',
  413: 'Envoi trop volumineux',
  414: 'Adresse trop longue',
  415: 'Type de contenu non accepté',
  429: 'Trop de tentatives',
  507: 'Espace disque insuffisant',
};

// Fastify's own refusals, said in French.
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Requête trop volumineuse : le corps dépasse la taille permise (1 Mo hors dépôt de fichiers).',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Type de contenu non accepté pour cette adresse.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Corps JSON vide.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Corps JSON invalide.',
  FST_ERR_BAD_URL: 'Adresse invalide : elle contient un caractère mal encodé. Corrigez l’adresse ou revenez à l’accueil.',
  FST_ERR_MAX_PARAM_LENGTH: 'Adresse trop longue : corrigez-la ou revenez à l’accueil.',
};
const FALLBACK_MESSAGE = 'Requête invalide : rechargez la page et recommencez.';
const INTERNAL_MESSAGE = 'Erreur interne : l’incident a été journalisé, réessayez plus tard.';
const DISK_FULL_MESSAGE =
  'Espace disque insuffisant sur le serveur : rien n’a été enregistré. Prévenez l’administrateur du serveur, puis recommencez.';
const NUL_IN_URL_MESSAGE = 'Adresse invalide : elle contient un caractère nul (%00). Corrigez l’adresse ou revenez à l’accueil.';
const NUL_IN_FORM_MESSAGE = 'Formulaire invalide : un champ contient un caractère nul. Corrigez-le et renvoyez le formulaire.';
const SIGNED_OUT_MESSAGE = 'Votre session a pris fin, ou vous n’êtes pas connecté : connectez-vous, puis renvoyez le formulaire.';
// PostgreSQL refuses a NUL byte in text; its disk-full error is a 507 like the server's own.
const PG_BAD_CHARACTER = new Set(['22021', '22P05']);
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', '53100']);

type AnyError = { statusCode?: number; message: string; code?: string };

/** An input refused before any route reads it. */
class BadInput extends Error {
  statusCode = 400;
}

/** Browsers get a page (any method), other clients JSON; the API answers its own problems. */
const wantsPage = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html') && !request.url.startsWith('/api/');

function answer(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  reply.status(status);
  if (wantsPage(request) && 'page' in reply) {
    // A browser without a session is most often one whose session ended while a form was open.
    const shown = status === 401 ? SIGNED_OUT_MESSAGE : message;
    return reply.page('pages/error', {
      title: HEADINGS[status] ?? 'Erreur',
      heading: HEADINGS[status] ?? 'Erreur',
      message: shown,
      status,
    });
  }
  return reply.send({ statut: status, erreur: message });
}

function statusOf(error: AnyError): number {
  if (DISK_FULL.has(error.code ?? '')) return 507;
  if (PG_BAD_CHARACTER.has(error.code ?? '')) return 400;
  return error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
}

function messageOf(error: AnyError, status: number): string {
  if (status === 507) return DISK_FULL_MESSAGE;
  if (status >= 500) return INTERNAL_MESSAGE;
  if (PG_BAD_CHARACTER.has(error.code ?? '')) return NUL_IN_FORM_MESSAGE;
  const code = error.code ?? '';
  return FASTIFY_MESSAGES[code] ?? (code.startsWith('FST_') ? FALLBACK_MESSAGE : error.message);
}

/** Every error of the site: 4xx say what was wrong, 507 that the disk is full, other 5xx are logged and shown without details. */
export function handleError(error: AnyError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(error);
  if (status >= 500) request.log.error({ err: error, url: request.url }, 'requête en échec');
  return answer(request, reply, status, messageOf(error, status));
}

/**
 * A malformed address, refused by the router before any plugin or hook: the page is rendered here, with the headers
 * the hooks would have set (Fastify's frameworkErrors).
 */
export async function refuseMalformedAddress(app: FastifyInstance, error: AnyError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(error);
  const message = messageOf(error, status);
  setSecurityHeaders(request, reply);
  if (request.url.startsWith('/api/')) return sendProblem(request, reply, status, message);
  if (!wantsPage(request)) return reply.status(status).send({ statut: status, erreur: message });
  const heading = HEADINGS[status] ?? 'Erreur';
  const html = await app.view('pages/error', { title: heading, heading, message, status, user: null, navigation: [] });
  return reply.status(status).type('text/html; charset=utf-8').send(html);
}

const hasNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\0')
    : typeof value === 'object' && value !== null && Object.entries(value).some(([key, inner]) => key.includes('\0') || hasNul(inner));

/** 4xx say what was wrong; 5xx are logged with the request and shown without their details. Pages for browsers, JSON otherwise. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    // No table stores a NUL byte: refuse it at the door rather than let the database fail on it.
    app.addHook('onRequest', async (request) => {
      if (/%00/i.test(request.url)) throw new BadInput(NUL_IN_URL_MESSAGE);
    });
    app.addHook('preValidation', async (request) => {
      if (hasNul(request.body)) throw new BadInput(NUL_IN_FORM_MESSAGE);
    });
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((request, reply) => answer(request, reply, 404, `Page introuvable : ${request.url.split('?')[0]}`));
  },
  { name: 'error-handler' },
);
