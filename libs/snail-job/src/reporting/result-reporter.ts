import { Injectable, Logger } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { LinkedQueue } from '../common/linked-queue.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import type { DispatchJobResultRequest } from '../protocol/payloads.js';
import { ServerUri } from '../protocol/uris.js';
import {
  OUTBOX_RESENDING,
  REPORTS_DROPPED,
  REPORTS_UNDELIVERED,
  REPORT_GIVEN_UP,
  REPORTS_PAUSED,
} from '../snail-job.messages.js';
import { ServerUnavailableError } from '../errors/server-unavailable.error.js';
import { ServerChannel } from '../transport/server-channel.js';
import { backoffDelay } from '../common/backoff.js';
import { ResultOutbox, type OutboxRecord } from './outbox.js';

interface PendingReport {
  readonly report: DispatchJobResultRequest;
  /** Reports of one task are delivered one at a time, in order. */
  readonly taskKey: string;
  readonly outboxId: number | undefined;
  refusals: number;
  /** Told once whether the server confirmed the report (`true`) or it was given up (`false`). */
  readonly onSettled: ((delivered: boolean) => void) | undefined;
}

/** Delivery counters. */
export interface ReportStats {
  /** Confirmed by the server (status 1). */
  delivered: number;
  /** Given up: refused too often, or pushed out of a full queue. */
  dropped: number;
  /** Sent again after a call that may have reached the server got no reply (timeout, dropped connection). */
  resentAfterNoReply: number;
  /** Waiting, in flight, or held back behind an earlier report of the same task. */
  pending: number;
}

/** Most reports in flight at once (one while the server is away). */
const MAX_IN_FLIGHT = 64;
/** Most reports kept while the server is away; beyond it the oldest are dropped (and counted). */
const MAX_QUEUED = 100_000;
/** A report the server keeps refusing (status 0) is given up after this many tries. */
const MAX_REFUSALS = 10;
/** The server's answer when the group token is wrong (spec §2.3). */
const TOKEN_REJECTED = /Token authentication failed/i;

/**
 * Delivers result reports to `/report/dispatch/result`.
 *
 * - A report confirmed by the server (status 1) is never sent again; one refused with status 0 is retried alone,
 *   with backoff, at most {@link MAX_REFUSALS} times (a token rejection is treated like an outage instead).
 * - A call without a reply pauses the queue with exponential backoff and puts the report back at the head; while
 *   the server is away one report probes at a time, and everything resumes as soon as any call to the server
 *   succeeds again (heartbeat included). A call that may have reached the server (timeout, dropped connection)
 *   is re-sent too: at-least-once, see docs/reliability-security.md, "Result delivery guarantees".
 * - Reports of one task go out one at a time, in the order they were made.
 * - At most {@link MAX_QUEUED} reports are kept; with `outboxDir` each is also written to disk before it is sent
 *   and re-sent at the next start if the process dies first.
 */
