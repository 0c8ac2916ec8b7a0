import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { taskContextStorage } from './task-context.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import { ServerUri } from '../protocol/uris.js';
import { backoffDelay } from '../common/backoff.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { LOG_BATCH_TOO_LARGE, LOG_ENTRY_TOO_LARGE } from '../snail-job.messages.js';
import { ClientIdentity } from '../transport/client-identity.js';
import { ServerUnavailableError } from '../errors/server-unavailable.error.js';
import { ServerChannel } from '../transport/server-channel.js';
import { LogEntrySerializer } from './log-entry.serializer.js';
import { LogBacklog } from './log-backlog.js';
import { LogDeliveryMonitor } from './log-delivery.monitor.js';
import { TaskLog, type LogEntry, type LogSink } from './task-log.js';

/** One request's worth of entries. */
interface Batch {
  readonly entries: LogEntry[];
  readonly body: string;
}

/** Log requests in flight at once: one, so batches reach the server in order. */
const MAX_IN_FLIGHT = 1;
/** While several full batches wait, one request carries up to this many of them (catching up after a burst). */
const CATCH_UP_BATCHES = 10;
/** A task's trailing lines are sent this long after it ends (coalescing the ends of many tasks). */
const TASK_END_FLUSH_DELAY_MS = 100;
/** Text (message + throwable characters) the queue may hold, whatever `logQueueMax` says. */
export const MAX_QUEUED_CHARS = 16 * 1024 * 1024;
/** Room left in a gRPC message for the envelope around the body. */
const ENVELOPE_HEADROOM_BYTES = 16 * 1024;

/**
 * Ships remote log entries to `/batch/server/report/log` off the tasks' path. Entries wait in a bounded
 * queue; a window opens with its first entry and is sent when it holds `logBatchSize` entries or
 * `logFlushIntervalMs` after it opened, and shortly after a task ends (a backlog of several full batches goes
 * out up to ten batches per request). One request is in flight at a time;
 * when the server is away or refuses (status 0), the batch goes back to the head of the queue and delivery
 * pauses with exponential backoff. Past `logQueueMax` the oldest entries are dropped and counted. Its timers
 * and calls run outside any task's async context, so nothing it logs is taken for a task's own line.
 */
