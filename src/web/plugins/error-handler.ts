import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const HEADINGS: Record<number, string> = {
  400: 'Demande invalide',
  401: 'Connexion requise',
  403: 'Accès refusé',
  404: 'Page introuvable',
  413: 'Fichier trop volumineux',
  429: 'Trop de tentatives',
};

// Fastify's own refusals, said in French.
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Requête trop volumineuse : le corps dépasse la taille permise (1 Mo hors dépôt de fichiers).',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Type de contenu non accepté pour cette adresse.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Corps JSON vide.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Corps JSON invalide.',
};

const wantsPage = (request: FastifyRequest) => request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');

function answer(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  reply.status(status);
  if (wantsPage(request) && 'page' in reply) {
    return reply.page('pages/error', { heading: HEADINGS[status] ?? 'Erreur', message });
  }
  return reply.send({ statut: status, erreur: message });
}

/** 4xx say what was wrong; 5xx are logged with the request and shown without their details. Pages for browsers, JSON otherwise. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error, url: request.url }, 'requête en échec');
      const message =
        status >= 500
          ? 'Erreur interne : l’incident a été journalisé, réessayez plus tard.'
          : (FASTIFY_MESSAGES[error.code ?? ''] ?? error.message);
      return answer(request, reply, status, message);
    });
    app.setNotFoundHandler((request, reply) => answer(request, reply, 404, `Page introuvable : ${request.url.split('?')[0]}`));
  },
  { name: 'error-handler' },
);
