import { NO_TASK } from '../diagnostics/event-loop-monitor.js';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import {
  SnailJobInstrumentation,
  type ReportDropReason,
  type TaskOutcome,
} from '../instrument/snail-job-instrumentation.js';
import { ClientUri } from '../protocol/uris.js';
import { CounterCell } from './counter-cell.js';
import { liveClients, type LiveClient } from './live-clients.js';
import { snailJobMetrics, type SnailJobMetrics } from './snail-job.metrics.js';
import { INBOUND_URIS, OTHER_URI, OUTBOUND_URIS, inboundUriLabel, outboundUriLabel } from './uri-label.js';

const REPORT_DROP_REASONS: readonly ReportDropReason[] = ['rejected', 'refused', 'unencodable', 'overflow'];

/** `executor` label of a name that is not a registered executor. */
export const UNKNOWN_EXECUTOR_LABEL = '(unknown)';

const OUTCOMES: readonly TaskOutcome[] = ['success', 'failure', 'stop', 'timeout', 'shutdown'];

/** Series of one executor label. */
interface ExecutorSeries {
  duration: Record<TaskOutcome, Histogram.Internal<string>>;
  refused: Map<string, CounterCell>;
}

/** Series of one URI label: [failed, ok]. */
type UriSeries = readonly [CounterCell, CounterCell];

/**
 * Records the runtime's instrumentation hooks as Prometheus metrics (see the README). Label
 * values are bounded: executors are registered names or `(unknown)`, URIs are protocol paths or `other`.
 * Hooks only update numbers (counters are {@link CounterCell}s, gauges are fields); prom-client sees them at
 * scrape time. The duration histogram, once per task, is observed directly.
 */
@Injectable()
export class PrometheusInstrumentation
  extends SnailJobInstrumentation
  implements LiveClient, OnApplicationShutdown
{
  running = 0;
  queued = 0;
  batches = 0;
  private readonly startedAt = Date.now();
  private lastBeatOkAt = 0;
  private readonly metrics: SnailJobMetrics;
  private readonly cells: CounterCell[] = [];
  private readonly executors = new Map<string, ExecutorSeries>();
  private readonly inbound = new Map<string, UriSeries>();
  private readonly outbound = new Map<string, UriSeries>();
  private readonly retries: CounterCell;
  private readonly dropped = new Map<ReportDropReason, CounterCell>();
  private readonly stalls = new Map<string, CounterCell>();
  private readonly logSent: CounterCell;
  private readonly logDropped: CounterCell;

  constructor(private readonly registry: ExecutorRegistry) {
    super();
    this.metrics = snailJobMetrics();
    const { inboundRequests, outboundRequests, reportRetries, logEntries } = this.metrics;
    for (const uri of [...INBOUND_URIS, OTHER_URI]) {
      this.inbound.set(uri, [
        this.cell(inboundRequests.labels(uri, 'error')),
        this.cell(inboundRequests.labels(uri, 'ok')),
      ]);
    }
    for (const uri of [...OUTBOUND_URIS, OTHER_URI]) {
      this.outbound.set(uri, [
        this.cell(outboundRequests.labels(uri, 'false')),
        this.cell(outboundRequests.labels(uri, 'true')),
      ]);
    }
    this.retries = this.cell(reportRetries.labels());
    this.logSent = this.cell(logEntries.labels('sent'));
    this.logDropped = this.cell(logEntries.labels('dropped'));
    // Series that exist from the start, so that rate() and absent() work before the first event.
    for (const uri of Object.values(ClientUri)) {
      for (const status of ['ok', 'error']) inboundRequests.inc({ uri, status }, 0);
    }
    for (const uri of OUTBOUND_URIS) {
      for (const ok of ['true', 'false']) outboundRequests.inc({ uri, ok }, 0);
    }
    reportRetries.inc(0);
    for (const reason of REPORT_DROP_REASONS) this.metrics.reportsDropped.inc({ reason }, 0);
    logEntries.inc({ outcome: 'sent' }, 0);
    logEntries.inc({ outcome: 'dropped' }, 0);
    liveClients.add(this);
  }

  override inboundCall(uri: string, status: number): void {
    this.inbound.get(inboundUriLabel(uri))![status === 1 ? 1 : 0].inc();
  }

  override dispatch(executor: string, accepted: boolean, reason: string): void {
    if (accepted) return;
    const series = this.series(executor);
    let refused = series.refused.get(reason);
    if (!refused) {
      refused = this.cell(this.metrics.dispatchErrors.labels(this.executorLabel(executor), reason));
      series.refused.set(reason, refused);
    }
    refused.inc();
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
    this.retries.inc();
  }

  override reportDropped(reason: ReportDropReason): void {
    let cell = this.dropped.get(reason);
    if (!cell) {
      cell = this.cell(this.metrics.reportsDropped.labels(reason));
      this.dropped.set(reason, cell);
    }
    cell.inc();
  }

  override heartbeat(ok: boolean, at: number): void {
    if (ok) this.lastBeatOkAt = at;
  }

  override eventLoopStall(executor: string, _ms: number): void {
    const label = executor === NO_TASK ? NO_TASK : this.executorLabel(executor);
    let cell = this.stalls.get(label);
    if (!cell) {
      cell = this.cell(this.metrics.eventLoopStalls.labels(label));
      this.stalls.set(label, cell);
    }
    cell.inc();
  }

  override logEntries(sent: number, dropped: number): void {
    this.logSent.inc(sent);
    this.logDropped.inc(dropped);
  }

  heartbeatAgeSeconds(now: number): number {
    return Math.max(0, now - (this.lastBeatOkAt || this.startedAt)) / 1000;
  }

  flush(): void {
    for (const cell of this.cells) cell.flush();
  }

  /** The app is gone: hand over its last counts and stop contributing to the gauges. */
  onApplicationShutdown(): void {
    this.flush();
    liveClients.delete(this);
  }

  private cell(child: ConstructorParameters<typeof CounterCell>[0]): CounterCell {
    const cell = new CounterCell(child);
    this.cells.push(cell);
    return cell;
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
