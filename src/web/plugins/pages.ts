import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { ROLE_LABELS, type SessionUser } from '../../accounts/roles.js';
import { mayOpen } from '../access.js';
import { formatters } from '../format.js';

export const VIEWS_DIR = fileURLToPath(new URL('../../../views', import.meta.url));
const require = createRequire(import.meta.url);
// Neither package exports its dist folder: locate it from the entry point the package does export.
const DSFR_DIST = path.dirname(require.resolve('@gouvfr/dsfr/dist/dsfr.module.min.js'));
const CHART_DIST = path.join(path.dirname(require.resolve('chart.js')), '..', 'dist');

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page with what every page needs: the user, the navigation, the CSRF token, formatters. */
    page(template: string, data?: Record<string, unknown>): FastifyReply;
    /**
     * The same page, rendered once per key, role and path until the next refresh (app.indicators): only the
     * user's email and CSRF token differ between users, and are filled in at each request.
     */
    cachedPage(key: unknown[], template: string, load: () => Promise<Record<string, unknown>>): Promise<FastifyReply>;
  }
}

// Stand-ins rendered into a kept page; Eta's escaping leaves them intact.
const EMAIL_SLOT = '__sillage_email_slot__';
const CSRF_SLOT = '__sillage_csrf_slot__';
type Slot = typeof EMAIL_SLOT | typeof CSRF_SLOT;

/** A rendered page as encoded bytes between its slots, ready to be filled for each user. */
function splitAtSlots(html: string): (Buffer | Slot)[] {
  return html.split(/(__sillage_email_slot__|__sillage_csrf_slot__)/).map((part, i) => (i % 2 === 1 ? (part as Slot) : Buffer.from(part)));
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const NAVIGATION = [
  { journey: 'employers', href: '/employeurs', label: 'Entreprises engagées' },
  { journey: 'participants', href: '/participants', label: 'Participants' },
  { journey: 'outcomes', href: '/resultats', label: 'Résultats des dispositifs' },
  { journey: 'reports', href: '/rapports', label: 'Rapports' },
  { journey: 'exposures', href: '/exposition', label: 'Étude d’exposition' },
  { journey: 'admin', href: '/admin', label: 'Administration' },
  { journey: 'methodology', href: '/methodologie', label: 'Méthodologie' },
] as const;

export const pagesPlugin = fp(
  async (app: FastifyInstance) => {
    // Templates compiled once per process (set NODE_ENV=development to edit them without restarting).
    const production = process.env.NODE_ENV !== 'development';
    await app.register(fastifyView, { engine: { eta: new Eta({ cache: production }) }, root: VIEWS_DIR, viewExt: 'eta', production });
    await app.register(fastifyStatic, { root: path.join(VIEWS_DIR, 'static'), prefix: '/static/', maxAge: '1h' });
    await app.register(fastifyStatic, { root: DSFR_DIST, prefix: '/dsfr/', decorateReply: false, maxAge: '1d' });
    await app.register(fastifyStatic, { root: CHART_DIST, prefix: '/vendor/chartjs/', decorateReply: false, maxAge: '1d' });
    const pageData = (user: SessionUser | null, path: string, data: Record<string, unknown>) => ({
      ...formatters,
      ...data,
      user,
      roleLabel: user ? ROLE_LABELS[user.role] : null,
      csrfToken: user?.csrfToken ?? data.csrfToken ?? '',
      navigation: NAVIGATION.filter((item) => mayOpen(user, item.journey)).map((item) => ({
        ...item,
        current: path === item.href || path.startsWith(`${item.href}/`),
      })),
    });
    const pathOf = (reply: FastifyReply) => reply.request.url.split('?')[0] as string;
    app.decorateReply('page', function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      return this.view(template, pageData(this.request.user, pathOf(this), data));
    });
    app.decorateReply(
      'cachedPage',
      async function (this: FastifyReply, key: unknown[], template: string, load: () => Promise<Record<string, unknown>>) {
        const user = this.request.user;
        const path = pathOf(this);
        const page = await app.indicators.get(['page', template, user?.role, path, key], async () => {
          const stand = user ? { ...user, email: EMAIL_SLOT, csrfToken: CSRF_SLOT } : null;
          return splitAtSlots(await app.view(template, pageData(stand, path, await load())));
        });
        // Bytes copied around the slots: no search through, nor re-encoding of, a page of hundreds of kilobytes.
        const fill = { [EMAIL_SLOT]: Buffer.from(escapeHtml(user?.email ?? '')), [CSRF_SLOT]: Buffer.from(user?.csrfToken ?? '') };
        const body = Buffer.concat(page.map((part) => (typeof part === 'string' ? fill[part] : part)));
        return this.type('text/html; charset=utf-8').send(body);
      },
    );
  },
  { name: 'pages', dependencies: ['session', 'indicator-cache'] },
);
