import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TimerService } from '../common/timer.service.js';
import { JobEvents } from '../jobs/job-events.js';
import { NodeRegistry } from '../registry/node.registry.js';

interface Waiter {
  check(): boolean;
  release(): void;
}

/**
 * Long-polls: a waiter re-checks its condition whenever a batch or workflow finishes or the node table
 * changes, and is released at its timeout or when the server closes.
 */
@Injectable()
export class Waiters implements OnModuleInit, OnModuleDestroy {
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly events: JobEvents,
    private readonly registry: NodeRegistry,
    private readonly timers: TimerService,
  ) {}

  onModuleInit(): void {
    const poke = () => this.poke();
    this.events.batchFinished.subscribe(poke);
    this.events.workflowFinished.subscribe(poke);
    this.registry.onChange(poke);
  }

  /** Resolves true as soon as `done()` holds, false at the timeout (or on shutdown). */
  until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = this.timers.after(timeoutMs, () => finish(false));
      const waiter: Waiter = {
        check: () => done() && finish(true),
        release: () => finish(false),
      };
      const finish = (result: boolean): boolean => {
        timer.cancel();
        this.waiters.delete(waiter);
        resolve(result);
        return true;
      };
      this.waiters.add(waiter);
    });
  }

  onModuleDestroy(): void {
    for (const w of [...this.waiters]) w.release();
  }

  private poke(): void {
    // Events fire in the middle of state changes; re-check once they have settled.
    setImmediate(() => {
      for (const w of [...this.waiters]) w.check();
    });
  }
}
