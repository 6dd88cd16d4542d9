import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** 4xx say what was wrong; 5xx are logged with the request and shown without their details. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error, url: request.url }, 'requête en échec');
      const message = status >= 500 ? 'Erreur interne : l’incident a été journalisé, réessayez plus tard.' : error.message;
      return reply.status(status).send({ statut: status, erreur: message });
    });
    app.setNotFoundHandler((request, reply) => reply.status(404).send({ statut: 404, erreur: `Page introuvable : ${request.url}` }));
  },
  { name: 'error-handler' },
);
