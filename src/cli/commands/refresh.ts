import { refreshIndicators } from '../../indicators/refresh.js';
import { EXIT_OK, withDatabase } from '../context.js';

const seconds = (value: number) => `${value.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;

export async function refreshCommand(): Promise<number> {
  return withDatabase(async ({ database }) => {
    const timings = await refreshIndicators(database.pool);
    const detail = Object.entries(timings.views).map(([view, value]) => `${view} ${seconds(value)}`);
    process.stdout.write(`Indicateurs recalculés en ${seconds(timings.seconds)} (${detail.join(', ')}).\n`);
    // After an interrupted refresh or a restore, say which indicators pages were showing behind the data.
    if (timings.stale.length > 0) process.stdout.write(`Indicateurs en retard rattrapés : ${timings.stale.join(', ')}.\n`);
    return EXIT_OK;
  });
}
