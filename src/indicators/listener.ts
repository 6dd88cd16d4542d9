import pg from 'pg';
import { INDICATORS_CHANNEL } from './refresh.js';

/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'sillage-indicateurs';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 30_000;

export type ListenerLog = { warn(message: string): void; info(message: string): void };

/**
 * LISTEN sillage_indicators on a connection of its own, opened again with backoff whenever it ends (a PostgreSQL
 * restart, pg_terminate_backend). `changed` runs on every notification, and when the connection is lost and
 * back: a refresh announced meanwhile was missed.
 */
export class IndicatorListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private delayMs = FIRST_RETRY_MS;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly changed: () => void,
    private readonly log: ListenerLog,
  ) {}

  /** The first connection: a server that cannot reach its database fails at start, as before. */
  async start(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    // keepAlive: a connection cut without a word (a vanished host) still ends, and is reopened.
    const client = new pg.Client({ ...this.config, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    client.on('notification', () => this.changed());
    // An ended connection emits 'error' then 'end': 'end' reconnects.
    client.on('error', () => undefined);
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${INDICATORS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delayMs = FIRST_RETRY_MS;
  }

  private lost(client: pg.Client): void {
    if (this.closed || client !== this.client) return;
    this.client = null;
    this.changed();
    this.log.warn('écoute des rafraîchissements des indicateurs interrompue : reconnexion');
    this.schedule();
  }

  private schedule(): void {
    this.retry = setTimeout(async () => {
      this.retry = null;
      try {
        await this.listen();
      } catch {
        this.delayMs = Math.min(this.delayMs * 2, LAST_RETRY_MS);
        if (!this.closed) this.schedule();
        return;
      }
      if (this.closed) return;
      this.changed();
      this.log.info('écoute des rafraîchissements des indicateurs rétablie');
    }, this.delayMs);
    // A pending retry must not keep a closing process alive.
    this.retry.unref();
  }
}
