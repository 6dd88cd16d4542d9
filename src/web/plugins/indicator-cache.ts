import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { IndicatorListener } from '../../indicators/listener.js';
import { IndicatorCache } from '../indicator-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    indicators: IndicatorCache;
  }
}

/** One cache per server, emptied whenever any process refreshes the indicators (LISTEN on its own connection). */
export const indicatorCachePlugin = fp(
  async (app: FastifyInstance, { pool }: { pool: pg.Pool }) => {
    const cache = new IndicatorCache();
    app.decorate('indicators', cache);
    // The pool's connection settings; the listener's connection is its own, outside the pool, reopened when lost.
    const listener = new IndicatorListener(pool.options, () => cache.clear(), app.log);
    await listener.start();
    app.addHook('onClose', () => listener.close());
  },
  { name: 'indicator-cache' },
);
