import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

// Errors of the API as RFC 9457 problem details, in French: one handler for the /api/v1 scope.

const PROBLEMS: Record<number, { slug: string; title: string; detail: string }> = {
  400: { slug: 'requete-invalide', title: 'Requête invalide', detail: 'La requête est mal formée.' },
  401: {
    slug: 'authentification-requise',
    title: 'Authentification requise',
    detail: 'Jeton absent, inconnu ou révoqué : envoyez l’en-tête Authorization: Bearer <jeton>, avec un jeton créé sur la page /compte.',
  },
  403: { slug: 'acces-refuse', title: 'Accès refusé', detail: 'Votre compte ne donne pas accès à ces données.' },
  404: { slug: 'introuvable', title: 'Ressource introuvable', detail: 'Aucune ressource à cette adresse : voir /api/docs.' },
  405: { slug: 'methode-non-permise', title: 'Méthode non permise', detail: 'Cette adresse ne se lit qu’avec GET.' },
  406: { slug: 'format-non-disponible', title: 'Format non disponible', detail: 'Formats proposés : application/json, text/csv.' },
  408: { slug: 'delai-depasse', title: 'Délai dépassé', detail: 'La requête a mis trop de temps à arriver.' },
  413: { slug: 'requete-trop-volumineuse', title: 'Requête trop volumineuse', detail: 'Le corps de la requête dépasse la taille permise.' },
  415: { slug: 'type-non-pris-en-charge', title: 'Type de contenu non pris en charge', detail: 'L’API ne lit pas de corps de requête.' },
  429: { slug: 'trop-de-requetes', title: 'Trop de requêtes', detail: 'Trop de requêtes pour ce jeton : réessayez dans une minute.' },
  500: { slug: 'erreur-interne', title: 'Erreur interne', detail: 'Erreur interne : l’incident a été journalisé, réessayez plus tard.' },
};

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    champs: z.array(z.object({ nom: z.string(), message: z.string() })).optional(),
  })
  .meta({ description: 'Erreur au format RFC 9457 (application/problem+json)' });
export type Problem = z.output<typeof problemSchema>;

/** An error the API answers as it is: its status and its French detail. */
export class ApiProblem extends Error {
  constructor(
    readonly statusCode: number,
    detail?: string,
    readonly champs?: { nom: string; message: string }[],
  ) {
    super(detail ?? PROBLEMS[statusCode]?.detail ?? 'Erreur.');
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, detail?: string, champs?: Problem['champs']) {
  const known = PROBLEMS[status] ?? (status >= 500 ? (PROBLEMS[500] as (typeof PROBLEMS)[number]) : PROBLEMS[400]);
  const problem: Problem = {
    type: `urn:sillage:probleme:${known?.slug ?? 'erreur'}`,
    title: known?.title ?? 'Erreur',
    status,
    detail: detail ?? known?.detail ?? 'Erreur.',
    instance: request.url.split('?')[0] ?? request.url,
    ...(champs && champs.length > 0 ? { champs } : {}),
  };
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="sillage"');
  // Serialised here: a route's response schema must not reshape an error.
  return reply.status(status).type('application/problem+json; charset=utf-8').serializer(JSON.stringify).send(problem);
}

const fieldName = (path: string) => path.replace(/^\//, '').replaceAll('/', '.') || 'requête';

/** Validation errors name their fields; other 4xx keep their French message (Fastify's own get ours); 5xx are logged. */
export function useProblemDetails(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const champs = error.validation.map((issue) => ({ nom: fieldName(issue.instancePath), message: issue.message ?? 'valeur invalide' }));
      const detail = `Paramètre${champs.length > 1 ? 's' : ''} invalide${champs.length > 1 ? 's' : ''} : ${champs.map((c) => `${c.nom} (${c.message})`).join(' ; ')}.`;
      return sendProblem(request, reply, 400, detail, champs);
    }
    const status = !isResponseSerializationError(error) && error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error, url: request.url }, 'requête d’API en échec');
      return sendProblem(request, reply, 500);
    }
    const fastifyOwn = typeof error.code === 'string' && error.code.startsWith('FST_');
    return sendProblem(
      request,
      reply,
      status,
      fastifyOwn ? undefined : error.message,
      error instanceof ApiProblem ? error.champs : undefined,
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, `Aucune ressource à l’adresse ${request.url.split('?')[0]} : voir /api/docs.`),
  );
}
