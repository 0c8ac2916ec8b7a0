// Remote-log load measurement outside Vitest: 100 concurrent tasks write LINES remote log lines against a
// SnailJob server peer in a child process (test/support/log-sink-peer.mjs); prints one JSON line per run.
//   npm run build:lib && node --expose-gc bench/remote-logs.mjs
//   MODE=sync|async|paced  LINES=100000  QMAX=10000 (logQueueMax)  LOCAL=1 (app logger on)
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SnailJob, SnailJobLog, SnailJobModule, SnailJobTransport } from '../libs/snail-job/dist/index.js';
import { LogReporter } from '../libs/snail-job/dist/logging/log-reporter.js';

const LINES = Number(process.env.LINES ?? 100_000);
const TASKS = 100;
const PER_TASK = LINES / TASKS;
const MODE = process.env.MODE ?? 'sync';
const QMAX = Number(process.env.QMAX ?? 10_000);

class Jobs {
  /** Every line synchronously. */
  sync(args) {
    for (let i = 0; i < PER_TASK; i++)
      SnailJobLog.REMOTE.info('task %s item %d of %d', String(args.taskId), i, PER_TASK);
  }
  /** A line per setImmediate turn. */
  async async(args) {
    for (let i = 0; i < PER_TASK; i++) {
      SnailJobLog.REMOTE.info('task %s item %d of %d', String(args.taskId), i, PER_TASK);
      await new Promise((r) => setImmediate(r));
    }
  }
  /** Ten lines per 1 ms timer. */
  async paced(args) {
    for (let i = 0; i < PER_TASK; i++) {
      SnailJobLog.REMOTE.info('task %s item %d of %d', String(args.taskId), i, PER_TASK);
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 1));
    }
  }
  /** Baseline: the same dispatch burst without logging. */
  noop() {}
}
for (const m of ['sync', 'async', 'paced', 'noop']) {
  SnailJob(m)(Jobs.prototype, m, Object.getOwnPropertyDescriptor(Jobs.prototype, m));
}
Injectable()(Jobs);

const peerScript = new URL('../test/support/log-sink-peer.mjs', import.meta.url);
const child = spawn(process.execPath, [peerScript.pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const { port } = JSON.parse((await lines.next()).value);
const command = async (c) => {
  child.stdin.write(`${JSON.stringify(c)}\n`);
  return JSON.parse((await lines.next()).value);
};

class BenchModule {}
Module({
  imports: [
    SnailJobModule.forRoot({
      server: { host: '127.0.0.1', port },
      client: { host: '127.0.0.1', port: 0, bindHost: '127.0.0.1' },
      health: false,
      metrics: false,
      logQueueMax: QMAX,
    }),
  ],
  providers: [Jobs],
})(BenchModule);
const app = await NestFactory.create(BenchModule, { logger: process.env.LOCAL === '1' ? undefined : false });
await app.init();
await command({ connect: app.get(SnailJobTransport).port });
const reporter = app.get(LogReporter);
const dispatch = (executorInfo, id) =>
  JSON.stringify([
    {
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      jobId: 1,
      taskBatchId: id,
      taskId: id,
      taskType: 1,
      parallelNum: 1,
      executorType: 1,
      executorInfo,
      executorTimeout: 600,
      argsStr: '{}',
      retryStatus: false,
      retry: false,
    },
  ]);

let nextId = 1;
async function run(executor, total) {
  const before = reporter.stats();
  const peerBefore = await command({});
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  let heapPeak = 0;
  let queuedPeak = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
    queuedPeak = Math.max(queuedPeak, reporter.stats().queued);
  }, 20);
  let gcMax = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMax = Math.max(gcMax, e.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t0 = performance.now();
  await command({ dispatch: Array.from({ length: TASKS }, () => dispatch(executor, nextId++)) });
  for (;;) {
    const s = reporter.stats();
    if (s.sent + s.dropped - before.sent - before.dropped >= total && s.queued + s.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 150));
  delay.disable();
  clearInterval(sampler);
  gc.disconnect();
  const s = reporter.stats();
  const peer = await command({});
  console.log(
    JSON.stringify({
      executor,
      lines: total,
      logQueueMax: QMAX,
      sent: s.sent - before.sent,
      dropped: s.dropped - before.dropped,
      peerEntries: peer.entries - peerBefore.entries,
      misrouted: peer.misrouted - peerBefore.misrouted,
      requests: peer.requests - peerBefore.requests,
      ms: Math.round(performance.now() - t0),
      maxEventLoopDelayMs: +(delay.max / 1e6).toFixed(1),
      p99EventLoopDelayMs: +(delay.percentile(99) / 1e6).toFixed(1),
      gcMaxMs: +gcMax.toFixed(1),
      queuedPeak,
      rssGrowthMiB: +((rssPeak - rss0) / 2 ** 20).toFixed(1),
      heapPeakMiB: +(heapPeak / 2 ** 20).toFixed(1),
    }),
  );
}

for (let r = 0; r < 2; r++) await run('noop', 0);
for (let r = 0; r < 3; r++) await run(MODE, LINES);
await app.close();
child.stdin.write(`${JSON.stringify({ exit: true })}\n`);
