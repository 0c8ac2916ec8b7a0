import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { killAllChildren, profileChildrenInto } from './support/child.js';
import { REPO_ROOT } from './support/paths.js';
import { waitForQuietMachine } from './support/proc.js';
import { renderTable, type Row, type ScenarioResult } from './support/results.js';
import { footprintScenario } from './scenarios/footprint.scenario.js';
import { logsScenario } from './scenarios/logs.scenario.js';
import { mapFanOutScenario } from './scenarios/map-fanout.scenario.js';
import { throughputScenario } from './scenarios/throughput.scenario.js';

/**
 * `npm run bench`: runs every scenario in turn (each starts and stops its own processes), prints the table and
 * writes it with the raw figures to bench/results/<timestamp>.json. `--only=throughput,map,logs,footprint` runs a
 * subset; `--cpu-prof[=dir]` profiles every child process (default dir bench/results/profiles). Exits 1 when a target is missed or a scenario fails.
 */

const SCENARIOS: { key: string; id: number; title: string; run: () => Promise<ScenarioResult> }[] = [
  { key: 'throughput', id: 1, title: 'ceiling, full path and latency', run: throughputScenario },
  { key: 'map', id: 3, title: 'doMap fan-out', run: mapFanOutScenario },
  { key: 'logs', id: 4, title: 'remote logs', run: logsScenario },
  { key: 'footprint', id: 5, title: 'idle footprint', run: footprintScenario },
];

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}
process.on('exit', killAllChildren);

const profile = process.argv.find((a) => a.startsWith('--cpu-prof'));
if (profile) {
  const dir = profile.includes('=')
    ? profile.slice(profile.indexOf('=') + 1)
    : join(REPO_ROOT, 'bench/results/profiles');
  profileChildrenInto(dir);
  console.log(`CPU profiles of the child processes go to ${dir} (open them in Chrome DevTools)`);
}

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const selected = SCENARIOS.filter((s) => !only || only.includes(s.key));
if (selected.length === 0) {
  console.error(`Nothing to run; --only takes ${SCENARIOS.map((s) => s.key).join(', ')}`);
  process.exit(2);
}

const startedAt = new Date();
const loadBefore = loadavg()[0];
if (loadBefore > 0.5) {
  console.log(
    `note: the machine is already busy (1-min load average ${loadBefore.toFixed(2)}); latency and throughput figures will suffer`,
  );
}
const rows: Row[] = [];
const data: Record<string, unknown> = {};
for (const scenario of selected) {
  const t0 = Date.now();
  await waitForQuietMachine();
  process.stdout.write(`running ${scenario.key} (${scenario.title}) ... `);
  try {
    const result = await scenario.run();
    rows.push(...result.rows);
    data[scenario.key] = { ...result.data, seconds: (Date.now() - t0) / 1000 };
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.log('failed');
    console.error(error);
    rows.push({
      id: scenario.id,
      metric: scenario.title,
      value: '-',
      target: '-',
      verdict: 'error',
      note: (error as Error).message,
    });
    data[scenario.key] = { error: (error as Error).message };
  }
}

const machine = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadavg()[0],
};
console.log(
  `\nnestjs-snail-job bench - ${startedAt.toISOString()} - Node ${machine.node}, ${machine.cpus} cores`,
);
console.log(renderTable(rows));

const dir = join(REPO_ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ startedAt: startedAt.toISOString(), seconds: (Date.now() - startedAt.getTime()) / 1000, machine, rows, data }, null, 2)}\n`,
);
console.log(`\nresults written to ${file}`);
process.exitCode = rows.some((r) => r.verdict === 'FAIL' || r.verdict === 'error') ? 1 : 0;
