import { Injectable, Module, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExecuteResult,
  SnailJob,
  SnailJobModule,
  SnailJobTransport,
  type JobArgs,
  type SnailJobModuleOptions,
} from 'nestjs-snail-job';
import { clientOptions } from './support/client-app.js';
import { listenApp, waitUntil, type HttpApp } from './support/http-app.js';
import { familyNames, parseSamples, sampleValue, type Sample } from './support/prometheus-text.js';
import { RawCaller, RawServer } from './support/raw-peer.js';

let holding = 0;

@Injectable()
class MetricJobs {
  @SnailJob('okJob')
  ok() {
    return 'done';
  }

  @SnailJob('failJob')
  fail() {
    return ExecuteResult.failure(undefined, 'nope');
  }

  @SnailJob('holdJob')
  async hold(args: JobArgs) {
    holding++;
    await new Promise((resolve) => args.signal.addEventListener('abort', resolve));
    holding--;
  }
}

let nextTaskId = 1;

function dispatch(executorInfo: string, batchId: number): string {
  return JSON.stringify([
    {
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      jobId: 1,
      taskBatchId: batchId,
      taskId: nextTaskId++,
      taskType: 1,
      parallelNum: 1,
      executorType: 1,
      executorInfo,
      executorTimeout: 60,
      argsStr: '{}',
      taskName: 'CLUSTER_TASK',
      retryStatus: false,
      retry: false,
    },
  ]);
}

const stopBody = (batchId: number) => JSON.stringify([{ jobId: 1, taskBatchId: batchId, groupName: 'g' }]);

async function scrape(
  url: string,
  path = '/actuator/prometheus',
): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${url}${path}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return { text, samples: parseSamples(text) };
}

