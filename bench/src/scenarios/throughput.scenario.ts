import { BenchChild } from '../support/child.js';
import { benchScript } from '../support/paths.js';
import { DriverPeer } from '../support/peer.js';
import { busy, fmt, verdict, type ScenarioResult } from '../support/results.js';
import { latencySummary } from '../support/stats.js';
import { closedLoop, pacedLoop, type ClosedLoopResult } from './load.js';

/** Jobs kept in flight by the saturation runs; far above what one client's gRPC server queues in practice. */
const WINDOW = 128;
const WARMUP_MS = 2_000;
const MEASURE_MS = 5_000;
const PACED_RATE = 1_000;
const PACED_WARMUP = 1_000;
const PACED_MEASURED = 6_000;

/**
 * Benchmarks 1 and 2: the bare grpc-js ceiling, then the same driver against a real Nest app with SnailJobModule
 * (saturation throughput, then latency at a paced 1,000 jobs/s). The driver runs in this process, the client under
 * test in a child process, so each side has a core of its own, as in production.
 */
export async function throughputScenario(): Promise<ScenarioResult> {
  const peer = await new DriverPeer().start();
  try {
    const ceiling = await measureCeiling(peer);
    const full = await measureFullPath(peer);
    const ratio = full.saturation.jobsPerSec / ceiling.jobsPerSec;
    const acks = latencySummary(full.paced.ackNs);
    const handler = latencySummary(full.handlerNs);
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
          note: `${fmt(ceiling.clientCpuUsPerJob)} us CPU/job in the client${busy(ceiling.otherCores)}`,
        },
        {
          id: 2,
          metric: 'full path: no-op cluster jobs through the module',
          value: `${fmt(full.saturation.jobsPerSec)} jobs/s`,
          target: '>= 60 % of (1)',
          verdict: verdict(ratio >= 0.6 && errors === 0),
          note: `${fmt(ratio * 100)} % of (1), ${fmt(full.saturation.clientCpuUsPerJob)} us CPU/job${busy(full.saturation.otherCores)}${errors ? `, ${errors} failed acks/reports` : ''}`,
        },
        {
          id: 2,
          metric: `ack latency p50 / p99 @ ${fmt(PACED_RATE)} jobs/s`,
          value: `${fmt(acks.p50, 3)} / ${fmt(acks.p99, 3)} ms`,
          target: '-',
          verdict: 'info',
          note: `max ${fmt(acks.max, 2)} ms, ${fmt(full.paced.achievedRate)} jobs/s sent${busy(full.paced.otherCores)}`,
        },
        {
          id: 2,
          metric: `dispatch->handler p50 / p99 @ ${fmt(PACED_RATE)} jobs/s`,
          value: `${fmt(handler.p50, 3)} / ${fmt(handler.p99, 3)} ms`,
          target: 'p99 < 1 ms',
          verdict: verdict(
            handler.p99 < 1 && handler.count === PACED_MEASURED && full.paced.failedAcks === 0,
          ),
          note: `max ${fmt(handler.max, 2)} ms, n=${handler.count}`,
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
          otherCores: full.paced.otherCores,
        },
        ackLatencyMs: acks,
        dispatchToHandlerMs: handler,
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

async function measureCeiling(peer: DriverPeer): Promise<ClosedLoopResult> {
  const client = await BenchChild.start(benchScript('apps/bare-client.js'), {
    env: { BENCH_SERVER_PORT: String(peer.port) },
  });
  try {
    peer.connect(Number(client.ready.port));
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

async function measureFullPath(peer: DriverPeer): Promise<{
  saturation: ClosedLoopResult;
  paced: Awaited<ReturnType<typeof pacedLoop>>;
  handlerNs: number[];
}> {
  const app = await BenchChild.start(benchScript('apps/bench-app.js'), {
    env: { BENCH_SERVER_PORT: String(peer.port) },
    stdout: 'inherit',
  });
  try {
    await peer.waitRegistered();
    await checkSharedClock(app);
    peer.connect(Number(app.ready.port));
    const saturation = await closedLoop(peer, {
      executor: 'noopJob',
      window: WINDOW,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      clientPid: app.pid,
    });
    await app.request('latencies');
    const paced = await pacedLoop(peer, {
      executor: 'latencyJob',
      ratePerSec: PACED_RATE,
      warmupJobs: PACED_WARMUP,
      measuredJobs: PACED_MEASURED,
      clientPid: app.pid,
    });
    const handlerNs = await app.request<number[]>('latencies');
    return { saturation, paced, handlerNs };
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
