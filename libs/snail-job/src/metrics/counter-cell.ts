import type { Counter } from 'prom-client';

/**
 * One counter series kept as a plain number: `inc` is a field update (no allocation, no label hashing) and
 * the increments reach prom-client when the counter is collected at scrape time.
 */
export class CounterCell {
  private value = 0;
  private flushed = 0;

  constructor(private readonly child: Counter.Internal) {}

  inc(by = 1): void {
    this.value += by;
  }

  /** Pushes the increments since the last flush into the prom-client series. */
  flush(): void {
    const delta = this.value - this.flushed;
    if (delta <= 0) return;
    this.flushed = this.value;
    this.child.inc(delta);
  }
}
