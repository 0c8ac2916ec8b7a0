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
    const bare = await measureCeiling(peer);
    const full = await measureFullPath(peer);
    const ceiling = bare.saturation;
    const ratio = full.saturation.jobsPerSec / ceiling.jobsPerSec;
    const acks = quiet(full.paced.recorder, full.paced.acks);
    const handler = quiet(full.paced.recorder, full.handler);
    const ackStats = latencySummary(acks.kept.map((s) => s.ns));
    const handlerStats = latencySummary(handler.kept.map((s) => s.ns));
    const bareAcks = quiet(bare.paced.recorder, bare.paced.acks);
    const bareHandler = quiet(bare.paced.recorder, bare.handler);
    const bareAckStats = latencySummary(bareAcks.kept.map((s) => s.ns));
    const bareHandlerStats = latencySummary(bareHandler.kept.map((s) => s.ns));
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
          id: 1,
          metric: `ceiling: dispatch->"handler" p50 / p99 @ ${fmt(PACED_RATE)} jobs/s`,
          value: `${fmt(bareHandlerStats.p50, 3)} / ${fmt(bareHandlerStats.p99, 3)} ms`,
          target: 'baseline',
          verdict: 'info',
          note: `ack p50 / p99 ${fmt(bareAckStats.p50, 3)} / ${fmt(bareAckStats.p99, 3)} ms; ${bareHandler.note}`,
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
        ceilingPaced: {
          ackLatencyMs: bareAckStats,
          dispatchToHandlerMs: bareHandlerStats,
          allSlices: latencySummary(bare.handler.map((s) => s.ns)),
        },
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

/** What one client (bare or the module) did under saturation and at the paced rate. */
interface ClientFigures {
  saturation: ClosedLoopResult;
  paced: PacedLoopResult;
  /** dispatch→handler samples of the paced run. */
  handler: TimedSample[];
}

/** The bare grpc-js client: the same two runs as the module gets, for the baselines of both. */
function measureCeiling(peer: DriverPeer): Promise<ClientFigures> {
  return measureClient(peer, 'apps/bare-client.js', false);
}

/** The Nest app with SnailJobModule. */
function measureFullPath(peer: DriverPeer): Promise<ClientFigures> {
  return measureClient(peer, 'apps/bench-app.js', true);
}

async function measureClient(peer: DriverPeer, script: string, registers: boolean): Promise<ClientFigures> {
  const client = await BenchChild.start(benchScript(script), {
    env: { BENCH_SERVER_PORT: String(peer.port) },
    stdout: 'inherit',
  });
  try {
    if (registers) await peer.waitRegistered();
    await checkSharedClock(client);
    peer.connect(Number(client.ready.port));
    await waitForQuietMachine();
    const saturation = await closedLoop(peer, {
      executor: 'noopJob',
      window: WINDOW,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      clientPid: client.pid,
    });
    await client.request('latencies');
    await waitForQuietMachine();
    const paced = await pacedLoop(peer, {
      executor: 'latencyJob',
      ratePerSec: PACED_RATE,
      warmupJobs: PACED_WARMUP,
      measuredJobs: PACED_MEASURED,
      clientPid: client.pid,
    });
    const pairs = await client.request<[string, number][]>('latencies');
    const handler = pairs.map(([sent, ns]) => ({ sentNs: BigInt(sent), ns }));
    return { saturation, paced, handler };
  } finally {
    await client.stop();
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
