import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogReporter } from '../libs/snail-job/src/logging/log-reporter.js';
import { field, logEntries, logRequests, REPORT_LOG, waitForEntries } from './support/log-entries.js';
import { dispatch, release } from './support/log-jobs.js';
import { RawServer } from './support/raw-peer.js';
import { LogClientHarness } from './support/log-client.js';

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
  const h = new LogClientHarness();

  beforeEach(() => h.setUp());
  afterEach(() => h.tearDown());

  it('sends a full batch at once while the task still runs, the rest when it ends', async () => {
    await h.start({ logBatchSize: 5, logFlushIntervalMs: 60_000 });
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"7"}' }),
    );
    await h.server.waitFor(REPORT_LOG, 1);
    await sleep(150);
    expect(logRequests(h.server).map((r) => r.length)).toEqual([5]);
    release();
    await h.server.waitFor(REPORT_LOG, 2);
    expect(logRequests(h.server).map((r) => r.length)).toEqual([5, 2]);
    expect(messages(h.server)).toEqual(Array.from({ length: 7 }, (_, i) => `line ${i + 1}`));
  });

  it('catches up after a burst with several whole batches per request', async () => {
    await h.start({ logBatchSize: 5, logFlushIntervalMs: 60_000 });
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"23"}' }),
    );
    await h.server.waitFor(REPORT_LOG, 1);
    await sleep(150);
    expect(logRequests(h.server).map((r) => r.length)).toEqual([20]);
    release();
    await h.server.waitFor(REPORT_LOG, 2);
    expect(logRequests(h.server).map((r) => r.length)).toEqual([20, 3]);
    expect(messages(h.server)).toEqual(Array.from({ length: 23 }, (_, i) => `line ${i + 1}`));
  });

  it('sends a partial batch logFlushIntervalMs after its first entry', async () => {
    await h.start({ logBatchSize: 50, logFlushIntervalMs: 300 });
    const t0 = Date.now();
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"3"}' }),
    );
    await h.server.waitFor(REPORT_LOG, 1);
    const elapsed = h.server.calls(REPORT_LOG)[0].at - t0;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1_000);
    expect(logRequests(h.server)).toHaveLength(1);
    expect(messages(h.server)).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('keeps entries while the server refuses (status 0) and delivers them in order afterwards', async () => {
    let refusing = true;
    h.server.respond = (r) => (r.uri === REPORT_LOG && refusing ? { status: 0, message: 'busy' } : undefined);
    await h.start({ logBatchSize: 5, logFlushIntervalMs: 50 });
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"8"}' }),
    );
    await h.server.waitFor(REPORT_LOG, 2);
    expect(h.local.matching('Could not deliver remote log entries (status 0: busy)')).toHaveLength(1);
    refusing = false;
    const delivered = h.server.calls(REPORT_LOG).length;
    await waitForEntries(h.server, () => {
      const accepted = logRequests(h.server).slice(delivered).flat();
      return accepted.length >= 8;
    });
    const accepted = logRequests(h.server)
      .slice(delivered)
      .flat()
      .map((e) => field(e, 'message'));
    expect(accepted).toEqual(Array.from({ length: 8 }, (_, i) => `line ${i + 1}`));
    expect(h.local.matching('Remote log delivery resumed')).toHaveLength(1);
    expect(h.local.matching('Could not deliver remote log entries')).toHaveLength(1);
    await until(() => h.app!.get(LogReporter).stats().sent === 8);
    expect(h.app!.get(LogReporter).stats()).toMatchObject({ sent: 8, dropped: 0, queued: 0, inFlight: 0 });
  });

  it('survives the server going away, keeps at most logQueueMax entries and counts the dropped ones', async () => {
    const port = h.server.port;
    await h.start({ logBatchSize: 5, logFlushIntervalMs: 20, logQueueMax: 6 });
    expect(h.app!.get(LogReporter).stats().dropped).toBe(0);
    await h.server.waitFor('/beat');
    await h.server.close();
    // 3 lines fail to go out (the outage is noticed), then 17 more arrive while it lasts
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'twoBursts', argsStr: '{"jobParams":"3,17"}' }),
    );
    await sleep(450);
    expect(h.app!.get(LogReporter).stats()).toMatchObject({ sent: 0, dropped: 14 });
    expect(h.local.matching('Could not deliver remote log entries')).toHaveLength(1);
    expect(h.local.matching('Remote log queue is full')).toHaveLength(0); // one warning per outage
    h.server = await new RawServer().start(port);
    await waitForEntries(h.server, (e) => e.length >= 6, 15_000);
    expect(messages(h.server)).toEqual(Array.from({ length: 6 }, (_, i) => `line ${i + 15}`));
    await until(() => h.app!.get(LogReporter).stats().sent === 6);
    expect(h.app!.get(LogReporter).stats()).toMatchObject({ sent: 6, dropped: 14, queued: 0, inFlight: 0 });
    expect(h.local.matching('Remote log delivery resumed; 14 entries were dropped meanwhile')).toHaveLength(
      1,
    );
  });

  it('drops the oldest entries when a burst outruns the queue, warning once and counting them', async () => {
    await h.start({ logBatchSize: 5, logQueueMax: 6 });
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burstThenReturn', argsStr: '{"jobParams":"20"}' }),
    );
    await waitForEntries(h.server, (e) => e.length >= 6);
    await until(() => h.app!.get(LogReporter).stats().sent === 6);
    expect(messages(h.server)).toEqual(Array.from({ length: 6 }, (_, i) => `line ${i + 15}`));
    expect(h.app!.get(LogReporter).stats()).toMatchObject({ sent: 6, dropped: 14, queued: 0, inFlight: 0 });
    expect(h.local.matching('Remote log queue is full (6 entries')).toHaveLength(1);
    expect(h.local.matching('Remote log delivery resumed; 14 entries were dropped meanwhile')).toHaveLength(
      1,
    );
  });

  it('flushes queued entries on shutdown, before the channel closes', async () => {
    await h.start({ logBatchSize: 50, logFlushIntervalMs: 60_000 });
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'burst', argsStr: '{"jobParams":"4"}' }),
    );
    await sleep(150);
    expect(h.server.calls(REPORT_LOG)).toHaveLength(0);
    setTimeout(release, 100);
    const closing = h.app!.close();
    h.app = undefined;
    await closing;
    expect(messages(h.server)).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
  });
});
