import { BenchChild } from '../support/child.js';
import { benchScript } from '../support/paths.js';
import { DriverPeer } from '../support/peer.js';
import { waitForQuietMachine } from '../support/proc.js';
import { fmt, verdict, type ScenarioResult } from '../support/results.js';
import { quietSamples, type SegmentRecorder } from '../support/segments.js';
import { latencySummary } from '../support/stats.js';
import {
  closedLoop,
  pacedLoop,
  type ClosedLoopResult,
  type PacedLoopResult,
  type TimedSample,
} from './load.js';

/** Jobs kept in flight by the saturation runs; far above what one client's gRPC server queues in practice. */
const WINDOW = 128;
const WARMUP_MS = 2_000;
const MEASURE_MS = 6_000;
const PACED_RATE = 1_000;
const PACED_WARMUP = 1_000;
const PACED_MEASURED = 6_000;

/**
 * Benchmarks 1 and 2: the bare grpc-js ceiling, then the same driver against a real Nest app with SnailJobModule
 * (saturation throughput, then latency at a paced 1,000 jobs/s). The driver runs in this process, the client under
 * test in a child process, so each side has a core of its own, as in production. Figures come from the seconds in
 * which other processes left the machine alone (see SegmentRecorder).
 */
export async function throughputScenario(): Promise<ScenarioResult> {
  const peer = await new DriverPeer().start();
  try {
    const ceiling = await measureCeiling(peer);
    const full = await measureFullPath(peer);
    const ratio = full.saturation.jobsPerSec / ceiling.jobsPerSec;
    const acks = quiet(full.paced.recorder, full.paced.acks);
    const handler = quiet(full.paced.recorder, full.handler);
    const ackStats = latencySummary(acks.kept.map((s) => s.ns));
    const handlerStats = latencySummary(handler.kept.map((s) => s.ns));
    const errors =
      ceiling.failedAcks + ceiling.failedReports + full.saturation.failedAcks + full.saturation.failedReports;
    return {
      rows: [
        {
          id: 1,
          metric: 'ceiling: bare grpc-js dispatch+report round trips',
          value: `${fmt(ceiling.jobsPerSec)} jobs/s`,
          target: 'baseline',
          verdict: 'info',
          note: `${fmt(ceiling.clientCpuUsPerJob)} us CPU/job in the client; ${quietNote(ceiling)}`,
        },
        {
          id: 2,
          metric: 'full path: no-op cluster jobs through the module',
          value: `${fmt(full.saturation.jobsPerSec)} jobs/s`,
          target: '>= 60 % of (1)',
          verdict: verdict(ratio >= 0.6 && errors === 0),
          note: `${fmt(ratio * 100)} % of (1), ${fmt(full.saturation.clientCpuUsPerJob)} us CPU/job; ${quietNote(full.saturation)}${errors ? `; ${errors} failed acks/reports` : ''}`,
        },
        {
          id: 2,
          metric: `ack latency p50 / p99 @ ${fmt(PACED_RATE)} jobs/s`,
          value: `${fmt(ackStats.p50, 3)} / ${fmt(ackStats.p99, 3)} ms`,
          target: '-',
          verdict: 'info',
          note: `max ${fmt(ackStats.max, 2)} ms, n=${ackStats.count}; ${acks.note}`,
        },
        {
          id: 2,
          metric: `dispatch->handler p50 / p99 @ ${fmt(PACED_RATE)} jobs/s`,
          value: `${fmt(handlerStats.p50, 3)} / ${fmt(handlerStats.p99, 3)} ms`,
          target: 'p99 < 1 ms',
          verdict: verdict(
            handlerStats.p99 < 1 && full.handler.length === PACED_MEASURED && full.paced.failedAcks === 0,
          ),
          note: `max ${fmt(handlerStats.max, 2)} ms, n=${handlerStats.count}; ${handler.note}`,
        },
      ],
      data: {
        ceiling,
        fullPath: full.saturation,
        ratio,
        paced: {
          rate: PACED_RATE,
          achievedRate: full.paced.achievedRate,
          failedAcks: full.paced.failedAcks,
          slices: full.paced.recorder.segments.map((s) => ({
            seconds: Number(s.end - s.start) / 1e9,
            otherCores: s.otherCores,
          })),
        },
        ackLatencyMs: ackStats,
        dispatchToHandlerMs: handlerStats,
        allSlices: {
          ackLatencyMs: latencySummary(full.paced.acks.map((s) => s.ns)),
          dispatchToHandlerMs: latencySummary(full.handler.map((s) => s.ns)),
        },
        settings: {
          window: WINDOW,
          warmupMs: WARMUP_MS,
          measureMs: MEASURE_MS,
          pacedMeasured: PACED_MEASURED,
        },
      },
    };
  } finally {
    await peer.close();
  }
}

