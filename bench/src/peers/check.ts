/**
 * `npm run test:peers`: the same scenarios with each client against the real SnailJob server and against our dev
 * server; each must end the same way on both. Where the real server cannot be started here, the dev server's
 * outcomes are compared with those the real server gave in the last recorded run (bench/src/peers/real-outcomes.json,
 * written by `--record`). Exit code 1 on any difference.
 *
 *   npm run test:peers                          # node and python clients; real server when it can be started
 *   npm run test:peers -- --clients=node,python,java --servers=dev,real --record
 *   npm run test:peers -- --strict              # a client that cannot be installed fails the run (CI)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT as REPO_ROOT } from './paths.js';
import { ALL_CLIENTS, type PeerClient } from './clients.js';
import { DevServerTarget } from './dev-target.js';
import { PeerMeasurement, QUICK_PLAN } from './measure.js';
import { killAllManaged } from './process.js';
import { realTarget } from './real-target.js';
import { SCENARIOS } from './scenarios.js';
import type { PeerTarget } from './target.js';

type Outcomes = Record<string, Record<string, string>>;

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: 'node,python' },
    servers: { type: 'string', default: 'real,dev' },
    only: { type: 'string' },
    record: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const clientKeys = args.clients.split(',');
const serverKeys = args.servers.split(',');
const only = args.only?.split(',');
const recordedFile = join(REPO_ROOT, 'bench/src/peers/real-outcomes.json');
const logDir = mkdtempSync(join(tmpdir(), 'peers-check-'));
process.on('exit', killAllManaged);
process.on('SIGINT', () => {
  killAllManaged();
  process.exit(130);
});

const started = performance.now();
const log = (m: string): void =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}`);

const clients: PeerClient[] = [];
const unprepared: string[] = [];
for (const key of clientKeys) {
  const client = ALL_CLIENTS.find((c) => c.key === key);
  if (!client) throw new Error(`unknown client ${key}`);
  const reason = client.prepare();
  if (reason) {
    console.log(`not checked: ${client.name}: ${reason}`);
    unprepared.push(client.name);
    continue;
  }
  clients.push(client);
}
const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.name));

async function runAll(target: PeerTarget): Promise<Outcomes> {
  const out: Outcomes = {};
  await target.start();
  try {
    for (const client of clients) {
      const m = new PeerMeasurement(client, target, QUICK_PLAN, logDir);
      out[client.key] = {};
      try {
        await m.start();
        log(`${client.name} on the ${target.name}: registered`);
        for (const s of scenarios) {
          let outcome: string;
          try {
            await m.ready(30_000);
            outcome = await s.run({ target, client });
          } catch (e) {
            outcome = `error: ${(e as Error).message}`;
          }
          out[client.key][s.name] = outcome;
          log(`  ${s.name}: ${outcome}`);
        }
      } catch (e) {
        log(`  ${client.name}: ${(e as Error).message}`);
        out[client.key].start = `error: ${(e as Error).message}`;
      } finally {
        await m.stop();
      }
    }
  } finally {
    await target.stop();
  }
  return out;
}

const results: Record<string, Outcomes> = {};
let realReason: string | undefined;
for (const key of serverKeys) {
  if (key === 'dev') results.dev = await runAll(new DevServerTarget(logDir));
  if (key === 'real') {
    const real = await realTarget((line) => log(`  real server: ${line}`));
    if (typeof real === 'string') realReason = real;
    else {
      try {
        results.real = await runAll(real);
      } catch (e) {
        realReason = `it did not start: ${(e as Error).message.split('\n')[0]}`;
        log(`real server: ${realReason}`);
      }
    }
  }
}

let reference = results.real;
let referenceName = 'real server (this run)';
if (!reference && results.dev) {
  reference = JSON.parse(readFileSync(recordedFile, 'utf8')) as Outcomes;
  referenceName = `real server (recorded in bench/src/peers/real-outcomes.json; not started now: ${realReason ?? 'not asked for'})`;
}
if (args.record && results.real) {
  const merged = { ...(JSON.parse(readFileSync(recordedFile, 'utf8')) as Outcomes), ...results.real };
  writeFileSync(recordedFile, `${JSON.stringify(merged, null, 2)}\n`);
  log(`recorded the real server's outcomes in ${recordedFile}`);
}

let passed = 0;
let failed = 0;
if (results.dev && reference) {
  console.log(`\ndev server compared with the ${referenceName}:`);
  for (const client of clients) {
    for (const s of scenarios) {
      const dev = results.dev[client.key]?.[s.name];
      const real = reference[client.key]?.[s.name];
      if (real === undefined) {
        console.log(
          `  ?    ${client.key} ${s.name}: no outcome on the real server to compare with (dev: ${dev})`,
        );
        continue;
      }
      if (dev === real) {
        passed++;
        console.log(`  same ${client.key} ${s.name}: ${dev}`);
      } else {
        failed++;
        console.log(`  DIFF ${client.key} ${s.name}:\n         dev:  ${dev}\n         real: ${real}`);
      }
    }
  }
}
if (args.strict) failed += unprepared.length;
console.log(
  `\npeers: ${passed} passed, ${failed} failed` +
    (unprepared.length
      ? ` (not checked: ${unprepared.join(', ')}${args.strict ? ', counted as failed' : ''})`
      : ''),
);
if (passed + failed === 0) console.log('nothing was compared: no real-server outcomes for these clients');
process.exitCode = failed > 0 || passed + failed === 0 ? 1 : 0;