describe('GET /actuator/prometheus', () => {
  const servers: RawServer[] = [];
  const apps: INestApplication[] = [];
  const callers: RawCaller[] = [];

  beforeEach(() => {
    register.resetMetrics();
    holding = 0;
  });

  afterEach(async () => {
    for (const caller of callers.splice(0)) caller.close();
    for (const app of apps.splice(0)) await app.close();
    for (const server of servers.splice(0)) await server.close();
  });

  async function start(
    options: Partial<SnailJobModuleOptions> = {},
    extra: ModuleMetadata = {},
  ): Promise<HttpApp & { server: RawServer; caller: RawCaller }> {
    const server = await new RawServer().start();
    servers.push(server);
    @Module({
      imports: [
        ...(extra.imports ?? []),
        SnailJobModule.forRoot(clientOptions(server.port, { heartbeatIntervalMs: 200, ...options })),
      ],
      providers: [MetricJobs],
    })
    class AppModule {}
    const started = await listenApp(AppModule);
    apps.push(started.app);
    const caller = new RawCaller(started.app.get(SnailJobTransport).port);
    callers.push(caller);
    await server.waitFor('/beat');
    return { ...started, server, caller };
  }

  it('exposes every documented metric with the values of the jobs that ran', async () => {
    const { url, server, caller } = await start({ metrics: '/actuator/prometheus' });
    let refusedOnce = false;
    server.respond = (r) => {
      if (r.uri !== '/report/dispatch/result' || refusedOnce) return undefined;
      refusedOnce = true;
      return { status: 0, message: 'try again', data: 'null' };
    };

    await caller.call('/job/dispatch/v1', dispatch('okJob', 1));
    await caller.call('/job/dispatch/v1', dispatch('failJob', 2));
    await caller.call('/job/dispatch/v1', dispatch('noSuchJob', 3));
    await caller.call('/job/dispatch/v1', dispatch('holdJob', 4));
    await caller.call('/no/such/uri', '[]');
    await waitUntil(() => holding === 1);
    await server.waitFor('/report/dispatch/result', 3);

    const during = (await scrape(url)).samples;
    expect(sampleValue(during, 'grpc_server_pool_active')).toBe(1);
    expect(sampleValue(during, 'grpc_server_pool_queue_size')).toBe(0);
    expect(sampleValue(during, 'job_thread_pool_cache')).toBe(1);

    await caller.call('/job/stop/v1', stopBody(4));
    await waitUntil(() => holding === 0);
    const { text, samples } = await scrape(url);

    const duration = 'job_task_client_execution_duration';
    for (const [executor, status] of [
      ['okJob', 'success'],
      ['failJob', 'failure'],
      ['holdJob', 'stop'],
    ]) {
      expect(sampleValue(samples, `${duration}_count`, { executor, status })).toBe(1);
      expect(sampleValue(samples, `${duration}_bucket`, { executor, status, le: '+Inf' })).toBe(1);
      expect(sampleValue(samples, `${duration}_sum`, { executor, status })).toBeLessThan(5);
    }
    expect(sampleValue(samples, `${duration}_count`, { executor: 'noSuchJob' })).toBeUndefined();
    expect(
      sampleValue(samples, 'job_dispatch_result_error_total', {
        executor: '(unknown)',
        reason: 'unknown_executor',
      }),
    ).toBe(1);
    expect(samples.filter((s) => s.name === 'job_dispatch_result_error_total')).toHaveLength(1);
    expect(sampleValue(samples, 'rpc_request_total', { uri: '/job/dispatch/v1', status: 'ok' })).toBe(4);
    expect(sampleValue(samples, 'rpc_request_total', { uri: '/job/stop/v1', status: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'rpc_request_total', { uri: 'other', status: 'error' })).toBe(1);
    expect(sampleValue(samples, 'grpc_server_pool_active')).toBe(0);
    expect(sampleValue(samples, 'job_thread_pool_cache')).toBe(0);
    expect(
      sampleValue(samples, 'snail_job_client_requests_total', { uri: '/beat', ok: 'true' }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(samples, 'snail_job_client_requests_total', {
        uri: '/report/dispatch/result',
        ok: 'false',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'snail_job_client_requests_total', { uri: '/report/dispatch/result', ok: 'true' }),
    ).toBe(2);
    expect(sampleValue(samples, 'snail_job_report_retries_total')).toBe(1);
    expect(sampleValue(samples, 'snail_job_heartbeat_age_seconds')).toBeLessThan(1);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(familyNames(text)).toEqual(expect.arrayContaining(['snail_job_log_entries_total']));
    const names = familyNames(text);
    expect(new Set(names).size).toBe(names.length);
  });

  it('serves a custom path, and none when metrics is false (metrics are still recorded)', async () => {
    const custom = await start({ metrics: '/ops/metrics' });
    expect(familyNames((await scrape(custom.url, '/ops/metrics')).text)).toContain('rpc_request_total');
    expect((await fetch(`${custom.url}/actuator/prometheus`)).status).toBe(404);

    const off = await start({ metrics: false });
    expect((await fetch(`${off.url}/actuator/prometheus`)).status).toBe(404);
    await off.caller.call('/job/dispatch/v1', dispatch('okJob', 10));
    await waitUntil(async () =>
      (await register.getSingleMetricAsString('job_task_client_execution_duration')).includes('okJob'),
    );
  });

  it('coexists with an app-level PrometheusModule.register(), even one defined after ours started', async () => {
    // A SnailJob app whose route already started Node default metrics (in our own registry) ...
    const ours = await start({ metrics: '/actuator/prometheus' });
    // ... does not make the app-level PrometheusModule.register() fail with "already registered".
    const { url, caller } = await start(
      { metrics: '/actuator/prometheus' },
      { imports: [PrometheusModule.register()] },
    );
    await caller.call('/job/dispatch/v1', dispatch('noSuchJob', 20));
    for (const [base, path] of [
      [url, '/metrics'],
      [url, '/actuator/prometheus'],
      [ours.url, '/actuator/prometheus'],
    ]) {
      const { text, samples } = await scrape(base, path);
      expect(sampleValue(samples, 'job_dispatch_result_error_total', { executor: '(unknown)' })).toBe(1);
      const names = familyNames(text);
      expect(names.filter((n) => n === 'process_cpu_user_seconds_total')).toHaveLength(1);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('maps the path chosen by a forRootAsync factory', async () => {
    const server = await new RawServer().start();
    servers.push(server);
    @Module({
      imports: [
        SnailJobModule.forRootAsync({
          useFactory: async () => clientOptions(server.port, { metrics: '/ops/prom' }),
        }),
      ],
    })
    class AsyncModule {}
    const { app, url } = await listenApp(AsyncModule);
    apps.push(app);
    expect(familyNames((await scrape(url, '/ops/prom')).text)).toContain('job_thread_pool_cache');
  });

  it('runs two SnailJob apps in one process on one shared set of series', async () => {
    const a = await start({ metrics: '/actuator/prometheus' });
    const b = await start({ metrics: '/actuator/prometheus' });
    await a.caller.call('/job/dispatch/v1', dispatch('holdJob', 30));
    await b.caller.call('/job/dispatch/v1', dispatch('holdJob', 31));
    await b.caller.call('/job/dispatch/v1', dispatch('okJob', 32));
    await waitUntil(() => holding === 2);
    await b.server.waitFor('/report/dispatch/result');
    for (const { url } of [a, b]) {
      const { samples } = await scrape(url);
      expect(sampleValue(samples, 'grpc_server_pool_active')).toBe(2);
      expect(sampleValue(samples, 'job_thread_pool_cache')).toBe(2);
      expect(sampleValue(samples, 'rpc_request_total', { uri: '/job/dispatch/v1', status: 'ok' })).toBe(3);
    }
    await a.caller.call('/job/stop/v1', stopBody(30));
    await waitUntil(() => holding === 1);
    expect(sampleValue((await scrape(b.url)).samples, 'grpc_server_pool_active')).toBe(1);
    await apps.shift()!.close();
    await b.caller.call('/job/stop/v1', stopBody(31));
    await waitUntil(() => holding === 0);
    const after = (await scrape(b.url)).samples;
    expect(sampleValue(after, 'grpc_server_pool_active')).toBe(0);
    expect(
      sampleValue(after, 'job_task_client_execution_duration_count', { executor: 'holdJob', status: 'stop' }),
    ).toBe(2);
  });
});