/** How much of a saturation run was quiet, for the table. */
function quietNote(r: ClosedLoopResult): string {
  return r.quietSeconds > 0
    ? `quiet ${r.quietSeconds}/${r.seconds} s`
    : `BUSY MACHINE: others used ${fmt(r.otherCores, 1)} cores`;
}

/** The samples of the quiet seconds of a paced run, and a note saying which were kept. */
function quiet(
  recorder: SegmentRecorder,
  samples: readonly TimedSample[],
): { kept: TimedSample[]; note: string } {
  const q = quietSamples(recorder, samples, (s) => s.sentNs);
  return {
    kept: q.kept,
    note: q.filtered
      ? `quiet ${q.quietSlices}/${q.slices} s`
      : `BUSY MACHINE: others used ${fmt(recorder.averageOtherCores(), 1)} cores`,
  };
}

async function measureCeiling(peer: DriverPeer): Promise<ClosedLoopResult> {
  const client = await BenchChild.start(benchScript('apps/bare-client.js'), {
    env: { BENCH_SERVER_PORT: String(peer.port) },
  });
  try {
    peer.connect(Number(client.ready.port));
    await waitForQuietMachine();
    return await closedLoop(peer, {
      executor: 'noopJob',
      window: WINDOW,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      clientPid: client.pid,
    });
  } finally {
    await client.stop();
  }
}

async function measureFullPath(
  peer: DriverPeer,
): Promise<{ saturation: ClosedLoopResult; paced: PacedLoopResult; handler: TimedSample[] }> {
  const app = await BenchChild.start(benchScript('apps/bench-app.js'), {
    env: { BENCH_SERVER_PORT: String(peer.port) },
    stdout: 'inherit',
  });
  try {
    await peer.waitRegistered();
    await checkSharedClock(app);
    peer.connect(Number(app.ready.port));
    await waitForQuietMachine();
    const saturation = await closedLoop(peer, {
      executor: 'noopJob',
      window: WINDOW,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      clientPid: app.pid,
    });
    await app.request('latencies');
    await waitForQuietMachine();
    const paced = await pacedLoop(peer, {
      executor: 'latencyJob',
      ratePerSec: PACED_RATE,
      warmupJobs: PACED_WARMUP,
      measuredJobs: PACED_MEASURED,
      clientPid: app.pid,
    });
    const pairs = await app.request<[string, number][]>('latencies');
    const handler = pairs.map(([sent, ns]) => ({ sentNs: BigInt(sent), ns }));
    return { saturation, paced, handler };
  } finally {
    await app.stop();
  }
}

/**
 * The dispatch→handler figure compares this process's monotonic clock with the child's. On Linux both read
 * CLOCK_MONOTONIC; this checks it: the child's reading must fall between two of ours taken around the IPC call.
 */
async function checkSharedClock(app: BenchChild): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const before = process.hrtime.bigint();
    const child = BigInt(await app.request<string>('clock'));
    const after = process.hrtime.bigint();
    if (child < before || child > after) {
      throw new Error(
        `process.hrtime is not one clock across processes here (child ${child} outside [${before}, ${after}]); dispatch->handler latency cannot be measured`,
      );
    }
  }
}
