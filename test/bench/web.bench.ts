// npm run bench:web -- [--persons N] [--months M] [--reuse DATABASE]
// Loads N persons over M months (or reuses a loaded database), starts `sillage serve` and a bare Fastify route
// each in its own process, then autocannon at 50 connections on the employer list, the participant list and
// the funder dashboard, signed in as each role. Prints p50/p95 latency and requests per second beside the bare route.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createDemoAccounts } from '../../src/accounts/demo-accounts.js';
import { openSession } from '../../src/accounts/sessions.js';
import { loadDataset } from '../../src/cli/load-dataset.js';
import { connect } from '../../src/db/connection.js';
import { prepareDatabase } from '../../src/db/setup.js';
import { openBenchServer } from './bench-server.js';

const NIR_KEY = 'cle-de-banc-d-essai-sillage-0123456789';
const CONNECTIONS = 50;
const SECONDS = 10;
const { values } = parseArgs({
  options: { persons: { type: 'string', default: '100000' }, months: { type: 'string', default: '24' }, reuse: { type: 'string' } },
});

const server = await openBenchServer();
const name = values.reuse ?? 'sillage_bench_web';
const target = values.reuse ? await reuseDatabase(name) : await server.freshDatabase(name);
const children: ChildProcess[] = [];
try {
  if (!values.reuse) await loadData(target.pool, Number(values.persons), Number(values.months));
  const { rows } = await target.pool.query<{ count: number }>('select count(*)::int as count from users where demo');
  if (rows[0]?.count === 0) await createDemoAccounts(target.db);
  const cookieOf = async (role: string) => {
    const user = await target.db.selectFrom('users').select('id').where('email', '=', `${role}@demo.sillage.fr`).executeTakeFirstOrThrow();
    return `sillage_session=${await openSession(target.db, user.id)}`;
  };
  const sillage = await startProcess(['bin/sillage.js', 'serve'], {
    DATABASE_URL: target.url,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SILLAGE_NIR_KEY: NIR_KEY,
  });
  const bare = await startProcess(['--import', 'tsx', 'test/bench/bare-server.ts'], {});
  const runs: [string, string, string | undefined][] = [
    ['Route Fastify nue (référence)', `${bare}/`, undefined],
    ['Liste des employeurs (conseiller)', `${sillage}/employeurs`, await cookieOf('conseiller')],
    ['Liste des participants (structure)', `${sillage}/participants`, await cookieOf('structure')],
    ['Tableau de bord financeur', `${sillage}/resultats`, await cookieOf('financeur')],
  ];
  process.stdout.write(`autocannon : ${CONNECTIONS} connexions, ${SECONDS} s par page (après 2 s de chauffe)\n`);
  let baseline = 0;
  for (const [label, url, cookie] of runs) {
    const result = await measure(url, cookie);
    if (baseline === 0) baseline = result.perSecond;
    const ratio = label.includes('référence') ? '' : `  (${(result.perSecond / baseline).toFixed(2)} × la référence)`;
    process.stdout.write(
      `${label.padEnd(38)} p50 ${result.p50.toFixed(1).padStart(6)} ms  p95 ${result.p95.toFixed(1).padStart(6)} ms  ${Math.round(result.perSecond).toString().padStart(6)} req/s${ratio}${result.errors ? `  ${result.errors} réponses en erreur` : ''}\n`,
    );
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  await target.close();
  if (!values.reuse) await server.dropDatabase(name);
  await server.stop();
}

async function reuseDatabase(database: string) {
  const base = new URL(process.env.DATABASE_URL ?? '');
  base.pathname = `/${database}`;
  const handle = connect(base.toString(), 4);
  await prepareDatabase(handle);
  return handle;
}

async function loadData(pool: import('pg').Pool, persons: number, months: number) {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sillage-bench-'));
  try {
    process.stdout.write(`Génération et chargement de ${persons} personnes sur ${months} mois...\n`);
    execFileSync(process.execPath, ['bin/sillage.js', 'seed', '--persons', String(persons), '--months', String(months), '--out', folder], {
      stdio: 'inherit',
    });
    await loadDataset(pool, folder, NIR_KEY, false);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function startProcess(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} s'est arrêté (code ${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /écoute sur (http:\/\/[^/\s]+)\//.exec(chunk.toString());
      if (match) resolve(match[1] as string);
    });
  });
}

/** Latency percentiles from every response's own time: autocannon's summary has no p95. */
async function measure(url: string, cookie: string | undefined) {
  const headers = cookie ? { cookie, accept: 'text/html' } : { accept: 'text/html' };
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const times: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      times.push(responseTime);
      if (status !== 200) errors++;
    });
  });
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), perSecond: result.requests.total / SECONDS, errors };
}
