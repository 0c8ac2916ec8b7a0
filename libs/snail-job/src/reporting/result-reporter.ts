import { Injectable, Logger } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import type { DispatchJobResultRequest } from '../protocol/payloads.js';
import { ServerUri } from '../protocol/uris.js';
import { ServerChannel, ServerUnavailableError } from '../transport/server-channel.js';
import { backoffDelay } from './backoff.js';

interface PendingReport {
  readonly report: DispatchJobResultRequest;
  refusals: number;
  /** Called once: `true` when the server confirmed the report, `false` when it was given up. */
  readonly settled?: (delivered: boolean) => void;
}

/** Most reports in flight at once. */
const MAX_IN_FLIGHT = 64;
/** Most reports kept while the server is away; beyond it the oldest are dropped (and counted). */
const MAX_QUEUED = 100_000;
/** A report the server keeps refusing (status 0) is given up after this many tries. */
const MAX_REFUSALS = 10;

/**
 * Delivers result reports to `/report/dispatch/result`. Reports wait in a bounded FIFO queue; a transport
 * failure pauses the whole queue with exponential backoff (the server is away) and a status-0 refusal retries
 * that report alone. A report confirmed by the server is never sent again.
 */
@Injectable()
export class ResultReporter {
  private readonly logger = new Logger('SnailJob');
  private readonly queue: PendingReport[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private outageAttempts = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly delayed = new Set<NodeJS.Timeout>();
  private dropped = 0;
  private delivered = 0;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly channel: ServerChannel,
    private readonly instrumentation: SnailJobInstrumentation,
  ) {}

  /** Queues a report for delivery; `settled` learns whether the server confirmed it. */
  enqueue(report: DispatchJobResultRequest, settled?: (delivered: boolean) => void): void {
    if (this.queue.length >= MAX_QUEUED) {
      const lost = this.queue.shift()!;
      this.dropped++;
      lost.settled?.(false);
      this.logger.error(
        `Result queue full (${MAX_QUEUED}); dropped the report of task ${String(lost.report.taskId)}. Is the SnailJob server reachable?`,
      );
    }
    this.queue.push({ report, refusals: 0, settled });
    this.drain();
  }

  /** Reports waiting or in flight. */
  pending(): number {
    return this.queue.length + this.inFlight + this.delayed.size;
  }

  /** Delivery counters. */
  stats(): { delivered: number; dropped: number; pending: number } {
    return { delivered: this.delivered, dropped: this.dropped, pending: this.pending() };
  }

  /** Resolves when nothing is pending, or after `timeoutMs`; returns whether everything was delivered. */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.pending() === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<boolean>((resolve) => {
      this.drainWaiters.push(() => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const delivered = await done;
    clearTimeout(timer);
    return delivered;
  }

  /** Stops all timers (after a flush at shutdown). */
  close(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
    if (this.pending() > 0) {
      this.logger.warn(`${this.pending()} result report(s) were not delivered before shutdown.`);
    }
  }

  private drain(): void {
    const now = Date.now();
    if (now < this.pausedUntil) {
      this.scheduleWake(this.pausedUntil - now);
      return;
    }
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      this.send(this.queue.shift()!);
    }
    if (this.pending() === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  private send(p: PendingReport): void {
    this.inFlight++;
    this.channel.call(ServerUri.REPORT_RESULT, [p.report]).then(
      (reply) => {
        this.inFlight--;
        if (reply.status === 1) {
          this.outageAttempts = 0;
          this.delivered++;
          p.settled?.(true);
        } else {
          this.refused(p, reply.message);
        }
        this.drain();
      },
      (error: unknown) => {
        this.inFlight--;
        this.unavailable(p, error);
        this.drain();
      },
    );
  }

  /** The server answered status 0: retry this report alone, a bounded number of times. */
  private refused(p: PendingReport, message: string): void {
    p.refusals++;
    if (p.refusals > MAX_REFUSALS) {
      this.dropped++;
      p.settled?.(false);
      this.logger.error(
        `SnailJob server refused the result of task ${String(p.report.taskId)} ${MAX_REFUSALS} times (last: "${message}"); giving up on it.`,
      );
      return;
    }
    this.instrumentation.reportRetry();
    const timer = setTimeout(
      () => {
        this.delayed.delete(timer);
        this.queue.unshift(p);
        this.drain();
      },
      backoffDelay(p.refusals, 200, 10_000),
    );
    this.delayed.add(timer);
  }

  /** No reply: the server is away. Put the report back at the head and pause the queue. */
  private unavailable(p: PendingReport, error: unknown): void {
    this.instrumentation.reportRetry();
    this.queue.unshift(p);
    if (Date.now() >= this.pausedUntil) this.outageAttempts++;
    const delay = backoffDelay(this.outageAttempts, 250, 5_000);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
    if (this.outageAttempts === 1) {
      const code =
        error instanceof ServerUnavailableError ? grpc.status[error.code ?? grpc.status.UNKNOWN] : '';
      this.logger.warn(
        `Could not deliver result reports (${code} ${(error as Error).message}); ${this.queue.length} queued, retrying with backoff.`,
      );
    }
  }

  private scheduleWake(ms: number): void {
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.drain();
    }, ms);
  }
}
