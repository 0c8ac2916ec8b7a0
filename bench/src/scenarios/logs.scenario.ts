import { BenchChild } from '../support/child.js';
import { nextTaskId } from '../support/ids.js';
import { benchScript } from '../support/paths.js';
import { DriverPeer, waitUntil } from '../support/peer.js';
import { fmt, verdict, type ScenarioResult } from '../support/results.js';
import { readRss, RssSampler } from '../support/proc.js';
import { mib, msSince, sleep } from '../support/stats.js';
import { dispatchBody } from '../support/wire.js';

const TASKS = 100;
const LINES_PER_TASK = 1_000;
const LINES = TASKS * LINES_PER_TASK;

/**
 * Benchmark 4: 100 concurrent tasks each write 1,000 lines through `SnailJobLog.REMOTE.info`. Measures lines per
 * second until the peer has received all 100,000 entries, the client's worst event-loop stall meanwhile, and its
 * peak RSS above the settled baseline. Skipped when the library does not export `SnailJobLog`.
 */
export async function logsScenario(): Promise<ScenarioResult> {
  const peer = await new DriverPeer().start();
  const app = await BenchChild.start(benchScript('apps/bench-app.js'), {
    env: { BENCH_SERVER_PORT: String(peer.port) },
    execArgv: ['--expose-gc'],
  });
  try {
    if (app.ready.remoteLog !== true) {
      return {
        rows: [
          {
            id: 4,
            metric: `remote logs: ${fmt(LINES)} lines from ${TASKS} tasks`,
            value: '-',
            target: 'no stall > 50 ms',
            verdict: 'skipped',
            note: 'skipped: SnailJobLog not available',
          },
        ],
        data: { skipped: 'SnailJobLog not available' },
      };
    }
    await peer.waitRegistered();
    peer.connect(Number(app.ready.port));
    await app.request('gc');
    await sleep(200);
    const baseline = readRss(app.pid).rss;
    const sampler = new RssSampler(app.pid);
    await app.request('loopDelayStart');
    let reports = 0;
    let failedReports = 0;
    let failedAcks = 0;
    peer.onReport = (_id, success) => {
      reports++;
      if (!success) failedReports++;
    };
    const start = process.hrtime.bigint();
    for (let i = 0; i < TASKS; i++) {
      peer.dispatch(
        dispatchBody({ executor: 'logJob', taskId: nextTaskId(), jobParams: String(LINES_PER_TASK) }),
        (error, reply) => {
          if (error || reply?.data !== 'true') failedAcks++;
        },
      );
    }
    let timedOut = false;
    await waitUntil(() => peer.counts.logEntries >= LINES, 60_000, 'all remote log lines').catch(() => {
      timedOut = true;
    });
    const allLinesMs = msSince(start);
    await waitUntil(() => reports + failedAcks >= TASKS, 15_000, 'the log tasks to report');
    const loop = await app.request<{ maxMs: number; p99Ms: number }>('loopDelayStop');
    const peak = sampler.stop();
    const linesPerSec = (peer.counts.logEntries * 1000) / allLinesMs;
    const complete = !timedOut && peer.counts.logEntries === LINES && failedAcks + failedReports === 0;
    return {
      rows: [
        {
          id: 4,
          metric: `remote logs: ${fmt(LINES)} lines from ${TASKS} tasks`,
          value: `${fmt(linesPerSec)} lines/s`,
          target: '-',
          verdict: complete ? 'info' : 'FAIL',
          note: `${peer.counts.logRequests} requests${complete ? '' : `, INCOMPLETE: ${peer.counts.logEntries} lines arrived`}`,
        },
        {
          id: 4,
          metric: 'remote logs: max event-loop delay',
          value: `${fmt(loop.maxMs, 1)} ms`,
          target: '<= 50 ms',
          verdict: verdict(loop.maxMs <= 50),
          note: `p99 ${fmt(loop.p99Ms, 1)} ms`,
        },
        {
          id: 4,
          metric: 'remote logs: peak RSS increase',
          value: `${fmt(mib(peak - baseline), 1)} MiB`,
          target: '-',
          verdict: 'info',
          note: `baseline ${fmt(mib(baseline), 1)} MiB`,
        },
      ],
      data: {
        lines: LINES,
        received: peer.counts.logEntries,
        requests: peer.counts.logRequests,
        allLinesMs,
        linesPerSec,
        eventLoop: loop,
        baselineRssBytes: baseline,
        peakRssBytes: peak,
        failedAcks,
        failedReports,
      },
    };
  } finally {
    await app.stop();
    await peer.close();
  }
}
