import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { SnailJobInstrumentation, type TaskOutcome } from '../instrument/snail-job-instrumentation.js';
import { liveClients, type GaugeSource } from './live-clients.js';
import { snailJobMetrics, type SnailJobMetrics } from './snail-job.metrics.js';
import { INBOUND_URIS, OTHER_URI, OUTBOUND_URIS, inboundUriLabel, outboundUriLabel } from './uri-label.js';

/** `executor` label of a name that is not a registered executor. */
export const UNKNOWN_EXECUTOR_LABEL = '(unknown)';

const OUTCOMES: readonly TaskOutcome[] = ['success', 'failure', 'stop', 'timeout', 'shutdown'];

/** Pre-bound series of one executor label. */
interface ExecutorSeries {
  duration: Record<TaskOutcome, Histogram.Internal<string>>;
  refused: Map<string, Counter.Internal>;
}

/** Pre-bound series of one URI label: [failed, ok]. */
type UriSeries = readonly [Counter.Internal, Counter.Internal];

/**
 * Records the runtime's instrumentation hooks as Prometheus metrics (see `docs/metrics-health.md`). Label
 * values are bounded: executors are registered names or `(unknown)`, URIs are protocol paths or `other`.
 * Label children are bound once, so a hook is a map lookup plus prom-client's increment; the gauges are plain
 * fields read at scrape time.
 */
@Injectable()
export class PrometheusInstrumentation
  extends SnailJobInstrumentation
  implements GaugeSource, OnApplicationShutdown
{
  running = 0;
  queued = 0;
  batches = 0;
  private readonly startedAt = Date.now();
  private lastBeatOkAt = 0;
  private readonly metrics: SnailJobMetrics;
  private readonly executors = new Map<string, ExecutorSeries>();
  private readonly inbound = new Map<string, UriSeries>();
  private readonly outbound = new Map<string, UriSeries>();
  private readonly logSent: Counter.Internal;
  private readonly logDropped: Counter.Internal;

  constructor(private readonly registry: ExecutorRegistry) {
    super();
    this.metrics = snailJobMetrics();
    const { inboundRequests, outboundRequests, logEntries } = this.metrics;
    for (const uri of [...INBOUND_URIS, OTHER_URI]) {
      this.inbound.set(uri, [inboundRequests.labels(uri, 'error'), inboundRequests.labels(uri, 'ok')]);
    }
    for (const uri of [...OUTBOUND_URIS, OTHER_URI]) {
      this.outbound.set(uri, [outboundRequests.labels(uri, 'false'), outboundRequests.labels(uri, 'true')]);
    }
    this.logSent = logEntries.labels('sent');
    this.logDropped = logEntries.labels('dropped');
    // Series that exist from the start, so that rate() and absent() work before the first event.
    this.metrics.reportRetries.inc(0);
    this.logSent.inc(0);
    this.logDropped.inc(0);
    liveClients.add(this);
  }

  override inboundCall(uri: string, status: number): void {
    this.inbound.get(inboundUriLabel(uri))![status === 1 ? 1 : 0].inc();
  }

  override dispatch(executor: string, accepted: boolean, reason: string): void {
    if (accepted) return;
    const series = this.series(executor);
    let counter = series.refused.get(reason);
    if (!counter) {
      counter = this.metrics.dispatchErrors.labels(this.executorLabel(executor), reason);
      series.refused.set(reason, counter);
    }
    counter.inc();
  }

  override taskEnded(executor: string, outcome: TaskOutcome, durationMs: number): void {
    this.series(executor).duration[outcome].observe(durationMs / 1000);
  }

  override concurrency(running: number, queued: number, batches: number): void {
    this.running = running;
    this.queued = queued;
    this.batches = batches;
  }

  override outboundCall(uri: string, ok: boolean): void {
    this.outbound.get(outboundUriLabel(uri))![ok ? 1 : 0].inc();
  }

  override reportRetry(): void {
    this.metrics.reportRetries.inc();
  }

  override heartbeat(ok: boolean, at: number): void {
    if (ok) this.lastBeatOkAt = at;
  }

  override logEntries(sent: number, dropped: number): void {
    if (sent > 0) this.logSent.inc(sent);
    if (dropped > 0) this.logDropped.inc(dropped);
  }

  heartbeatAgeSeconds(now: number): number {
    return Math.max(0, now - (this.lastBeatOkAt || this.startedAt)) / 1000;
  }

  onApplicationShutdown(): void {
    liveClients.delete(this);
  }

  private executorLabel(name: string): string {
    return this.registry.get(name) ? name : UNKNOWN_EXECUTOR_LABEL;
  }

  /** The series of an executor label; names that are not registered all share `(unknown)`. */
  private series(executor: string): ExecutorSeries {
    const label = this.executorLabel(executor);
    let series = this.executors.get(label);
    if (!series) {
      const { executionDuration } = this.metrics;
      const duration = {} as Record<TaskOutcome, Histogram.Internal<string>>;
      for (const outcome of OUTCOMES) duration[outcome] = executionDuration.labels(label, outcome);
      series = { duration, refused: new Map() };
      this.executors.set(label, series);
    }
    return series;
  }
}
