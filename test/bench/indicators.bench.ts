// npm run bench:indicators -- [--persons N] [--months M]
// Loads N persons over M months, times a full refresh of the indicators (CONCURRENTLY, as Sillage does it)
// against a plain REFRESH of the same views in the same run, then ingests one more month and refreshes again.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MATERIALIZED_VIEWS, type RefreshTimings, refreshIndicators } from '../../src/indicators/refresh.js';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { importRegister } from '../../src/registers/import.js';
import { openBenchServer } from './bench-server.js';

const NIR_KEY = 'cle-de-banc-d-essai-sillage-0123456789';
const { values } = parseArgs({ options: { persons: { type: 'string', default: '100000' }, months: { type: 'string', default: '24' } } });
const persons = Number(values.persons);
const months = Number(values.months);

const server = await openBenchServer();
const DATABASE = 'sillage_bench_indicators';
const target = await server.freshDatabase(DATABASE);

const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};
const folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-bench-'));
try {
  process.stdout.write(`Génération de ${persons} personnes sur ${months} + 1 mois...\n`);
  execFileSync(
    process.execPath,
    ['bin/sillage.js', 'seed', '--persons', String(persons), '--months', String(months + 1), '--out', folder],
    {
      stdio: 'inherit',
    },
  );
  const monthFolders = (await readdir(path.join(folder, 'dsn'))).sort().map((month) => path.join(folder, 'dsn', month));
  const lastMonth = monthFolders.pop() as string;
  process.stdout.write(`Chargement de ${monthFolders.length} mois...\n`);
  await ingestDsn(target.pool, monthFolders, { nirKey: NIR_KEY });
  await importRegister(target.pool, 'participants', path.join(folder, 'registres', 'participants.csv'), NIR_KEY);
  await importRegister(target.pool, 'passes', path.join(folder, 'registres', 'pass-iae.csv'), NIR_KEY);
  await target.pool.query('analyze');

  // The baseline: the same views recomputed without CONCURRENTLY (pages would be blocked meanwhile).
  const plain = await seconds(async () => {
    for (const view of MATERIALIZED_VIEWS) await target.pool.query(`refresh materialized view ${view}`);
  });
  let timings: RefreshTimings = { seconds: 0, views: {} };
  const full = await seconds(async () => {
    timings = await refreshIndicators(target.pool);
  });
  const monthIngest = await seconds(() => ingestDsn(target.pool, [lastMonth], { nirKey: NIR_KEY }));
  const monthRefresh = await seconds(() => refreshIndicators(target.pool));
  const oneMonth = monthIngest + monthRefresh;
  const { rows } = await target.pool.query<{ bytes: number; person_months: number }>(
    `select pg_database_size(current_database()) as bytes, (select count(*) from person_months)::int as person_months`,
  );
  const { bytes, person_months: personMonths } = rows[0] as { bytes: number; person_months: number };
  const report: [string, string][] = [
    ['Données', `${persons} personnes, ${months} mois, puis 1 mois de plus`],
    [
      'Rafraîchissement complet',
      `${full.toFixed(1)} s (${Object.entries(timings.views)
        .map(([v, s]) => `${v} ${s.toFixed(1)} s`)
        .join(', ')})`,
    ],
    ['REFRESH simple (référence)', `${plain.toFixed(1)} s`],
    ['Ratio CONCURRENTLY / simple', (full / plain).toFixed(2)],
    [
      'Un mois de plus : ingestion + rafraîchissement',
      `${oneMonth.toFixed(1)} s (ingestion ${monthIngest.toFixed(1)} s, rafraîchissement ${monthRefresh.toFixed(1)} s)`,
    ],
    [
      'Taille de la base par personne-mois',
      `${((bytes / personMonths) * 1).toFixed(0)} octets (${(bytes / 1024 / 1024).toFixed(0)} Mo, ${personMonths} personnes-mois)`,
    ],
  ];
  for (const [label, value] of report) process.stdout.write(`${label.padEnd(48)} ${value}\n`);
} finally {
  await target.close();
  await server.dropDatabase(DATABASE);
  await server.stop();
  await rm(folder, { recursive: true, force: true });
}
