import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/** A cancellable scheduled callback. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Every timer of the dev server goes through here, so that closing the server clears them all and the
 * process can exit.
 */
@Injectable()
export class TimerService implements OnModuleDestroy {
  private readonly timeouts = new Set<NodeJS.Timeout>();
  private readonly intervals = new Set<NodeJS.Timeout>();
  private closed = false;

  /** Runs `fn` once after `ms` milliseconds. */
  after(ms: number, fn: () => void): TimerHandle {
    if (this.closed) return { cancel: () => undefined };
    const t = setTimeout(() => {
      this.timeouts.delete(t);
      fn();
    }, ms);
    this.timeouts.add(t);
    return {
      cancel: () => {
        clearTimeout(t);
        this.timeouts.delete(t);
      },
    };
  }

  /** Runs `fn` every `ms` milliseconds. */
  every(ms: number, fn: () => void): TimerHandle {
    if (this.closed) return { cancel: () => undefined };
    const t = setInterval(fn, ms);
    this.intervals.add(t);
    return {
      cancel: () => {
        clearInterval(t);
        this.intervals.delete(t);
      },
    };
  }

  /** Resolves after `ms` milliseconds (never, once the server is closed). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** True once the server is shutting down. */
  get isClosed(): boolean {
    return this.closed;
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const t of this.timeouts) clearTimeout(t);
    for (const t of this.intervals) clearInterval(t);
    this.timeouts.clear();
    this.intervals.clear();
  }
}