@Injectable()
export class LogReporter implements LogSink, OnApplicationShutdown {
  private readonly backlog: LogBacklog;
  private readonly serializer: LogEntrySerializer;
  private readonly maxBodyBytes: number;
  private inFlightEntries = 0;
  private inFlightRequests = 0;
  private windowTimer: NodeJS.Timeout | undefined;
  private taskEndTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private pausedUntil = 0;
  private failures = 0;
  private readonly monitor: LogDeliveryMonitor;
  private closing = false;
  private closed = false;
  private waiters: ((drained: boolean) => void)[] = [];

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly channel: ServerChannel,
    identity: ClientIdentity,
    instrumentation: SnailJobInstrumentation,
  ) {
    this.monitor = new LogDeliveryMonitor(instrumentation, options.logQueueMax);
    this.backlog = new LogBacklog(options.logQueueMax, MAX_QUEUED_CHARS);
    this.serializer = new LogEntrySerializer(options.client.host, () => identity.port);
    this.maxBodyBytes = Math.max(4 * 1024, options.maxMessageBytes - ENVELOPE_HEADROOM_BYTES);
  }

  /** The remote log of a task about to run. */
  openTask(
    request: DispatchJobRequest,
    executorName: string,
    handler: { readonly className: string; readonly methodName: string },
  ): TaskLog {
    const location = `${handler.className}#${handler.methodName}`;
    return new TaskLog(request, executorName, location, this.options.logCaptureNestLogger, this);
  }

  /** Queues one entry (called on the task's path: O(1), no I/O). */
  append(entry: LogEntry): void {
    if (this.closed) {
      this.monitor.lost(1, false);
      return;
    }
    const dropped = this.backlog.push(entry);
    if (dropped > 0) this.monitor.lost(dropped, true);
    if (this.closing) this.backlog.markAllDue();
    if (this.backlog.length >= this.options.logBatchSize || this.closing) this.drainSoon();
    else this.windowTimer ??= this.timer(this.options.logFlushIntervalMs, () => this.windowClosed());
  }

  /** A task ended: send what is queued shortly, so the console shows its last lines while it still polls. */
  taskEnded(): void {
    if (this.closed || this.taskEndTimer) return;
    this.taskEndTimer = this.timer(TASK_END_FLUSH_DELAY_MS, () => {
      this.taskEndTimer = undefined;
      this.backlog.markAllDue();
      this.drain();
    });
  }

  /** Entries queued or in flight. */
  pending(): number {
    return this.backlog.length + this.inFlightEntries;
  }

  /** Delivery counters. */
  stats(): { sent: number; dropped: number; queued: number; inFlight: number } {
    return {
      sent: this.monitor.sent,
      dropped: this.monitor.dropped,
      queued: this.backlog.length,
      inFlight: this.inFlightEntries,
    };
  }

  /**
   * Sends everything queued now (retrying quickly while the server is away) and resolves with whether all
   * was delivered within `timeoutMs`. Used at shutdown; later entries are sent at once too.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.closed) return this.pending() === 0;
    this.closing = true;
    this.backlog.markAllDue();
    this.pausedUntil = Math.min(this.pausedUntil, Date.now());
    this.drain();
    if (this.pending() === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await new Promise<boolean>((resolve) => {
      this.waiters.push(resolve);
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    clearTimeout(timer);
    return drained;
  }

  /** Stops for good: clears timers, counts what is left as dropped and says so once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of [this.windowTimer, this.taskEndTimer, this.wakeTimer]) clearTimeout(t);
    if (this.immediate) clearImmediate(this.immediate);
    this.windowTimer = this.taskEndTimer = this.wakeTimer = this.immediate = undefined;
    const undelivered = this.pending();
    const left = this.backlog.clear();
    if (left > 0) this.monitor.lost(left, false);
    if (undelivered > 0) this.monitor.undelivered(undelivered);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(false);
  }

  onApplicationShutdown(): void {
    this.close();
  }

  private windowClosed(): void {
    this.windowTimer = undefined;
    this.backlog.markAllDue();
    this.drain();
  }

  private drainSoon(): void {
    this.immediate ??= taskContextStorage.exit(() =>
      setImmediate(() => {
        this.immediate = undefined;
        this.drain();
      }),
    );
  }

  /** Sends what is ready: full batches, and partial ones whose window closed. Runs outside task contexts. */
  private drain(): void {
    if (this.closed) return;
    const now = Date.now();
    if (now < this.pausedUntil) {
      this.wakeTimer ??= this.timer(this.pausedUntil - now, () => {
        this.wakeTimer = undefined;
        this.drain();
      });
      return;
    }
    while (
      this.inFlightRequests < MAX_IN_FLIGHT &&
      this.backlog.length > 0 &&
      (this.backlog.due > 0 || this.backlog.length >= this.options.logBatchSize)
    ) {
      const batch = this.takeBatch();
      if (batch) this.send(batch);
    }
    if (this.backlog.length === 0 && this.windowTimer) {
      clearTimeout(this.windowTimer);
      this.windowTimer = undefined;
    }
    this.settleWaiters();
  }

  /** Takes one batch from the head (several whole ones while a backlog waits), within the message size. */
  private takeBatch(): Batch | undefined {
    const size = this.options.logBatchSize;
    const limit = size * Math.max(1, Math.min(CATCH_UP_BATCHES, Math.floor(this.backlog.length / size)));
    const entries: LogEntry[] = [];
    const texts: string[] = [];
    let bytes = 4;
    while (entries.length < limit && this.backlog.length > 0) {
      const entry = this.backlog.peek()!;
      const text = this.serializer.entry(entry);
      const entryBytes = Buffer.byteLength(text) + 1;
      if (bytes + entryBytes > this.maxBodyBytes && entries.length > 0) break;
      this.backlog.shift();
      if (bytes + entryBytes > this.maxBodyBytes) {
        this.monitor.once('entry', LOG_ENTRY_TOO_LARGE(entryBytes, this.options.maxMessageBytes));
        this.monitor.lost(1, false);
        continue;
      }
      entries.push(entry);
      texts.push(text);
      bytes += entryBytes;
    }
    return entries.length > 0 ? { entries, body: LogEntrySerializer.body(texts) } : undefined;
  }

  private send(batch: Batch): void {
    const n = batch.entries.length;
    this.inFlightRequests++;
    this.inFlightEntries += n;
    taskContextStorage
      .exit(() => this.channel.callWithBody(ServerUri.REPORT_LOG, batch.body))
      .then(
        (reply) => this.settled(batch, reply.status === 1 ? undefined : `status 0: ${reply.message || '-'}`),
        (error: unknown) => this.settled(batch, error),
      );
  }

  private settled(batch: Batch, failure: unknown): void {
    const n = batch.entries.length;
    this.inFlightRequests--;
    this.inFlightEntries -= n;
    if (failure === undefined) {
      this.failures = 0;
      this.monitor.delivered(n, this.backlog.length === 0);
    } else if (this.closed) {
      this.monitor.lost(n, false);
    } else if (failure instanceof ServerUnavailableError && failure.code === grpc.status.RESOURCE_EXHAUSTED) {
      const bytes = Buffer.byteLength(batch.body);
      this.monitor.once('batch', LOG_BATCH_TOO_LARGE(n, bytes, this.options.maxMessageBytes));
      this.monitor.lost(n, false);
    } else {
      this.failed(batch, failure);
    }
    this.drain();
    this.settleWaiters();
  }

  /** Puts the batch back at the head (what no longer fits is dropped) and pauses delivery. */
  private failed(batch: Batch, failure: unknown): void {
    const dropped = this.backlog.requeue(batch.entries);
    if (dropped > 0) this.monitor.lost(dropped, true);
    const now = Date.now();
    if (now >= this.pausedUntil) this.failures++;
    const delay = this.closing ? 100 : backoffDelay(this.failures, 500, 10_000);
    this.pausedUntil = Math.max(this.pausedUntil, now + delay);
    const reason =
      failure instanceof ServerUnavailableError
        ? `${grpc.status[failure.code ?? grpc.status.UNKNOWN]}: ${failure.message}`
        : String(failure instanceof Error ? failure.message : failure);
    this.monitor.failed(reason, this.backlog.length);
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0 || this.pending() > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(true);
  }

  /** A timer that does not belong to the task whose call armed it, and does not keep the process alive. */
  private timer(ms: number, fn: () => void): NodeJS.Timeout {
    return taskContextStorage.exit(() => setTimeout(fn, ms)).unref();
  }
}