@Injectable()
export class ResultReporter {
  private readonly logger = new Logger('SnailJob');
  private readonly queue = new LinkedQueue<PendingReport>();
  /** The report of each task currently being delivered, and the later reports of that task held behind it. */
  private readonly owners = new Map<string, { owner: PendingReport; held: PendingReport[] }>();
  private held = 0;
  private inFlight = 0;
  private pausedUntil = 0;
  private outage = false;
  private outageAttempts = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly delayed = new Set<NodeJS.Timeout>();
  private readonly counters = { delivered: 0, dropped: 0, resentAfterNoReply: 0 };
  private droppedInOverflow = 0;
  private drainWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly channel: ServerChannel,
    private readonly instrumentation: SnailJobInstrumentation,
    private readonly outbox: ResultOutbox,
  ) {
    channel.onReachable(() => this.resume());
  }

  /**
   * Queues a report for delivery (written to the outbox first when it is on); `onSettled` learns whether the
   * server confirmed it.
   */
  enqueue(report: DispatchJobResultRequest, onSettled?: (delivered: boolean) => void): void {
    this.add(report, this.outbox.append(report), onSettled);
    this.drain();
  }

  /** Opens the outbox (when configured) and queues the reports an earlier run left undelivered. */
  restore(): void {
    const leftovers: OutboxRecord[] = this.outbox.open();
    if (leftovers.length === 0) return;
    this.logger.warn(OUTBOX_RESENDING(leftovers.length, this.outbox.path, Date.now() - leftovers[0].at));
    for (const r of leftovers) this.add(r.report, r.id, undefined);
    this.drain();
  }

  /** Reports waiting, in flight, or held back. */
  pending(): number {
    return this.queue.size + this.inFlight + this.delayed.size + this.held;
  }

  /** Delivery counters. */
  stats(): ReportStats {
    return { ...this.counters, pending: this.pending() };
  }

  /** Resolves when nothing is pending, or after `timeoutMs`; returns whether everything was delivered. */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.pending() === 0) return true;
    this.resume();
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<boolean>((resolve) => {
      this.drainWaiters.push(() => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const delivered = await done;
    clearTimeout(timer);
    return delivered;
  }

  /** Stops all timers (after a flush at shutdown) and closes the outbox, which keeps what is still pending. */
  close(): void {
    this.closed = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
    const pending = this.pending();
    const kept = this.outbox.enabled ? this.outbox.size : 0;
    this.outbox.close();
    if (pending > 0) this.logger.warn(REPORTS_UNDELIVERED(pending, kept, this.outbox.path));
  }

  private add(
    report: DispatchJobResultRequest,
    outboxId: number | undefined,
    onSettled: ((delivered: boolean) => void) | undefined,
  ): void {
    if (this.queue.size >= MAX_QUEUED) {
      const lost = this.queue.shift()!;
      this.counters.dropped++;
      this.droppedInOverflow++;
      this.outbox.ack(lost.outboxId);
      this.settle(lost);
      lost.onSettled?.(false);
      if (this.droppedInOverflow === 1 || this.droppedInOverflow % 1_000 === 0) {
        this.logger.error(REPORTS_DROPPED(MAX_QUEUED, this.droppedInOverflow, String(lost.report.taskId)));
      }
    }
    this.queue.push({ report, taskKey: String(report.taskId), outboxId, refusals: 0, onSettled });
  }

  /** The server answered again: end the pause at once. */
  private resume(): void {
    if (!this.outage && this.pausedUntil === 0) return;
    this.pausedUntil = 0;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.drain();
  }

  private drain(): void {
    if (this.closed) return;
    const now = Date.now();
    if (now < this.pausedUntil) {
      this.scheduleWake(this.pausedUntil - now);
      return;
    }
    const limit = this.outage ? 1 : MAX_IN_FLIGHT;
    while (this.inFlight < limit && this.queue.size > 0) {
      const p = this.queue.shift()!;
      const slot = this.owners.get(p.taskKey);
      if (slot && slot.owner !== p) {
        slot.held.push(p);
        this.held++;
        continue;
      }
      if (!slot) this.owners.set(p.taskKey, { owner: p, held: [] });
      this.send(p);
    }
    if (this.pending() === 0) {
      this.droppedInOverflow = 0;
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  private send(p: PendingReport): void {
    this.inFlight++;
    let call: Promise<{ status: number; message: string }>;
    try {
      call = this.channel.call(ServerUri.REPORT_RESULT, [p.report]);
    } catch (error) {
      // Cannot even be encoded: retrying will not help.
      this.inFlight--;
      this.giveUp(p, (error as Error).message);
      return;
    }
    call.then(
      (reply) => {
        this.inFlight--;
        if (reply.status === 1) {
          this.outage = false;
          this.outageAttempts = 0;
          this.counters.delivered++;
          this.outbox.ack(p.outboxId);
          this.settle(p);
          p.onSettled?.(true);
        } else if (TOKEN_REJECTED.test(reply.message)) {
          // A configuration problem, not a bad report: keep it (like an outage) until the token is fixed.
          this.unavailable(p, new Error(reply.message));
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

  /** Delivery of `p` is over (confirmed or given up): the next report of its task may go. */
  private settle(p: PendingReport): void {
    const slot = this.owners.get(p.taskKey);
    if (!slot || slot.owner !== p) return;
    this.owners.delete(p.taskKey);
    for (let i = slot.held.length - 1; i >= 0; i--) this.queue.unshift(slot.held[i]);
    this.held -= slot.held.length;
  }

  private giveUp(p: PendingReport, reason: string): void {
    this.counters.dropped++;
    this.logger.error(REPORT_GIVEN_UP(String(p.report.taskId), reason));
    this.outbox.ack(p.outboxId);
    this.settle(p);
    p.onSettled?.(false);
  }

  /** The server answered status 0: retry this report alone, a bounded number of times. */
  private refused(p: PendingReport, message: string): void {
    p.refusals++;
    if (p.refusals >= MAX_REFUSALS) {
      this.giveUp(p, `refused ${p.refusals} times, last: "${message}"`);
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
    if (!neverSent(error)) this.counters.resentAfterNoReply++;
    this.queue.unshift(p);
    if (Date.now() >= this.pausedUntil) this.outageAttempts++;
    const delay = backoffDelay(this.outageAttempts, 250, 5_000);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
    if (!this.outage) {
      this.outage = true;
      this.logger.warn(REPORTS_PAUSED(describeError(error), this.pending()));
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

/** True when the call provably never reached the server (no connection could be made). */
function neverSent(error: unknown): boolean {
  return (
    error instanceof ServerUnavailableError &&
    error.code === grpc.status.UNAVAILABLE &&
    /No connection established|ECONNREFUSED/.test(error.message)
  );
}

function describeError(error: unknown): string {
  const code =
    error instanceof ServerUnavailableError && error.code !== undefined ? grpc.status[error.code] : '';
  return `${code} ${(error as Error).message}`.trim();
}
