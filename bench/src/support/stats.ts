/** The `p`-th percentile (0-100) of `values` by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** p50 / p99 / max of nanosecond samples, in milliseconds. */
export function latencySummary(ns: readonly number[]): {
  count: number;
  p50: number;
  p99: number;
  max: number;
} {
  return {
    count: ns.length,
    p50: percentile(ns, 50) / 1e6,
    p99: percentile(ns, 99) / 1e6,
    max: ns.length ? Math.max(...ns) / 1e6 : Number.NaN,
  };
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Bytes → MiB. */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

/** Elapsed milliseconds since a `process.hrtime.bigint()` reading. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A promise that resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
