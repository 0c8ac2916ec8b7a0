/** What one SnailJob module contributes to a scrape. */
export interface LiveClient {
  /** Tasks running now. */
  readonly running: number;
  /** Tasks waiting for a `parallelNum` slot. */
  readonly queued: number;
  /** Task batches tracked. */
  readonly batches: number;
  /** Seconds since the last successful heartbeat (since start-up before the first one). */
  heartbeatAgeSeconds(now: number): number;
  /** Pushes counter increments kept locally into prom-client. */
  flush(): void;
}

/**
 * Every live SnailJob module of this process. The metrics are shared by the process (one prom-client
 * registry), so each scrape sums the task gauges over all modules, reports the oldest heartbeat and collects
 * every module's counters.
 */
export const liveClients = new Set<LiveClient>();

/** Sum of one field over the live modules. */
export function sumOf(field: 'running' | 'queued' | 'batches'): number {
  let total = 0;
  for (const client of liveClients) total += client[field];
  return total;
}

/** The oldest heartbeat age over the live modules, or 0 when none runs. */
export function oldestHeartbeatAge(now: number): number {
  let oldest = 0;
  for (const client of liveClients) oldest = Math.max(oldest, client.heartbeatAgeSeconds(now));
  return oldest;
}

/** Collects the counters of every live module. */
export function flushLiveClients(): void {
  for (const client of liveClients) client.flush();
}
