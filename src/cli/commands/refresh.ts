import { refreshIndicators } from '../../indicators/refresh.js';
import { EXIT_OK, withDatabase } from '../context.js';

export async function refreshCommand(): Promise<number> {
  return withDatabase(async ({ database }) => {
    const timings = await refreshIndicators(database.pool);
    const total = Object.values(timings).reduce((sum, seconds) => sum + seconds, 0);
    const detail = Object.entries(timings).map(([view, seconds]) => `${view} ${seconds.toFixed(1)} s`);
    process.stdout.write(`Indicateurs recalculés en ${total.toFixed(1)} s (${detail.join(', ')}).\n`);
    return EXIT_OK;
  });
}
