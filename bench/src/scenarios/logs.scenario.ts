import { BenchChild } from '../support/child.js';
import { nextTaskId } from '../support/ids.js';
import { benchScript } from '../support/paths.js';
import { DriverPeer, waitUntil } from '../support/peer.js';
import { CpuMeter, readRss, RssSampler, waitForQuietMachine } from '../support/proc.js';
import { busy, fmt, verdict, type Row, type ScenarioResult } from '../support/results.js';
import { mib, msSince, sleep } from '../support/stats.js';
import { dispatchBody } from '../support/wire.js';

const TASKS = 100;
const LINES_PER_TASK = 1_000;
const LINES = TASKS * LINES_PER_TASK;
/** After every task reported, lines still arriving are waited for until none came for this long. */
const QUIET_MS = 3_000;
const STALL_LIMIT_MS = 50;

/** One run of the burst against one configuration of the client. */
interface LogRun {
  label: string;
  delivered: number;
  requests: number;
  /** From the first dispatch to the last log request received. */
  deliveryMs: number;
  linesPerSec: number;
  loopMaxMs: number;
  loopP99Ms: number;
  extraRssMiB: number;
  baselineRssMiB: number;
  failedTasks: number;
  otherCores: number;
}

/**
 * Benchmark 4: 100 concurrent tasks each write 1,000 lines through `SnailJobLog.REMOTE.info` as fast as they can
 * (yielding every 10 lines). Run twice: with the default options (a burst this size overflows the bounded log
 * queue, so the row says how much was delivered) and with `SNAIL_LOG_QUEUE_MAX` above the burst (delivery
 * throughput with nothing dropped). Reports lines per second until the last line arrived, the client's worst
 * event-loop stall and its peak RSS above the settled baseline. Skipped when the library does not export
 * `SnailJobLog`.
 */
export async function logsScenario(): Promise<ScenarioResult> {
  const defaults = await logBurst('default options', {});
  if (!defaults) {
    return {
      rows: [
        {
          id: 4,
          metric: `remote logs: ${fmt(LINES)} lines from ${TASKS} tasks`,
          value: '-',
          target: `no stall > ${STALL_LIMIT_MS} ms`,
          verdict: 'skipped',
          note: 'skipped: SnailJobLog not available',
        },
      ],
      data: { skipped: 'SnailJobLog not available' },
    };
  }
  const roomy = (await logBurst(`SNAIL_LOG_QUEUE_MAX=${2 * LINES}`, {
    SNAIL_LOG_QUEUE_MAX: String(2 * LINES),
  }))!;
  const rows: Row[] = [];
  for (const run of [defaults, roomy]) {
    const complete = run.delivered === LINES;
    rows.push({
      id: 4,
      metric: `remote logs, ${run.label}: lines delivered`,
      value: `${fmt(run.linesPerSec)} lines/s`,
      target: '-',
      verdict: run.failedTasks === 0 ? 'info' : 'FAIL',
      note: `${fmt(run.delivered)} of ${fmt(LINES)} in ${fmt(run.deliveryMs)} ms, ${run.requests} requests${complete ? '' : ' (the rest dropped)'}${run.failedTasks ? `, ${run.failedTasks} tasks failed` : ''}`,
    });
  }
  const worst = Math.max(defaults.loopMaxMs, roomy.loopMaxMs);
  rows.push({
    id: 4,
    metric: 'remote logs: max event-loop delay',
    value: `${fmt(defaults.loopMaxMs, 1)} / ${fmt(roomy.loopMaxMs, 1)} ms`,
    target: `<= ${STALL_LIMIT_MS} ms`,
    verdict: verdict(worst <= STALL_LIMIT_MS),
    note: `default / large queue; p99 ${fmt(defaults.loopP99Ms, 1)} / ${fmt(roomy.loopP99Ms, 1)} ms${busy(Math.max(defaults.otherCores, roomy.otherCores))}`,
  });
  rows.push({
    id: 4,
    metric: 'remote logs: peak RSS increase',
    value: `${fmt(defaults.extraRssMiB, 1)} / ${fmt(roomy.extraRssMiB, 1)} MiB`,
    target: '-',
    verdict: 'info',
    note: `default / large queue; baseline ${fmt(defaults.baselineRssMiB, 1)} MiB`,
  });
  return { rows, data: { lines: LINES, tasks: TASKS, runs: [defaults, roomy] } };
}

/** Runs the burst in a fresh client; undefined when the library has no `SnailJobLog`. */
async function logBurst(label: string, env: Record<string, string>): Promise<LogRun | undefined> {
  const peer = await new DriverPeer().start();
  const app = await BenchChild.start(benchScript('apps/bench-app.js'), {
    env: { ...env, BENCH_SERVER_PORT: String(peer.port) },
    execArgv: ['--expose-gc'],
  });
  try {
    if (app.ready.remoteLog !== true) return undefined;
    await peer.waitRegistered();
    peer.connect(Number(app.ready.port));
    await waitForQuietMachine();
    await app.request('gc');
    await sleep(200);
    const baseline = readRss(app.pid).rss;
    const sampler = new RssSampler(app.pid);
    const meter = new CpuMeter([process.pid, app.pid]);
    await app.request('loopDelayStart');
    let reports = 0;
    let failedTasks = 0;
    let lastLogMs = 0;
    peer.onReport = (_id, success) => {
      reports++;
      if (!success) failedTasks++;
    };
    const start = process.hrtime.bigint();
    peer.onLogs = () => {
      lastLogMs = msSince(start);
    };
    for (let i = 0; i < TASKS; i++) {
      peer.dispatch(
        dispatchBody({ executor: 'logJob', taskId: nextTaskId(), jobParams: String(LINES_PER_TASK) }),
        (error, reply) => {
          if (error || reply?.data !== 'true') {
            failedTasks++;
            reports++;
          }
        },
      );
    }
    await waitUntil(() => reports >= TASKS, 60_000, 'the log tasks to finish');
    await waitUntil(
      () => peer.counts.logEntries >= LINES || msSince(start) - Math.max(lastLogMs, 0) > QUIET_MS,
      60_000,
      'the last remote log lines',
    );
    const loop = await app.request<{ maxMs: number; p99Ms: number }>('loopDelayStop');
    const peak = sampler.stop();
    const { otherCores } = meter.read();
    return {
      label,
      delivered: peer.counts.logEntries,
      requests: peer.counts.logRequests,
      deliveryMs: lastLogMs,
      linesPerSec: lastLogMs > 0 ? (peer.counts.logEntries * 1000) / lastLogMs : 0,
      loopMaxMs: loop.maxMs,
      loopP99Ms: loop.p99Ms,
      extraRssMiB: mib(peak - baseline),
      baselineRssMiB: mib(baseline),
      failedTasks,
      otherCores,
    };
  } finally {
    await app.stop();
    await peer.close();
  }
}
