import { Logger } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import { ServerUnavailableError } from '../errors/server-unavailable.error.js';
import { SnailJobInstrumentation, type ReportDropReason } from '../instrument/snail-job-instrumentation.js';
import type { DispatchJobResultRequest } from '../protocol/payloads.js';
import type { WireResult } from '../protocol/proto-descriptor.js';
import type { ServerChannel } from '../transport/server-channel.js';
import { ResultOutbox } from './outbox.js';
import { ResultReporter } from './result-reporter.js';

function report(taskId: number): DispatchJobResultRequest {
  return {
    jobId: 1,
    taskBatchId: 2,
    taskId,
    taskType: 1,
    groupName: 'g',
    taskStatus: 3,
    executeResult: { status: 1, message: 'ok' },
    retryStatus: false,
    retry: false,
  };
}

/** A channel whose replies the test scripts, one function call per report sent. */
class ScriptedChannel {
  readonly sent: unknown[] = [];
  reply: (n: number) => Promise<WireResult> = () => Promise.resolve(ok());
  private reachable: (() => void)[] = [];
  call(_uri: string, args: readonly unknown[]): Promise<WireResult> {
    this.sent.push(args[0]);
    return this.reply(this.sent.length);
  }
  onReachable(listener: () => void): void {
    this.reachable.push(listener);
  }
}

class CountingInstrumentation extends SnailJobInstrumentation {
  readonly dropped: ReportDropReason[] = [];
  retries = 0;
  override reportDropped(reason: ReportDropReason): void {
    this.dropped.push(reason);
  }
  override reportRetry(): void {
    this.retries++;
  }
}

const ok = (): WireResult => ({ reqId: '1', status: 1, message: '', data: 'true' });
const refusal = (message: string): WireResult => ({ reqId: '1', status: 0, message, data: 'null' });

describe('ResultReporter', () => {
  let channel: ScriptedChannel;
  let instrumentation: CountingInstrumentation;
  let reporter: ResultReporter;
  let errors: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    channel = new ScriptedChannel();
    instrumentation = new CountingInstrumentation();
    errors = [];
    vi.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      errors.push(String(message));
    });
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    reporter = new ResultReporter(
      channel as unknown as ServerChannel,
      instrumentation,
      new ResultOutbox(resolveOptions({}, {})),
    );
  });

  afterEach(() => {
    reporter.close();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('delivers a confirmed report once and tells its settle callback', async () => {
    const settled: boolean[] = [];
    reporter.enqueue(report(1), (delivered) => settled.push(delivered));
    await vi.runAllTimersAsync();
    expect(channel.sent).toHaveLength(1);
    expect(settled).toEqual([true]);
    expect(reporter.stats()).toMatchObject({ delivered: 1, dropped: 0, pending: 0 });
  });

  it('gives up at once, with one ERROR line and a metric, on a body the server can never parse', async () => {
    channel.reply = () =>
      Promise.resolve(refusal('Json to object conversion failed Parameters: {"args":[{"taskId":1,'));
    const settled: boolean[] = [];
    reporter.enqueue(report(1), (delivered) => settled.push(delivered));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(channel.sent).toHaveLength(1);
    expect(settled).toEqual([false]);
    expect(instrumentation.dropped).toEqual(['rejected']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Gave up on the result report of task 1');
    expect(reporter.stats()).toMatchObject({ delivered: 0, dropped: 1, pending: 0 });
  });

  it('retries any other refusal with backoff, a bounded number of times, then gives up with one ERROR line', async () => {
    channel.reply = () => Promise.resolve(refusal('Server-side exception'));
    reporter.enqueue(report(1));
    await vi.advanceTimersByTimeAsync(600_000);
    expect(channel.sent).toHaveLength(10);
    expect(instrumentation.retries).toBe(9);
    expect(instrumentation.dropped).toEqual(['refused']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('refused 10 times, last: "Server-side exception"');
  });

  it('delivers a report the server refused a few times once it accepts it', async () => {
    channel.reply = (n) => Promise.resolve(n < 3 ? refusal('Server-side exception') : ok());
    reporter.enqueue(report(1));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(channel.sent).toHaveLength(3);
    expect(reporter.stats()).toMatchObject({ delivered: 1, dropped: 0 });
    expect(instrumentation.dropped).toEqual([]);
  });

  it('keeps a report rejected for a wrong token (it can succeed once the token is fixed)', async () => {
    channel.reply = (n) =>
      Promise.resolve(
        n < 30 ? refusal('Token authentication failed. [namespace:x groupName:g token:t]') : ok(),
      );
    reporter.enqueue(report(1));
    await vi.advanceTimersByTimeAsync(600_000);
    expect(channel.sent.length).toBeGreaterThanOrEqual(30);
    expect(reporter.stats()).toMatchObject({ delivered: 1, dropped: 0 });
    expect(errors).toEqual([]);
  });

  it('keeps reports while the server is unreachable and sends those of one task in order once it answers', async () => {
    channel.reply = (n) =>
      n < 4
        ? Promise.reject(
            new ServerUnavailableError('/report/dispatch/result', grpc.status.UNAVAILABLE, 'ECONNREFUSED'),
          )
        : Promise.resolve(ok());
    reporter.enqueue({ ...report(1), taskStatus: 4 });
    reporter.enqueue({ ...report(1), taskStatus: 3 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reporter.stats()).toMatchObject({ delivered: 2, dropped: 0, pending: 0, resentAfterNoReply: 0 });
    const statuses = channel.sent.map((r) => (r as DispatchJobResultRequest).taskStatus);
    expect(statuses.slice(-2)).toEqual([4, 3]);
    expect(instrumentation.dropped).toEqual([]);
  });
});
