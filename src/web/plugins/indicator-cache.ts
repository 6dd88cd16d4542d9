import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { INDICATORS_CHANNEL } from '../../indicators/refresh.js';
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
    const listener = await pool.connect();
    listener.on('notification', () => cache.clear());
    listener.on('error', () => cache.clear());
    await listener.query(`listen ${INDICATORS_CHANNEL}`);
    app.addHook('onClose', async () => {
      await listener.query(`unlisten ${INDICATORS_CHANNEL}`).catch(() => undefined);
      listener.release();
    });
  },
  { name: 'indicator-cache' },
);
