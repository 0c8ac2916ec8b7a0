import { Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';
import { METRIC_CONFLICT } from '../snail-job.messages.js';
import { flushLiveClients, oldestHeartbeatAge, sumOf } from './live-clients.js';

/** Histogram buckets of task durations, in seconds: 5 ms to 1 h. */
export const EXECUTION_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600,
];

/** Name, type, labels and help of every SnailJob metric; the README documents the same list. */
export const METRIC_DEFINITIONS = {
  executionDuration: {
    name: 'job_task_client_execution_duration',
    type: 'histogram',
    labelNames: ['executor', 'status'],
    help: 'Seconds a task handler ran, by executor and outcome (success, failure, stop, timeout, shutdown).',
  },
  dispatchErrors: {
    name: 'job_dispatch_result_error_total',
    type: 'counter',
    labelNames: ['executor', 'reason'],
    help: 'Dispatches the client refused, by reason (unknown_executor, misconfigured, invalid, shutdown, queue_full).',
  },
  inboundRequests: {
    name: 'rpc_request_total',
    type: 'counter',
    labelNames: ['uri', 'status'],
    help: 'Server-to-client RPCs answered, by protocol URI ("other" for any other) and status (ok, error).',
  },
  batches: {
    name: 'job_thread_pool_cache',
    type: 'gauge',
    labelNames: [],
    help: 'Task batches tracked (the Java client caches one thread pool per batch).',
  },
  running: {
    name: 'grpc_server_pool_active',
    type: 'gauge',
    labelNames: [],
    help: 'Tasks running now.',
  },
  queued: {
    name: 'grpc_server_pool_queue_size',
    type: 'gauge',
    labelNames: [],
    help: 'Tasks waiting for a slot of their batch (parallelNum).',
  },
  outboundRequests: {
    name: 'snail_job_client_requests_total',
    type: 'counter',
    labelNames: ['uri', 'ok'],
    help: 'Client-to-server calls, by protocol URI and whether the server answered status 1 (ok="true").',
  },
  reportRetries: {
    name: 'snail_job_report_retries_total',
    type: 'counter',
    labelNames: [],
    help: 'Result reports retried because the server was unreachable or refused them.',
  },
  reportsDropped: {
    name: 'snail_job_reports_dropped_total',
    type: 'counter',
    labelNames: ['reason'],
    help: 'Result reports given up, by reason (rejected: the server can never accept the body; refused: still refused after every retry; unencodable; overflow: pushed out of a full queue).',
  },
  logEntries: {
    name: 'snail_job_log_entries_total',
    type: 'counter',
    labelNames: ['outcome'],
    help: 'Remote log entries sent to the server or dropped (outcome: sent, dropped).',
  },
  eventLoopStalls: {
    name: 'snail_job_event_loop_stalls_total',
    type: 'counter',
    labelNames: ['executor'],
    help: 'Event-loop stalls of at least eventLoopStallMs, by executor running at the time ("(none)" if idle).',
  },
  heartbeatAge: {
    name: 'snail_job_heartbeat_age_seconds',
    type: 'gauge',
    labelNames: [],
    help: 'Seconds since the last heartbeat the server accepted (since start-up before the first one).',
  },
} as const;

type Definitions = typeof METRIC_DEFINITIONS;
type Labels<K extends keyof Definitions> = Definitions[K]['labelNames'][number];

/** The SnailJob metric objects of one registry. */
export interface SnailJobMetrics {
  executionDuration: Histogram<Labels<'executionDuration'>>;
  dispatchErrors: Counter<Labels<'dispatchErrors'>>;
  inboundRequests: Counter<Labels<'inboundRequests'>>;
  outboundRequests: Counter<Labels<'outboundRequests'>>;
  reportRetries: Counter;
  reportsDropped: Counter<Labels<'reportsDropped'>>;
  logEntries: Counter<Labels<'logEntries'>>;
  eventLoopStalls: Counter<Labels<'eventLoopStalls'>>;
}

const logger = new Logger('SnailJob');

/**
 * Gets the SnailJob metrics of `registry` (default: prom-client's global one, which every Prometheus endpoint
 * of the app serves), creating those not there yet. Several SnailJob modules in one process therefore share
 * one set of series instead of failing with "already registered". The gauges are computed at scrape time
 * and the counters collected at scrape time from the live SnailJob modules (`live-clients.ts`).
 */
export function snailJobMetrics(registry: Registry = register): SnailJobMetrics {
  const d = METRIC_DEFINITIONS;
  const gauge = (definition: Definition, value: () => number) =>
    getOrCreate(
      registry,
      definition,
      (registers) =>
        new Gauge({
          ...definition,
          registers,
          collect() {
            this.set(value());
          },
        }),
    );
  const counter = <L extends string>(definition: Definition<L>) =>
    getOrCreate(
      registry,
      definition,
      (registers) => new Counter<L>({ ...definition, registers, collect: flushLiveClients }),
    );
  gauge(d.batches, () => sumOf('batches'));
  gauge(d.running, () => sumOf('running'));
  gauge(d.queued, () => sumOf('queued'));
  gauge(d.heartbeatAge, () => oldestHeartbeatAge(Date.now()));
  return {
    executionDuration: getOrCreate(
      registry,
      d.executionDuration,
      (registers) =>
        new Histogram({ ...d.executionDuration, buckets: EXECUTION_DURATION_BUCKETS, registers }),
    ),
    dispatchErrors: counter(d.dispatchErrors),
    inboundRequests: counter(d.inboundRequests),
    outboundRequests: counter(d.outboundRequests),
    reportRetries: counter(d.reportRetries),
    reportsDropped: counter(d.reportsDropped),
    logEntries: counter(d.logEntries),
    eventLoopStalls: counter(d.eventLoopStalls),
  };
}

interface Definition<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly labelNames: readonly L[];
}

/** Metrics this library created: only these are reused (their collect() is what feeds them). */
const ours = new WeakSet<object>();

/**
 * The metric of that name when we registered it before; a new one when the name is free. A metric of someone
 * else under our name keeps its place: ours is then created unregistered (recorded, not exported) and a
 * warning says so.
 */
function getOrCreate<M extends object>(
  registry: Registry,
  definition: Definition,
  create: (registers: Registry[]) => M,
): M {
  const existing: object | undefined = registry.getSingleMetric(definition.name);
  if (existing !== undefined && ours.has(existing)) return existing as M;
  if (existing !== undefined) {
    const labels = (existing as { labelNames?: readonly string[] }).labelNames ?? [];
    const found = `${existing.constructor.name.toLowerCase()}{${labels.join(',')}}`;
    const wanted = `${definition.type}{${definition.labelNames.join(',')}}`;
    logger.warn(METRIC_CONFLICT(definition.name, wanted, found));
  }
  const metric = create(existing === undefined ? [registry] : []);
  ours.add(metric);
  return metric;
}
