import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { EVENT_LOOP_STALL } from '../snail-job.messages.js';
import { ActiveExecutors } from './active-executors.js';

/** Label used when no task was running during a stall. */
export const NO_TASK = '(none)';

/**
 * Detects event-loop stalls of at least `eventLoopStallMs` with a cheap timer-drift check: a timer due every
 * `tick` ms that fires `tick + d` ms after the previous one saw the loop blocked for about `d` ms. A stall means
 * late heartbeats and late replies to the server (which waits 3 s for a dispatch reply, then fails the node over),
 * so it is logged with the executors of the tasks running at the time and counted through the instrumentation.
 */
@Injectable()
export class EventLoopMonitor {
  private readonly logger = new Logger('SnailJob');
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private stalls = 0;

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly tasks: ActiveExecutors,
    private readonly instrumentation: SnailJobInstrumentation,
  ) {}

  /** Stalls seen so far. */
  get stallCount(): number {
    return this.stalls;
  }

  /** Starts watching (no-op when `eventLoopStallMs` is 0). */
  start(): void {
    const threshold = this.options.eventLoopStallMs;
    if (threshold <= 0 || this.timer) return;
    const tick = Math.max(10, Math.min(100, Math.floor(threshold / 4)));
    this.last = performance.now();
    this.timer = setInterval(() => this.check(tick, threshold), tick);
    this.timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(tick: number, threshold: number): void {
    const now = performance.now();
    const stalled = now - this.last - tick;
    const from = this.last;
    this.last = now;
    if (stalled < threshold) return;
    this.stalls++;
    const ms = Math.round(stalled);
    const executors = this.tasks.executorsActiveBetween(from, now);
    this.logger.warn(EVENT_LOOP_STALL(ms, executors, this.options.heartbeatIntervalMs));
    for (const executor of executors.length ? executors : [NO_TASK]) {
      this.instrumentation.eventLoopStall(executor, ms);
    }
  }
}
