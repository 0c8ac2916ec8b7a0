import { BenchChild } from '../support/child.js';
import { nextTaskId } from '../support/ids.js';
import { benchScript } from '../support/paths.js';
import { DriverPeer, waitUntil } from '../support/peer.js';
import { busy, fmt, verdict, type ScenarioResult } from '../support/results.js';
import { CpuMeter, readRss, RssSampler, waitForQuietMachine } from '../support/proc.js';
import { mib, msSince, sleep } from '../support/stats.js';
import { dispatchBody } from '../support/wire.js';

const ITEMS = 100_000;

/**
 * Benchmark 3: one ROOT_MAP task whose handler calls `doMap` with 100,000 small objects. Measures the time from
 * the dispatch until the peer has accepted every sub-task, and the client's peak RSS above its settled, GC'd
 * baseline (the items themselves are built before the baseline: they are the user's data).
 */
export async function mapFanOutScenario(): Promise<ScenarioResult> {
  const peer = await new DriverPeer().start();
  const app = await BenchChild.start(benchScript('apps/bench-app.js'), {
    env: { BENCH_SERVER_PORT: String(peer.port) },
    execArgv: ['--expose-gc'],
    stdout: 'inherit',
  });
  try {
    await peer.waitRegistered();
    peer.connect(Number(app.ready.port));
    await app.request('prepareFanOut', ITEMS);
    await waitForQuietMachine();
    await app.request('gc');
    await sleep(200);
    const baseline = readRss(app.pid).rss;
    const sampler = new RssSampler(app.pid);
    const meter = new CpuMeter([process.pid, app.pid]);
    let acceptedMs = 0;
    let rootReportedMs = 0;
    let rootSucceeded = false;
    const taskId = nextTaskId();
    const start = process.hrtime.bigint();
    peer.onMapTask = () => {
      if (peer.counts.mapItems >= ITEMS && acceptedMs === 0) acceptedMs = msSince(start);
    };
    peer.onReport = (id, success) => {
      if (id === taskId) {
        rootReportedMs = msSince(start);
        rootSucceeded = success;
      }
    };
    let ack = '';
    peer.dispatch(dispatchBody({ executor: 'fanOutJob', taskId, taskType: 4 }), (error, reply) => {
      ack = error ? error.message : (reply?.data ?? '');
    });
    await waitUntil(() => rootReportedMs > 0, 60_000, 'the ROOT_MAP task to finish its doMap');
    const peak = sampler.stop();
    const { otherCores } = meter.read();
    const extraMb = mib(peak - baseline);
    const seconds = acceptedMs / 1000;
    const complete = peer.counts.mapItems === ITEMS && rootSucceeded && ack === 'true';
    return {
      rows: [
        {
          id: 3,
          metric: `doMap ${fmt(ITEMS)} items: all sub-tasks accepted`,
          value: `${fmt(seconds, 2)} s`,
          target: '< 5 s',
          verdict: verdict(complete && seconds < 5),
          note: `${peer.counts.mapRequests} requests${busy(otherCores)}${complete ? '' : `, INCOMPLETE: ${peer.counts.mapItems} items, ack ${ack}`}`,
        },
        {
          id: 3,
          metric: 'doMap peak RSS increase',
          value: `${fmt(extraMb, 1)} MiB`,
          target: '< 100 MB',
          verdict: verdict(extraMb * 1.048576 < 100),
          note: `baseline ${fmt(mib(baseline), 1)} MiB`,
        },
      ],
      data: {
        items: ITEMS,
        requests: peer.counts.mapRequests,
        acceptedItems: peer.counts.mapItems,
        allAcceptedMs: acceptedMs,
        rootReportedMs,
        baselineRssBytes: baseline,
        peakRssBytes: peak,
        extraRssMiB: extraMb,
        otherCores,
      },
    };
  } finally {
    await app.stop();
    await peer.close();
  }
}
