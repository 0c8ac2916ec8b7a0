import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenchChild } from '../support/child.js';
import { benchScript, benchScriptUrl, REPO_ROOT } from '../support/paths.js';
import { DriverPeer } from '../support/peer.js';
import { fmt, verdict, type ScenarioResult } from '../support/results.js';
import { median, mib, sleep } from '../support/stats.js';

const SETTLE_MS = 2_000;
const SAMPLES = 3;

/**
 * Benchmark 5: idle RSS of the example app (registered with a bare peer) against an empty Nest app on the same
 * HTTP stack, each in its own process, measured after settling and a forced GC through a preloaded probe.
 */
export async function footprintScenario(): Promise<ScenarioResult> {
  const exampleMain = join(REPO_ROOT, 'apps/example/dist/main.js');
  if (!existsSync(exampleMain)) throw new Error(`${exampleMain} is missing; run npm run build first`);
  const execArgv = ['--expose-gc', '--import', benchScriptUrl('apps/probe.js')];
  const http = { PORT: '0', HTTP_HOST: '127.0.0.1' };

  const peer = await new DriverPeer().start();
  let example: number[];
  try {
    const app = await BenchChild.start(exampleMain, {
      execArgv,
      waitReady: false,
      env: {
        ...http,
        SNAIL_SERVER_HOST: '127.0.0.1',
        SNAIL_SERVER_PORT: String(peer.port),
        SNAIL_HOST_IP: '127.0.0.1',
        SNAIL_HOST_PORT: '0',
        SNAIL_BIND_HOST: '127.0.0.1',
      },
    });
    try {
      await peer.waitRegistered();
      example = await settledRss(app);
    } finally {
      await app.stop();
    }
  } finally {
    await peer.close();
  }

  const bareApp = await BenchChild.start(benchScript('apps/bare-nest.js'), { execArgv, env: http });
  let bare: number[];
  try {
    bare = await settledRss(bareApp);
  } finally {
    await bareApp.stop();
  }

  const exampleRss = median(example);
  const bareRss = median(bare);
  const extra = mib(exampleRss - bareRss);
  return {
    rows: [
      {
        id: 5,
        metric: 'idle RSS: example app / bare Nest (express)',
        value: `${fmt(mib(exampleRss), 1)} / ${fmt(mib(bareRss), 1)} MiB`,
        target: '-',
        verdict: 'info',
        note: `after ${SETTLE_MS / 1000} s + GC, median of ${SAMPLES}`,
      },
      {
        id: 5,
        metric: 'idle RSS: example app extra',
        value: `${fmt(extra, 1)} MiB`,
        target: '< 15 MB',
        verdict: verdict(extra * 1.048576 < 15),
      },
    ],
    data: { exampleRssBytes: example, bareNestRssBytes: bare, extraMiB: extra, settleMs: SETTLE_MS },
  };
}

/** RSS samples (bytes) of a settled app, each after a forced GC. */
async function settledRss(app: BenchChild): Promise<number[]> {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await app.request('gc');
    await sleep(100);
    samples.push((await app.request<NodeJS.MemoryUsage>('memory')).rss);
  }
  return samples;
}
