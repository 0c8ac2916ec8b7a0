import { BenchChild } from '../support/child.js';
import { nextTaskId } from '../support/ids.js';
import { benchScript } from '../support/paths.js';
import { DriverPeer, waitUntil } from '../support/peer.js';
import { readRss, RssSampler, waitForQuietMachine } from '../support/proc.js';
import { fmt, verdict, type Row, type ScenarioResult } from '../support/results.js';
import { QUIET_OTHER_CORES, SegmentRecorder } from '../support/segments.js';
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
  loopNote: string;
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
    note: `default / large queue; worst 1-s p99 ${fmt(defaults.loopP99Ms, 1)} / ${fmt(roomy.loopP99Ms, 1)} ms; ${defaults.loopNote} / ${roomy.loopNote}`,
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

/**
 * A small burst first (10 tasks x 200 lines), so the measured one finds the logging path compiled and warm, as in
 * an app that has been logging for a while; its lines are not counted.
 */
async function warmUp(peer: DriverPeer): Promise<void> {
  const tasks = 10;
  const lines = tasks * 200;
  let reports = 0;
  peer.onReport = () => {
    reports++;
  };
  for (let i = 0; i < tasks; i++) {
    peer.dispatch(
      dispatchBody({ executor: 'logJob', taskId: nextTaskId(), jobParams: '200' }),
      () => undefined,
    );
  }
  await waitUntil(() => reports >= tasks, 15_000, 'the warm-up log tasks');
  await waitUntil(() => peer.counts.logEntries >= lines, 10_000, 'the warm-up log lines').catch(
    () => undefined,
  );
  peer.onReport = () => undefined;
  peer.counts.logEntries = 0;
  peer.counts.logRequests = 0;
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
    await warmUp(peer);
    await waitForQuietMachine();
    await app.request('gc');
    await sleep(200);
    const baseline = readRss(app.pid).rss;
    const sampler = new RssSampler(app.pid);
    const recorder = new SegmentRecorder([process.pid, app.pid]).start();
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
    const slices = await app.request<LoopSlice[]>('loopDelayStop');
    recorder.stop();
    const peak = sampler.stop();
    const loop = loopFigures(slices, recorder);
    return {
      label,
      delivered: peer.counts.logEntries,
      requests: peer.counts.logRequests,
      deliveryMs: lastLogMs,
      linesPerSec: lastLogMs > 0 ? (peer.counts.logEntries * 1000) / lastLogMs : 0,
      loopMaxMs: loop.maxMs,
      loopP99Ms: loop.p99Ms,
      loopNote: loop.note,
      extraRssMiB: mib(peak - baseline),
      baselineRssMiB: mib(baseline),
      failedTasks,
      otherCores: recorder.averageOtherCores(),
    };
  } finally {
    await app.stop();
    await peer.close();
  }
}

/** Event-loop delay of one second of the client's run, ending at `end` (monotonic clock, ns). */
interface LoopSlice {
  end: string;
  maxMs: number;
  p99Ms: number;
}

/**
 * Worst event-loop delay over the seconds in which other processes left the machine alone (a neighbour taking
 * the core stalls our loop too, which says nothing about the library); over all seconds when fewer than two
 * were quiet.
 */
function loopFigures(
  slices: LoopSlice[],
  recorder: SegmentRecorder,
): { maxMs: number; p99Ms: number; note: string } {
  const quietSlices = slices.filter((slice) => {
    const end = BigInt(slice.end);
    const start = end - 1_000_000_000n;
    const overlapping = recorder.segments.filter((s) => s.start < end && s.end > start);
    return overlapping.length > 0 && overlapping.every((s) => s.otherCores < QUIET_OTHER_CORES);
  });
  const used = quietSlices.length >= 2 ? quietSlices : slices;
  return {
    maxMs: Math.max(0, ...used.map((s) => s.maxMs)),
    p99Ms: Math.max(0, ...used.map((s) => s.p99Ms)),
    note:
      used === quietSlices
        ? `quiet ${quietSlices.length}/${slices.length} s`
        : `BUSY MACHINE: others used ${fmt(recorder.averageOtherCores(), 1)} cores`,
  };
}
