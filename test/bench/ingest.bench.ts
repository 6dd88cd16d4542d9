// npm run bench:ingest -- [--persons N] [--months M]
// Generates a data set, ingests it, then COPYs the very rows it produced into an empty twin database:
// the ratio tells what parsing, hashing, resolving and upserting cost over the bare bulk load.
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { ingestDsn } from '../../src/ingest/ingest.js';
import { openBenchServer } from './bench-server.js';

const TABLES = [
  'ingest_runs',
  'declarations',
  'establishments',
  'persons',
  'declared_persons',
  'declared_contracts',
  'declared_contract_ends',
  'declared_work_stoppages',
  'declared_suspensions',
  'contract_hours',
  'contracts',
  'contract_ends',
  'work_stoppages',
  'suspensions',
];
const NIR_KEY = 'cle-de-banc-d-essai-sillage-0123456789';

const { values } = parseArgs({ options: { persons: { type: 'string', default: '20000' }, months: { type: 'string', default: '24' } } });
const persons = Number(values.persons);
const months = Number(values.months);

const server = await openBenchServer();

const folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-bench-'));
try {
  process.stdout.write(`Génération de ${persons} personnes sur ${months} mois...\n`);
  // In a child process, so that the generator's memory does not count in the ingest's peak.
  execFileSync(process.execPath, ['bin/sillage.js', 'seed', '--persons', String(persons), '--months', String(months), '--out', folder], {
    stdio: 'inherit',
  });
  const target = await server.freshDatabase('sillage_bench_ingest');
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const summary = await ingestDsn(target.pool, [path.join(folder, 'dsn')], { nirKey: NIR_KEY });
  const ingestSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const bytes = Number(
    execFileSync('du', ['-sb', path.join(folder, 'dsn')])
      .toString()
      .split('\t')[0],
  );

  // The baseline: the same resulting rows, dumped, then COPYed into the same (empty, indexed) tables.
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const client = await target.pool.connect();
    await pipeline(client.query(copyTo(`copy ${table} to stdout`)), createWriteStream(path.join(folder, `${table}.copy`)));
    counts[table] = Number((await client.query(`select count(*) from ${table}`)).rows[0].count);
    client.release();
  }
  const twin = await server.freshDatabase('sillage_bench_copy');
  const copyClient = await twin.pool.connect();
  const copyStarted = performance.now();
  await copyClient.query('begin');
  for (const table of TABLES) {
    await pipeline(createReadStream(path.join(folder, `${table}.copy`)), copyClient.query(copyFrom(`copy ${table} from stdin`)));
  }
  await copyClient.query('commit');
  const copySeconds = (performance.now() - copyStarted) / 1000;
  copyClient.release();

  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} Mo`;
  const report: [string, string][] = [
    [
      'Entrée',
      `${summary.files} fichiers, ${mb(bytes)}, ${summary.lines.toLocaleString('fr-FR')} lignes DSN, ${summary.declarations} déclarations`,
    ],
    ['Rejets', String(summary.rejected.length)],
    ['Ingestion', `${ingestSeconds.toFixed(2)} s`],
    ['Lignes DSN par seconde', Math.round(summary.lines / ingestSeconds).toLocaleString('fr-FR')],
    [
      'Lignes en base',
      `${rows.toLocaleString('fr-FR')} (${Object.entries(counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')})`,
    ],
    ['Lignes en base par seconde', Math.round(rows / ingestSeconds).toLocaleString('fr-FR')],
    ['COPY seul des mêmes lignes', `${copySeconds.toFixed(2)} s`],
    ['Ratio ingestion / COPY seul', (ingestSeconds / copySeconds).toFixed(2)],
    ['Mémoire (RSS) avant / pic', `${mb(rssBefore)} / ${mb(peakRss)}`],
  ];
  for (const [label, value] of report) process.stdout.write(`${label.padEnd(30)} ${value}\n`);
  await target.close();
  await twin.close();
  await server.dropDatabase('sillage_bench_ingest');
  await server.dropDatabase('sillage_bench_copy');
} finally {
  await server.stop();
  await rm(folder, { recursive: true, force: true });
}
