import { Logger } from '@nestjs/common';
import { taskContextStorage } from './task-context.js';
import type { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import {
  LOG_DELIVERY_FAILED,
  LOG_DELIVERY_RESUMED,
  LOG_QUEUE_FULL,
  LOGS_UNDELIVERED,
} from '../snail-job.messages.js';

/**
 * Counts what becomes of remote log entries (reported to instrumentation as it happens) and tells the
 * local log about trouble once per episode, never per entry: one warning when delivery starts failing, one
 * when a burst outruns the queue (unless an outage was already told), one line when delivery is back with
 * the number dropped meanwhile. Its lines are written outside any task, so they are never taken for a
 * task's own.
 */
export class LogDeliveryMonitor {
  /** Entries the server confirmed. */
  sent = 0;
  /** Entries dropped (queue full, too large, undelivered at shutdown). */
  dropped = 0;
  private readonly logger = new Logger('SnailJob');
  private outageTold = false;
  private dropTold = false;
  private droppedSinceTold = 0;
  private readonly toldOnce = new Set<string>();

  constructor(
    private readonly instrumentation: SnailJobInstrumentation,
    private readonly queueMax: number,
  ) {}

  /** The server confirmed `n` entries; `caughtUp` when nothing waits any more. */
  delivered(n: number, caughtUp: boolean): void {
    this.sent += n;
    this.instrumentation.logEntries(n, 0);
    if (this.outageTold || (this.dropTold && caughtUp)) {
      this.tell('log', LOG_DELIVERY_RESUMED(this.droppedSinceTold));
      this.outageTold = this.dropTold = false;
      this.droppedSinceTold = 0;
    }
  }

  /** `n` entries were dropped; `queueFull` when the queue overflowed (worth a warning once per episode). */
  lost(n: number, queueFull: boolean): void {
    this.dropped += n;
    this.droppedSinceTold += n;
    this.instrumentation.logEntries(0, n);
    if (queueFull && !this.outageTold && !this.dropTold) {
      this.dropTold = true;
      this.tell('warn', LOG_QUEUE_FULL(this.queueMax));
    }
  }

  /** A request failed; entries wait for the server to come back. */
  failed(reason: string, queued: number): void {
    if (this.outageTold) return;
    this.outageTold = true;
    this.tell('warn', LOG_DELIVERY_FAILED(reason, queued, this.queueMax));
  }

  /** Warns with `message` the first time only (same text, same warning). */
  once(key: string, message: string): void {
    if (this.toldOnce.has(key)) return;
    this.toldOnce.add(key);
    this.tell('warn', message);
  }

  /** Shutdown left `n` entries undelivered. */
  undelivered(n: number): void {
    this.tell('warn', LOGS_UNDELIVERED(n));
  }

  private tell(level: 'log' | 'warn', message: string): void {
    taskContextStorage.exit(() => this.logger[level](message));
  }
}
