import { Counter, register } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@nestjs/common';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { PrometheusInstrumentation } from './prometheus.instrumentation.js';
import { METRIC_DEFINITIONS, snailJobMetrics } from './snail-job.metrics.js';

function registryWith(...names: string[]): ExecutorRegistry {
  const registry = new ExecutorRegistry();
  for (const name of names) {
    registry.add({
      kind: 'plain',
      name,
      handler: { where: `Jobs#${name}`, className: 'Jobs', methodName: name, invoke: () => undefined },
    });
  }
  return registry;
}

async function values(name: string) {
  const metric = register.getSingleMetric(name);
  return metric ? (await metric.get()).values : [];
}

describe('PrometheusInstrumentation', () => {
  const created: PrometheusInstrumentation[] = [];
  const make = (...names: string[]) => {
    const instrumentation = new PrometheusInstrumentation(registryWith(...names));
    created.push(instrumentation);
    return instrumentation;
  };

  beforeEach(() => register.resetMetrics());
  afterEach(() => {
    for (const i of created.splice(0)) i.onApplicationShutdown();
    vi.restoreAllMocks();
  });

  it('keeps executor labels bounded: unregistered names become "(unknown)"', async () => {
    const metrics = make('report');
    for (let i = 0; i < 50; i++) metrics.dispatch(`random-${i}`, false, 'shutdown');
    metrics.dispatch('report', false, 'misconfigured');
    metrics.dispatch('report', true, 'accepted');
    const refused = await values('job_dispatch_result_error_total');
    expect(refused.map((v) => [v.labels.executor, v.labels.reason, v.value]).sort()).toEqual([
      ['(unknown)', 'shutdown', 50],
      ['report', 'misconfigured', 1],
    ]);
  });

  it('counts event-loop stalls by the executor that was running, with bounded labels', async () => {
    const metrics = make('cpuHeavy');
    metrics.eventLoopStall('cpuHeavy', 1200);
    metrics.eventLoopStall('cpuHeavy', 3000);
    metrics.eventLoopStall('(none)', 1100);
    metrics.eventLoopStall('not-registered', 1500);
    const stalls = (await values('snail_job_event_loop_stalls_total')).filter((v) => v.value > 0);
    expect(stalls.map((v) => [v.labels.executor, v.value]).sort()).toEqual([
      ['(none)', 1],
      ['(unknown)', 1],
      ['cpuHeavy', 2],
    ]);
  });

  it('keeps URI labels bounded: anything outside the protocol is "other"', async () => {
    const metrics = make();
    metrics.inboundCall('/job/dispatch/v1', 1);
    metrics.inboundCall('/job/dispatch/v1', 0);
    for (let i = 0; i < 20; i++) metrics.inboundCall(`/scan/${i}`, 0);
    metrics.outboundCall('/beat', true);
    metrics.outboundCall('/whatever', false);
    const inbound = (await values('rpc_request_total')).filter((v) => v.value > 0);
    expect(inbound.map((v) => [v.labels.uri, v.labels.status, v.value]).sort()).toEqual([
      ['/job/dispatch/v1', 'error', 1],
      ['/job/dispatch/v1', 'ok', 1],
      ['other', 'error', 20],
    ]);
    const outbound = (await values('snail_job_client_requests_total')).filter((v) => v.value > 0);
    expect(outbound.map((v) => [v.labels.uri, v.labels.ok]).sort()).toEqual([
      ['/beat', 'true'],
      ['other', 'false'],
    ]);
  });

  it('observes durations in seconds by outcome', async () => {
    const metrics = make('report');
    metrics.taskEnded('report', 'success', 20);
    metrics.taskEnded('report', 'timeout', 1500);
    const samples = await values('job_task_client_execution_duration');
    const sum = (status: string) =>
      samples.find(
        (v) => (v as { metricName?: string }).metricName?.endsWith('_sum') && v.labels.status === status,
      )?.value;
    expect(sum('success')).toBeCloseTo(0.02);
    expect(sum('timeout')).toBeCloseTo(1.5);
  });

  it('sums the task gauges over every live module and reports the oldest heartbeat', async () => {
    const a = make();
    const b = make();
    a.concurrency(2, 1, 1);
    b.concurrency(3, 0, 2);
    a.heartbeat(true, Date.now());
    b.heartbeat(true, Date.now() - 4_000);
    expect((await values('grpc_server_pool_active'))[0].value).toBe(5);
    expect((await values('grpc_server_pool_queue_size'))[0].value).toBe(1);
    expect((await values('job_thread_pool_cache'))[0].value).toBe(3);
    expect((await values('snail_job_heartbeat_age_seconds'))[0].value).toBeGreaterThanOrEqual(4);
    b.onApplicationShutdown();
    expect((await values('grpc_server_pool_active'))[0].value).toBe(2);
    expect((await values('snail_job_heartbeat_age_seconds'))[0].value).toBeLessThan(1);
  });

  it('hands counts to prom-client at scrape time, once, and at shutdown', async () => {
    const metrics = make();
    metrics.reportRetry();
    expect((await values('snail_job_report_retries_total'))[0].value).toBe(1);
    expect((await values('snail_job_report_retries_total'))[0].value).toBe(1);
    metrics.reportRetry();
    metrics.onApplicationShutdown();
    metrics.reportRetry();
    expect((await values('snail_job_report_retries_total'))[0].value).toBe(2);
  });

  it('counts log entries sent and dropped, and report retries', async () => {
    const metrics = make();
    metrics.logEntries(7, 0);
    metrics.logEntries(0, 2);
    metrics.reportRetry();
    const logs = await values('snail_job_log_entries_total');
    expect(Object.fromEntries(logs.map((v) => [v.labels.outcome, v.value]))).toEqual({ sent: 7, dropped: 2 });
    expect((await values('snail_job_report_retries_total'))[0].value).toBe(1);
  });
});

describe('snailJobMetrics', () => {
  it('returns the registered metrics again instead of registering twice', () => {
    const first = snailJobMetrics();
    const second = snailJobMetrics();
    expect(second.executionDuration).toBe(first.executionDuration);
    expect(second.inboundRequests).toBe(first.inboundRequests);
  });

  it.each([[['method']], [['uri', 'status']]])(
    'leaves a foreign metric of the same name (labels %j) in place, warns and does not throw',
    (labelNames) => {
      const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const name = METRIC_DEFINITIONS.inboundRequests.name;
      register.removeSingleMetric(name);
      const foreign = new Counter({ name, help: 'an app metric', labelNames });
      try {
        const metrics = snailJobMetrics();
        expect(register.getSingleMetric(name)).toBe(foreign);
        expect(() => metrics.inboundRequests.labels('/beat', 'ok').inc()).not.toThrow();
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(`"${name}" is already registered`));
      } finally {
        register.removeSingleMetric(name);
        vi.restoreAllMocks();
      }
    },
  );
});
