import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

// No inline script or style anywhere, so the policy can stay strict.
const policy = (frameAncestors: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
const POLICY = policy("'none'");
// The public dashboard's embed is made to sit in other sites' iframes: it alone may be framed, by anyone.
const FRAMEABLE_PATHS: ReadonlySet<string> = new Set(['/public/integrer']);
const FRAMEABLE_POLICY = policy('*');

/** The headers of every answer, also of those sent before any hook runs (a malformed address). */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const frameable = FRAMEABLE_PATHS.has(request.url.split('?')[0] as string);
  reply.header('content-security-policy', frameable ? FRAMEABLE_POLICY : POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  if (!frameable) reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
}

// Files the same for everyone: they keep their caching even when a session cookie comes with them.
const STATIC_PREFIXES = ['/static/', '/dsfr/', '/vendor/'];

/** Whatever a signed-in user is sent (page, export, error) carries their name, scope or token: never kept by a cache. */
async function noStoreWhenSignedIn(request: FastifyRequest, reply: FastifyReply) {
  if (!request.user || STATIC_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return;
  if (!String(reply.getHeader('cache-control') ?? '').includes('no-store')) reply.header('cache-control', 'no-store');
}

export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (request, reply) => {
      setSecurityHeaders(request, reply);
      await noStoreWhenSignedIn(request, reply);
    });
  },
  { name: 'security-headers' },
);
