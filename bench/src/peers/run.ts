/**
 * `npm run bench:peers`: our client side by side with the Python and Java SnailJob clients, each against our dev
 * server and (where it can be started here) the real SnailJob server, in one run. docs/benchmarks-peers.md says
 * what each figure means and what limits it.
 *
 *   npm run bench:peers                        # every client, every server
 *   npm run bench:peers -- --servers=dev       # only the dev server (also: real)
 *   npm run bench:peers -- --clients=node,python
 *   npm run bench:peers -- --quick             # small sizes, a smoke run
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT as REPO_ROOT } from './paths.js';
import { ALL_CLIENTS, type PeerClient } from './clients.js';
import { DevServerTarget } from './dev-target.js';
import { FULL_PLAN, PeerMeasurement, QUICK_PLAN, type PeerFigures } from './measure.js';
import { killAllManaged } from './process.js';
import { realTarget } from './real-target.js';
import { renderPeerTables } from './report.js';
import type { PeerTarget } from './target.js';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'] as const;
  }),
);
const plan = args.has('quick') ? QUICK_PLAN : FULL_PLAN;
const serverNames = (args.get('servers') ?? 'real,dev').split(',');
const clientNames = (args.get('clients') ?? 'node,python,java').split(',');
const budgetMs = Number(args.get('budget-min') ?? 15) * 60_000;
const started = performance.now();
const overBudget = (): boolean => performance.now() - started > budgetMs;

const logDir = mkdtempSync(join(tmpdir(), 'peers-bench-'));

process.on('SIGINT', () => {
  killAllManaged();
  process.exit(130);
});
process.on('exit', killAllManaged);

function log(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[${s} s] ${message}`);
}

async function step(figures: PeerFigures, what: string, fn: () => Promise<void>): Promise<boolean> {
  if (overBudget()) {
    figures.notes.push(`${what}: skipped (time budget of ${budgetMs / 60_000} min used up)`);
    return false;
  }
  try {
    await fn();
    return true;
  } catch (e) {
    figures.notes.push(`${what}: ${(e as Error).message}`);
    log(`  ${what} failed: ${(e as Error).message}`);
    return false;
  }
}

/** One client against one (running) server; the client is left running for the restart measurement. */
async function measure(m: PeerMeasurement): Promise<void> {
  const f = m.figures;
  log(`${f.client} on the ${f.server}: starting the client`);
  if (!(await step(f, 'start', () => m.start()))) return;
  log(
    `  registered after ${Math.round(f.registerMs ?? 0)} ms${f.blocked ? ` (blocked: ${f.dispatchAnswer ?? ''})` : ''}`,
  );
  if (f.blocked) return;
  await step(f, 'burst', () => m.burst());
  log(`  burst: ${f.burst?.jobsPerSec.toFixed(1)} jobs/s`);
  await step(f, 'logs', () => m.logs());
  log(`  logs: ${JSON.stringify(f.logs)}`);
}

/**
 * The doMap rows of one client, measured after every other row of every client: a map the server has not
 * finished within its limit is stopped, but the real server goes on working through the reports of the items
 * that were already running for minutes here, which spoiled every later row (and the next client's start) when
 * the maps came first.
 */
async function measureMaps(m: PeerMeasurement): Promise<void> {
  const f = m.figures;
  for (const { items, budgetMs } of plan.maps) {
    await step(f, `doMap ${items}`, () => m.map(items, budgetMs));
    log(`  ${f.client} doMap ${items}: ${JSON.stringify(f.maps.at(-1))}`);
  }
}

/**
 * Every client against one server, one after another; then one restart of the server with all of them still
 * running, and each one's time to run a job again (measured side by side: a restart of the real server takes a
 * minute or more here); the doMap rows last.
 */
async function measureAll(target: PeerTarget): Promise<PeerFigures[]> {
  const ms = clients.map((c) => new PeerMeasurement(c, target, plan, logDir));
  try {
    for (const m of ms) await measure(m);
    const stillRunning = (): PeerMeasurement[] => ms.filter((m) => m.process?.running && !m.figures.blocked);
    const running = stillRunning();
    if (running.length > 0 && !overBudget()) {
      log(`restarting the ${target.name}`);
      await target.restart();
      const back = performance.now();
      await Promise.all(running.map((m) => step(m.figures, 'restart', () => m.recoverFrom(back))));
      for (const m of running)
        log(
          m.figures.recoverMs === undefined
            ? `  ${m.figures.client}: no job ran again within the limit`
            : `  ${m.figures.client}: runs jobs again ${Math.round(m.figures.recoverMs)} ms after the restart`,
        );
    }
    for (const m of stillRunning()) await measureMaps(m);
  } finally {
    for (const m of ms) await m.stop();
  }
  return ms.map((m) => m.figures);
}

const servers: PeerTarget[] = [];
const skippedServers: { server: string; reason: string }[] = [];
for (const name of serverNames) {
  if (name === 'dev') servers.push(new DevServerTarget(logDir));
  else if (name === 'real') {
    const real = await realTarget((line) => log(`  real server: ${line}`));
    if (typeof real === 'string') skippedServers.push({ server: 'real SnailJob server', reason: real });
    else servers.push(real);
  }
}

const clients: PeerClient[] = [];
const blockedClients: { client: string; reason: string }[] = [];
for (const name of clientNames) {
  const client = ALL_CLIENTS.find((c) => c.key === name);
  if (!client) throw new Error(`unknown client ${name} (node, python, java)`);
  log(`preparing ${client.name}`);
  const reason = client.prepare();
  if (reason) blockedClients.push({ client: client.name, reason });
  else clients.push(client);
}
blockedClients.push({
  client: 'snail-job-go',
  reason:
    'github.com/open-snail/snail-job-go: reading https://proxy.golang.org/github.com/open-snail/snail-job-go/@v/list: 403 Forbidden (server response: This module version is not available.)',
});

const results: PeerFigures[] = [];
try {
  for (const target of servers) {
    log(`starting the ${target.name}`);
    try {
      await target.start();
    } catch (e) {
      skippedServers.push({ server: target.name, reason: (e as Error).message.split('\n')[0] });
      continue;
    }
    try {
      results.push(...(await measureAll(target)));
    } finally {
      await target.stop();
    }
  }
} finally {
  killAllManaged();
}

const tables = renderPeerTables(
  results,
  [...skippedServers.map((s) => `${s.server}: ${s.reason}`)],
  blockedClients,
);
console.log(`\n${tables}`);
const outDir = join(REPO_ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `peers-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
      plan,
      durationS: (performance.now() - started) / 1000,
      results,
      skippedServers,
      blockedClients,
      logDir,
    },
    null,
    2,
  ),
);
console.log(`\nJSON: ${file}\nlogs of every process: ${logDir}`);
