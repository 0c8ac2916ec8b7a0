import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Injectable, type INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobLog, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { LogReporter } from '../libs/snail-job/src/logging/log-reporter.js';
import { clientOptions, startClientApp } from './support/client-app.js';
import { LogSinkPeer } from './support/log-sink-peer.js';

/** Total lines per run; SNAIL_LOG_LOAD_LINES=100000 reproduces the benchmark's size. */
const LINES = Number(process.env.SNAIL_LOG_LOAD_LINES ?? 20_000);
const TASKS = 100;
const PER_TASK = Math.ceil(LINES / TASKS);
/** Time tasks spent inside their logging loops. */
const loopMs: number[] = [];

@Injectable()
class ChattyJobs {
  /** Worst case: every line logged synchronously, no await between them. */
  @SnailJob('chattySync')
  sync(args: JobArgs) {
    const t0 = performance.now();
    for (let i = 0; i < PER_TASK; i++) {
      SnailJobLog.REMOTE.info('task %s processed item %d of %d', String(args.taskId), i, PER_TASK);
    }
    loopMs.push(performance.now() - t0);
  }

  /** A line per unit of work, awaiting between units. */
  @SnailJob('chattyAsync')
  async async(args: JobArgs) {
    for (let i = 0; i < PER_TASK; i++) {
      SnailJobLog.REMOTE.info('task %s processed item %d of %d', String(args.taskId), i, PER_TASK);
      await new Promise((r) => setImmediate(r));
    }
  }
}

function dispatch(executorInfo: string, taskId: number): string {
  return JSON.stringify([
    {
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      jobId: 1,
      taskBatchId: 10_000 + taskId,
      taskId,
      taskType: 1,
      parallelNum: 1,
      executorType: 1,
      executorInfo,
      executorTimeout: 600,
      argsStr: '{}',
      taskName: 'CLUSTER_TASK',
      retryStatus: false,
      retry: false,
    },
  ]);
}

describe(`remote log load: ${TASKS * PER_TASK} lines from ${TASKS} concurrent tasks, server peer in another process`, () => {
  let peer: LogSinkPeer;
  let app: INestApplication;
  let longestDrainMs = 0;
  const proto = LogReporter.prototype as unknown as { drain(): void };
  const drain = proto.drain;

  beforeAll(async () => {
    proto.drain = function (this: unknown) {
      const t0 = performance.now();
      drain.call(this);
      longestDrainMs = Math.max(longestDrainMs, performance.now() - t0);
    };
    peer = await LogSinkPeer.start();
    app = await startClientApp(clientOptions(peer.port), [ChattyJobs]);
    await peer.command({ connect: app.get(SnailJobTransport).port });
  });

  afterAll(async () => {
    proto.drain = drain;
    await app.close();
    await peer.stop();
  });

  for (const [n, executor] of ['chattySync', 'chattyAsync'].entries()) {
    it(`${executor}: cheap lines, short reporter steps, bounded queue, every line sent or counted`, async () => {
      const reporter = app.get(LogReporter);
      const before = reporter.stats();
      const peerBefore = await peer.command({});
      let queuedPeak = 0;
      const sampler = setInterval(() => (queuedPeak = Math.max(queuedPeak, reporter.stats().queued)), 5);
      const delay = monitorEventLoopDelay({ resolution: 5 });
      loopMs.length = 0;
      longestDrainMs = 0;
      delay.enable();
      const t0 = performance.now();
      await peer.command({
        dispatch: Array.from({ length: TASKS }, (_, i) => dispatch(executor, n * TASKS + i + 1)),
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const s = reporter.stats();
        const accounted = s.sent + s.dropped - before.sent - before.dropped;
        if (accounted >= TASKS * PER_TASK && s.queued + s.inFlight === 0) break;
        if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(s)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      const elapsedMs = performance.now() - t0;
      delay.disable();
      clearInterval(sampler);
      const peerAfter = await peer.command({});
      const after = reporter.stats();
      const sent = after.sent - before.sent;
      const dropped = after.dropped - before.dropped;
      const perLineUs = loopMs.length ? (loopMs.reduce((a, b) => a + b, 0) * 1000) / (TASKS * PER_TASK) : NaN;
      console.log(
        JSON.stringify({
          executor,
          lines: TASKS * PER_TASK,
          sent,
          dropped,
          requests: peerAfter.requests - peerBefore.requests,
          elapsedMs: Math.round(elapsedMs),
          perLineUs: Number(perLineUs.toFixed(2)),
          longestDrainMs: Number(longestDrainMs.toFixed(1)),
          maxEventLoopDelayMs: Number((delay.max / 1e6).toFixed(1)),
          queuedPeak,
        }),
      );
      expect(sent + dropped).toBe(TASKS * PER_TASK);
      expect(peerAfter.entries - peerBefore.entries).toBe(sent);
      expect(peerAfter.misrouted).toBe(0);
      expect(queuedPeak).toBeLessThanOrEqual(10_000);
      // Coarse guards only (CI machines are shared and noisy); the printed figures are the measurement.
      expect(longestDrainMs).toBeLessThan(100);
      if (executor === 'chattySync') expect(perLineUs).toBeLessThan(50);
    });
  }
});
