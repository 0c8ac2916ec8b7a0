import 'reflect-metadata';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as library from 'nestjs-snail-job';
import {
  ExecuteResult,
  MapTask,
  SnailJob,
  SnailJobModule,
  SnailJobTransport,
  type JobArgs,
  type MapArgs,
} from 'nestjs-snail-job';
import { announceReady, commonHandlers, serveIpc } from '../support/ipc.js';

/**
 * The client under test: a real Nest app with SnailJobModule (default options except the server address and an
 * ephemeral gRPC port) and the bench's executors. Driven over gRPC by the orchestrator's DriverPeer and
 * inspected over IPC.
 */

/** The documented remote logger (`SnailJobLog.REMOTE`), looked up so that the bench runs without it too. */
interface RemoteLogger {
  info(message: string, ...args: unknown[]): void;
}
const remoteLog = (library as unknown as { SnailJobLog?: { REMOTE?: RemoteLogger } }).SnailJobLog?.REMOTE;

/** dispatch→handler samples as [sent, latency] pairs in ns (jobParams carries the sender's monotonic clock). */
let latencies: [string, number][] = [];
let fanOutItems: unknown[] = [];
let loopDelay: IntervalHistogram | undefined;
let loopTimer: NodeJS.Timeout | undefined;
let loopSlices: { end: string; maxMs: number; p99Ms: number }[] = [];
const LOOP_RESOLUTION_MS = 1;

/** Closes one slice of event-loop delay figures (ends at the monotonic clock's now) and starts the next. */
function cutLoopSlice(): void {
  const ms = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  if (loopDelay!.count > 0) {
    loopSlices.push({
      end: process.hrtime.bigint().toString(),
      maxMs: ms(loopDelay!.max),
      p99Ms: ms(loopDelay!.percentile(99)),
    });
  }
  loopDelay!.reset();
}

@Injectable()
class BenchJobs {
  @SnailJob('noopJob')
  noop(): void {}

  @SnailJob('latencyJob')
  latency(args: JobArgs): void {
    const now = process.hrtime.bigint();
    const sent = args.jobParams ?? '';
    // Warm-up dispatches carry a "w" prefix and are not recorded.
    if (sent.charCodeAt(0) !== 0x77) latencies.push([sent, Number(now - BigInt(sent))]);
  }

  @SnailJob('logJob')
  async logs(args: JobArgs): Promise<void> {
    const lines = Number(args.jobParams);
    for (let i = 0; i < lines; i++) {
      remoteLog!.info(`task ${String(args.taskId)}: processed row ${i} of ${lines}`);
      // Yield now and then so the 100 tasks really interleave, as async handlers do.
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    }
  }
}

@SnailJob('fanOutJob')
@Injectable()
class FanOutJob {
  @MapTask()
  root(args: MapArgs): Promise<ExecuteResult> {
    return args.doMap(fanOutItems, 'ITEM');
  }

  @MapTask('ITEM')
  item(): ExecuteResult {
    return ExecuteResult.success();
  }
}

@Module({
  imports: [
    SnailJobModule.forRoot({
      server: { host: '127.0.0.1', port: Number(process.env.BENCH_SERVER_PORT) },
      client: { host: '127.0.0.1', port: 0, bindHost: '127.0.0.1' },
    }),
  ],
  providers: [BenchJobs, FanOutJob],
})
class BenchAppModule {}

const app = await NestFactory.create(BenchAppModule, { logger: ['error', 'warn'] });
await app.init();

serveIpc({
  ...commonHandlers,
  /** Returns the recorded dispatch→handler samples ([sent, latency] in ns) and forgets them. */
  latencies: () => {
    const out = latencies;
    latencies = [];
    return out;
  },
  /** Builds the doMap items before the RSS baseline is taken (they are the user's data, not our overhead). */
  prepareFanOut: (count) => {
    fanOutItems = Array.from({ length: Number(count) }, (_, i) => ({
      id: 1_000_000 + i,
      shard: `region-${i % 16}`,
    }));
    return fanOutItems.length;
  },
  loopDelayStart: () => {
    loopSlices = [];
    loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    loopTimer = setInterval(cutLoopSlice, 1_000);
    return true;
  },
  /** Event-loop delay per one-second slice (max and p99 in ms, the sampling resolution taken off). */
  loopDelayStop: () => {
    clearInterval(loopTimer);
    cutLoopSlice();
    loopDelay!.disable();
    return loopSlices;
  },
});
announceReady({ port: app.get(SnailJobTransport).port, remoteLog: remoteLog !== undefined });
