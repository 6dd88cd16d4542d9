import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { RouteDependencies } from '../app.js';
import { API_RATE_LIMIT_PER_MINUTE, apiV1Routes } from './api/v1.js';

// The API under /api (registered with that prefix): its OpenAPI document, generated from the routes' zod schemas,
// at /api/docs/json and browsable at /api/docs; the routes themselves under /api/v1.

/** sha256 of `.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}`, Swagger UI 5's logo style. */
export const SWAGGER_LOGO_STYLE_HASH = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

export async function apiRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'API de Sillage',
        version: '1.0.0',
        description: [
          'Les données de Sillage pour les acteurs de l’insertion : entreprises engagées, résultats des dispositifs à 6 et 12 mois, compteurs PASS IAE, chargements.',
          'Chaque requête porte un jeton personnel, créé et révoqué sur la page « Mon compte » (/compte) : en-tête `Authorization: Bearer <jeton>`. Le jeton donne les droits de son compte, ni plus ni moins : mêmes rôles, même périmètre et même secret statistique que les pages.',
          `Les listes répondent en CSV (séparateur « ; », UTF-8 avec BOM) avec l’en-tête \`Accept: text/csv\`. Au plus ${API_RATE_LIMIT_PER_MINUTE} requêtes par minute et par jeton. Les erreurs suivent la RFC 9457 (application/problem+json), en français ; une requête mal formée nomme ses champs invalides dans \`champs\`.`,
        ].join('\n\n'),
      },
      servers: [{ url: '/', description: 'Ce serveur' }],
      components: {
        securitySchemes: {
          jeton: {
            type: 'http',
            scheme: 'bearer',
            description: 'Jeton personnel (sil_…), créé sur la page /compte et affiché une seule fois.',
          },
        },
      },
      security: [{ jeton: [] }],
      tags: [
        { name: 'Entreprises engagées', description: 'Tous les rôles.' },
        { name: 'Résultats', description: 'Financeurs (leur territoire) et administrateurs (la France).' },
        { name: 'Participants', description: 'Structures : leurs SIRET seulement.' },
        { name: 'Administration', description: 'Administrateurs.' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  // The index loads its scripts and styles from files, so the site's strict CSP holds, except for one <style> that
  // Swagger UI renders inside its own SVG logo: that exact one is allowed by its hash, on these pages only.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    indexPrefix: '/api',
    uiConfig: { validatorUrl: null, deepLinking: true, defaultModelsExpandDepth: 0 },
    theme: { title: 'API de Sillage – documentation' },
    transformStaticCSP: (header) => header.replace("style-src 'self'", `style-src 'self' '${SWAGGER_LOGO_STYLE_HASH}'`),
  });
  await app.register(apiV1Routes, { ...deps, prefix: '/v1' });
}
