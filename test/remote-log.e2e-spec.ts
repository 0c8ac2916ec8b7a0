import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnailJobLog, SnailJobTransport } from 'nestjs-snail-job';
import { resetOutsideTaskWarning } from '../libs/snail-job/src/logging/snail-job-log.js';
import { field, logEntries, logRequests, REPORT_LOG, waitForEntries } from './support/log-entries.js';
import { dispatch } from './support/log-jobs.js';
import type { RawServer } from './support/raw-peer.js';
import { LogClientHarness } from './support/log-client.js';

const messages = (server: RawServer) => logEntries(server).map((e) => field(e, 'message'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('remote logs: what SnailJobLog.REMOTE ships', () => {
  const h = new LogClientHarness();

  beforeEach(() => h.setUp());
  afterEach(() => h.tearDown());

  it('ships lines from sync code, after await, in Promise.all, timers and emitters, with exact fields', async () => {
    await h.start();
    await h.caller!.call('/job/dispatch/v1', dispatch());
    const entries = await waitForEntries(h.server, (e) => e.length >= 7);
    expect(entries.map((e) => field(e, 'message'))).toEqual([
      'sync line #1',
      'after await',
      'in Promise.all 2',
      'in Promise.all 1',
      'in a timer',
      'from an emitter: {"id":9007199254740993}',
      'failed for order-9',
    ]);
    expect(entries.map((e) => field(e, 'level'))).toEqual([
      'INFO',
      'WARN',
      'DEBUG',
      'DEBUG',
      'INFO',
      'INFO',
      'ERROR',
    ]);
    const port = String(h.app!.get(SnailJobTransport).port);
    const first = entries[0];
    expect(Object.keys(first).sort()).toEqual([
      'fieldList',
      'groupName',
      'jobId',
      'logType',
      'namespaceId',
      'realTime',
      'taskBatchId',
      'taskId',
    ]);
    expect(first).toMatchObject({
      logType: 'JOB',
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      jobId: 7,
      taskBatchId: 1201,
      taskId: 3301,
    });
    expect(first.fieldList).toEqual([
      { name: 'time_stamp', value: String(first.realTime) },
      { name: 'level', value: 'INFO' },
      { name: 'thread', value: 'snail-job-job-1201-3301' },
      { name: 'message', value: 'sync line #1' },
      { name: 'location', value: 'LogJobs#everywhere' },
      { name: 'throwable' },
      { name: 'host', value: '127.0.0.1' },
      { name: 'port', value: port },
    ]);
    const times = entries.map((e) => e.realTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.abs(times[0] - Date.now())).toBeLessThan(5_000);
    const throwable = field(entries[6], 'throwable')!;
    expect(throwable).toMatch(/^TypeError: card expired\n\tat /);
    expect(throwable.split('\n').length).toBeLessThanOrEqual(31);
    expect(messages(h.server)).not.toContain('local only');
    // local lines went through the app's logger with the executor name as context
    expect(h.local.matching('local only')[0].args).toEqual(['local only', 'logEverywhere']);
    expect(h.local.matching('sync line #1')[0]).toEqual({
      level: 'log',
      args: ['sync line #1', 'logEverywhere'],
    });
    expect(h.local.matching('failed for order-9')[0].level).toBe('error');
  });

  it('echoes ids above 2^53 exactly', async () => {
    await h.start();
    const body = dispatch({ jobId: 1, taskBatchId: 2, taskId: 3 })
      .replace('"jobId":1', '"jobId":9223372036854775807')
      .replace('"taskBatchId":2', '"taskBatchId":9007199254740993')
      .replace('"taskId":3', '"taskId":9007199254740995');
    await h.caller!.call('/job/dispatch/v1', body);
    await waitForEntries(h.server, (e) => e.length >= 7);
    const raw = h.server.calls(REPORT_LOG)[0].body;
    expect(raw).toContain('"jobId":9223372036854775807');
    expect(raw).toContain('"taskBatchId":9007199254740993,"taskId":9007199254740995}');
    expect(raw).toContain('"snail-job-job-9007199254740993-9007199254740995"');
  });

  it('warns once when REMOTE is used outside a task, and logs such lines locally only', async () => {
    await h.start();
    resetOutsideTaskWarning();
    SnailJobLog.REMOTE.info('outside %d', 1);
    SnailJobLog.REMOTE.warn('outside %d', 2);
    await new Promise<void>((r) => setTimeout(() => r(SnailJobLog.REMOTE.error('outside 3')), 1));
    expect(h.local.matching('outside a SnailJob task')).toHaveLength(1);
    expect(h.local.matching('outside a SnailJob task')[0].level).toBe('warn');
    expect(h.local.calls.filter((c) => /^outside \d$/.test(String(c.args[0])))).toHaveLength(3);
    expect(h.local.matching('outside 1')[0].args).toEqual(['outside 1', 'SnailJob']);
    await h.caller!.call('/job/dispatch/v1', dispatch());
    await waitForEntries(h.server, (e) => e.length >= 7);
    expect(messages(h.server).some((m) => m?.startsWith('outside'))).toBe(false);
  });

  it('captures Nest Logger calls inside a task when logCaptureNestLogger is on, leaving local output unchanged', async () => {
    await h.start({ logCaptureNestLogger: true });
    await h.caller!.call('/job/dispatch/v1', dispatch({ executorInfo: 'nestLogger', taskId: 1 }));
    const entries = await waitForEntries(h.server, (e) => e.length >= 5);
    const onCalls = h.local.calls.filter((c) => !String(c.args[0]).startsWith('Registered'));
    expect(entries.map((e) => [field(e, 'level'), field(e, 'message'), field(e, 'location')])).toEqual([
      ['INFO', 'order saved', 'OrderService'],
      ['DEBUG', 'details %s not-a-placeholder', 'OrderService'],
      ['ERROR', 'payment failed', 'OrderService'],
      ['WARN', 'static call', 'Payments'],
      ['INFO', 'remote line', 'LogJobs#nestLogger'],
    ]);
    expect(field(entries[2], 'throwable')).toMatch(/^Error: declined\n\tat /);
    // Nest Logger calls outside a task are not captured
    new Logger('Outside').log('not in a task');
    await h.app!.close();
    h.app = undefined;
    expect(messages(h.server)).not.toContain('not in a task');

    // the same job with capture off: only the REMOTE line is shipped, and the app's logger saw the same calls
    const before = h.server.calls(REPORT_LOG).length;
    await h.start({ logCaptureNestLogger: false });
    await h.caller!.call('/job/dispatch/v1', dispatch({ executorInfo: 'nestLogger', taskId: 2 }));
    await h.server.waitFor(REPORT_LOG, before + 1);
    await sleep(200);
    const offEntries = logRequests(h.server).slice(before).flat();
    expect(offEntries.map((e) => field(e, 'message'))).toEqual(['remote line']);
    const offCalls = h.local.calls.filter((c) => !String(c.args[0]).startsWith('Registered'));
    const jobCalls = (calls: typeof onCalls) =>
      calls.filter(
        (c) =>
          c.args.includes('OrderService') || c.args.includes('Payments') || c.args.includes('nestLogger'),
      );
    expect(jobCalls(offCalls)).toEqual(jobCalls(onCalls));
    expect(jobCalls(onCalls)).toHaveLength(5);
  });

  it('writes the runtime lines of the Java client: retry count and failure with its stack', async () => {
    await h.start();
    await h.caller!.call(
      '/job/dispatch/v1',
      dispatch({ executorInfo: 'throws', retryStatus: true, retryScene: 1, retryCount: 2 }),
    );
    const entries = await waitForEntries(h.server, (e) => e.length >= 3);
    expect(entries.map((e) => [field(e, 'level'), field(e, 'message')])).toEqual([
      ['INFO', 'Task execution/scheduling failed, executing retry. Retry count:[2]'],
      ['INFO', 'about to fail'],
      ['ERROR', 'Task execution failed taskBatchId:[1201]'],
    ]);
    expect(field(entries[2], 'throwable')).toMatch(/^RangeError: quantity out of range\n\tat /);
  });
});
