import { type INestApplication } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnailJobTransport } from 'nestjs-snail-job';
import { LogReporter } from '../libs/snail-job/src/logging/log-reporter.js';
import { clientOptions, startClientApp } from './support/client-app.js';
import { field, logEntries, logRequests, REPORT_LOG, waitForEntries } from './support/log-entries.js';
import { dispatch, LogJobs, release } from './support/log-jobs.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { RecordingLogger } from './support/recording-logger.js';

const messages = (server: RawServer) => logEntries(server).map((e) => field(e, 'message'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('remote logs: batching, outages, bounds and shutdown', () => {
  let server: RawServer;
  let app: INestApplication | undefined;
  let caller: RawCaller | undefined;
  let local: RecordingLogger;

  async function start(extra: Parameters<typeof clientOptions>[1] = {}): Promise<void> {
    local = new RecordingLogger();
    app = await startClientApp(clientOptions(server.port, extra), [LogJobs], local);
    caller = new RawCaller(app.get(SnailJobTransport).port);
  }

  beforeEach(async () => {
    server = await new RawServer().start();
  });

  afterEach(async () => {
    release();
    caller?.close();
    await app?.close();
    await server.close();
    app = caller = undefined;
  });

  it('sends a full batch at once while the task still runs, the rest when it ends', async () => {
    await start({ logBatchSize: 5, logFlushIntervalMs: 60_000 });
    await caller!.call('/job/dispatch/v1', dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"7"}' }));
    await server.waitFor(REPORT_LOG, 1);
    await sleep(150);
    expect(logRequests(server).map((r) => r.length)).toEqual([5]);
    release();
    await server.waitFor(REPORT_LOG, 2);
    expect(logRequests(server).map((r) => r.length)).toEqual([5, 2]);
    expect(messages(server)).toEqual(Array.from({ length: 7 }, (_, i) => `line ${i + 1}`));
  });

  it('catches up after a burst with several whole batches per request', async () => {
    await start({ logBatchSize: 5, logFlushIntervalMs: 60_000 });
    await caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"23"}' }),
    );
    await server.waitFor(REPORT_LOG, 1);
    await sleep(150);
    expect(logRequests(server).map((r) => r.length)).toEqual([20]);
    release();
    await server.waitFor(REPORT_LOG, 2);
    expect(logRequests(server).map((r) => r.length)).toEqual([20, 3]);
    expect(messages(server)).toEqual(Array.from({ length: 23 }, (_, i) => `line ${i + 1}`));
  });

  it('sends a partial batch logFlushIntervalMs after its first entry', async () => {
    await start({ logBatchSize: 50, logFlushIntervalMs: 300 });
    const t0 = Date.now();
    await caller!.call('/job/dispatch/v1', dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"3"}' }));
    await server.waitFor(REPORT_LOG, 1);
    const elapsed = server.calls(REPORT_LOG)[0].at - t0;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1_000);
    expect(logRequests(server)).toHaveLength(1);
    expect(messages(server)).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('keeps entries while the server refuses (status 0) and delivers them in order afterwards', async () => {
    let refusing = true;
    server.respond = (r) => (r.uri === REPORT_LOG && refusing ? { status: 0, message: 'busy' } : undefined);
    await start({ logBatchSize: 5, logFlushIntervalMs: 50 });
    await caller!.call('/job/dispatch/v1', dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"8"}' }));
    await server.waitFor(REPORT_LOG, 2);
    expect(local.matching('Could not deliver remote log entries (status 0: busy)')).toHaveLength(1);
    refusing = false;
    const delivered = server.calls(REPORT_LOG).length;
    await waitForEntries(server, () => {
      const accepted = logRequests(server).slice(delivered).flat();
      return accepted.length >= 8;
    });
    const accepted = logRequests(server)
      .slice(delivered)
      .flat()
      .map((e) => field(e, 'message'));
    expect(accepted).toEqual(Array.from({ length: 8 }, (_, i) => `line ${i + 1}`));
    expect(local.matching('Remote log delivery resumed')).toHaveLength(1);
    expect(local.matching('Could not deliver remote log entries')).toHaveLength(1);
    await until(() => app!.get(LogReporter).stats().sent === 8);
    expect(app!.get(LogReporter).stats()).toMatchObject({ sent: 8, dropped: 0, queued: 0, inFlight: 0 });
  });

  it('survives the server going away, keeps at most logQueueMax entries and counts the dropped ones', async () => {
    const port = server.port;
    await start({ logBatchSize: 5, logFlushIntervalMs: 20, logQueueMax: 6 });
    expect(app!.get(LogReporter).stats().dropped).toBe(0);
    await server.waitFor('/beat');
    await server.close();
    // 3 lines fail to go out (the outage is noticed), then 17 more arrive while it lasts
    await caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'twoBursts', argsStr: '{"jobParams":"3,17"}' }),
    );
    await sleep(450);
    expect(app!.get(LogReporter).stats()).toMatchObject({ sent: 0, dropped: 14 });
    expect(local.matching('Could not deliver remote log entries')).toHaveLength(1);
    expect(local.matching('Remote log queue is full')).toHaveLength(0); // one warning per outage
    server = await new RawServer().start(port);
    await waitForEntries(server, (e) => e.length >= 6, 15_000);
    expect(messages(server)).toEqual(Array.from({ length: 6 }, (_, i) => `line ${i + 15}`));
    await until(() => app!.get(LogReporter).stats().sent === 6);
    expect(app!.get(LogReporter).stats()).toMatchObject({ sent: 6, dropped: 14, queued: 0, inFlight: 0 });
    expect(local.matching('Remote log delivery resumed; 14 entries were dropped meanwhile')).toHaveLength(1);
  });

  it('drops the oldest entries when a burst outruns the queue, warning once and counting them', async () => {
    await start({ logBatchSize: 5, logQueueMax: 6 });
    await caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burstThenReturn', argsStr: '{"jobParams":"20"}' }),
    );
    await waitForEntries(server, (e) => e.length >= 6);
    await until(() => app!.get(LogReporter).stats().sent === 6);
    expect(messages(server)).toEqual(Array.from({ length: 6 }, (_, i) => `line ${i + 15}`));
    expect(app!.get(LogReporter).stats()).toMatchObject({ sent: 6, dropped: 14, queued: 0, inFlight: 0 });
    expect(local.matching('Remote log queue is full (6 entries')).toHaveLength(1);
    expect(local.matching('Remote log delivery resumed; 14 entries were dropped meanwhile')).toHaveLength(1);
  });

  it('flushes queued entries on shutdown, before the channel closes', async () => {
    await start({ logBatchSize: 50, logFlushIntervalMs: 60_000 });
    await caller!.call('/job/dispatch/v1', dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"4"}' }));
    await sleep(150);
    expect(server.calls(REPORT_LOG)).toHaveLength(0);
    setTimeout(release, 100);
    const closing = app!.close();
    app = undefined;
    await closing;
    expect(messages(server)).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
  });
});
