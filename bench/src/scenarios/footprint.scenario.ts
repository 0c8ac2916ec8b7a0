import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenchChild } from '../support/child.js';
import { benchScript, benchScriptUrl, REPO_ROOT } from '../support/paths.js';
import { DriverPeer } from '../support/peer.js';
import { fmt, verdict, type ScenarioResult } from '../support/results.js';
import { median, mib, sleep } from '../support/stats.js';

const SETTLE_MS = 1_500;
/** Each app is started this many times, alternating, and its median taken: RSS varies by MiBs between processes. */
const ROUNDS = 3;
const HTTP_ENV = { PORT: '0', HTTP_HOST: '127.0.0.1' };
const EXEC_ARGV = (): string[] => ['--expose-gc', '--import', benchScriptUrl('apps/probe.js')];

/** Memory of one settled, GC'd process, in bytes. */
interface Footprint {
  rss: number;
  heapUsed: number;
}

/**
 * Benchmark 5: idle RSS of the example app (registered with a bare peer) against an empty Nest app on the same
 * HTTP stack, each in its own process, measured after settling and a forced GC through a preloaded probe. The two
 * are started alternately, three times each, and compared by their medians.
 */
export async function footprintScenario(): Promise<ScenarioResult> {
  const exampleMain = join(REPO_ROOT, 'apps/example/dist/main.js');
  if (!existsSync(exampleMain)) throw new Error(`${exampleMain} is missing; run npm run build first`);
  const example: Footprint[] = [];
  const bare: Footprint[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    example.push(await exampleFootprint(exampleMain));
    bare.push(await bareFootprint());
  }
  const exampleRss = median(example.map((f) => f.rss));
  const bareRss = median(bare.map((f) => f.rss));
  const heapExtra = mib(median(example.map((f) => f.heapUsed)) - median(bare.map((f) => f.heapUsed)));
  const extra = mib(exampleRss - bareRss);
  return {
    rows: [
      {
        id: 5,
        metric: 'idle RSS: example app / bare Nest (express)',
        value: `${fmt(mib(exampleRss), 1)} / ${fmt(mib(bareRss), 1)} MiB`,
        target: '-',
        verdict: 'info',
        note: `medians of ${ROUNDS} processes each, ${SETTLE_MS / 1000} s after start + GC`,
      },
      {
        id: 5,
        metric: 'idle RSS: example app extra',
        value: `${fmt(extra, 1)} MiB`,
        target: '< 15 MB',
        verdict: verdict(extra * 1.048576 < 15),
        note: `of which JS heap ${fmt(heapExtra, 1)} MiB; runs ${example.map((f, i) => fmt(mib(f.rss - bare[i].rss), 1)).join(', ')} MiB`,
      },
    ],
    data: {
      example,
      bareNest: bare,
      extraMiB: extra,
      heapExtraMiB: heapExtra,
      settleMs: SETTLE_MS,
      rounds: ROUNDS,
    },
  };
}

/** The example app, pointed at a driver peer; settled once it registered its executors. */
async function exampleFootprint(exampleMain: string): Promise<Footprint> {
  const peer = await new DriverPeer().start();
  try {
    const app = await BenchChild.start(exampleMain, {
      execArgv: EXEC_ARGV(),
      waitReady: false,
      env: {
        ...HTTP_ENV,
        SNAIL_SERVER_HOST: '127.0.0.1',
        SNAIL_SERVER_PORT: String(peer.port),
        SNAIL_HOST_IP: '127.0.0.1',
        SNAIL_HOST_PORT: '0',
        SNAIL_BIND_HOST: '127.0.0.1',
      },
    });
    try {
      await peer.waitRegistered();
      return await settled(app);
    } finally {
      await app.stop();
    }
  } finally {
    await peer.close();
  }
}

/** An empty Nest app on express, settled once it listens. */
async function bareFootprint(): Promise<Footprint> {
  const app = await BenchChild.start(benchScript('apps/bare-nest.js'), {
    execArgv: EXEC_ARGV(),
    env: HTTP_ENV,
  });
  try {
    return await settled(app);
  } finally {
    await app.stop();
  }
}

/** Memory of an app after it settled and was garbage-collected. */
async function settled(app: BenchChild): Promise<Footprint> {
  await sleep(SETTLE_MS);
  await app.request('gc');
  await sleep(100);
  const usage = await app.request<NodeJS.MemoryUsage>('memory');
  return { rss: usage.rss, heapUsed: usage.heapUsed };
}
