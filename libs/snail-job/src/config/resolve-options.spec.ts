import { describe, expect, it } from 'vitest';
import { SnailJobConfigError } from '../errors/snail-job-config.error.js';
import { resolveOptions } from './resolve-options.js';

describe('resolveOptions', () => {
  it('uses the documented defaults', () => {
    const o = resolveOptions({}, {});
    expect(o.server).toEqual({
      host: '127.0.0.1',
      port: 17888,
      openApiUrl: 'http://127.0.0.1:8080/snail-job',
    });
    expect(o.client.port).toBe(17889);
    expect(o.client.bindHost).toBe('0.0.0.0');
    expect(o.namespace).toBe('764d604ec6fc45f68cd92514c40e9e1a');
    expect(o.group).toBe('snail_job_demo_group');
    expect(o.token).toBe('SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj');
    expect(o.labels).toEqual({ state: 'up' });
    expect(o.executorType).toBe(1);
    expect(o.health).toBe('/health');
    expect(o.metrics).toBe('/actuator/prometheus');
    expect(o.heartbeatIntervalMs).toBe(10_000);
  });

  it('reads every SNAIL_* variable', () => {
    const o = resolveOptions(
      {},
      {
        SNAIL_SERVER_HOST: 'sj.internal',
        SNAIL_SERVER_PORT: '18888',
        SNAIL_SERVER_OPENAPI_URL: 'https://sj.internal/jobs/snail-job/',
        SNAIL_HOST_IP: '10.1.2.3',
        SNAIL_HOST_PORT: '0',
        SNAIL_BIND_HOST: '127.0.0.1',
        SNAIL_NAMESPACE: 'ns1',
        SNAIL_GROUP_NAME: 'orders',
        SNAIL_TOKEN: 'SJ_secret',
        SNAIL_LABELS: 'zone:a, tier:gold',
        SNAIL_EXECUTOR_TYPE: '3',
        SNAIL_HEALTH_PATH: 'false',
        SNAIL_PROMETHEUS_PATH: '/metrics',
      },
    );
    expect(o.server).toEqual({
      host: 'sj.internal',
      port: 18888,
      openApiUrl: 'https://sj.internal/jobs/snail-job',
    });
    expect(o.client).toEqual({ host: '10.1.2.3', port: 0, bindHost: '127.0.0.1' });
    expect(o.namespace).toBe('ns1');
    expect(o.group).toBe('orders');
    expect(o.token).toBe('SJ_secret');
    expect(o.labels).toEqual({ zone: 'a', tier: 'gold', state: 'up' });
    expect(o.executorType).toBe(3);
    expect(o.health).toBe(false);
    expect(o.metrics).toBe('/metrics');
  });

  it('resolves the remote log options from defaults, env and options', () => {
    expect(resolveOptions({}, {})).toMatchObject({
      logBatchSize: 50,
      logFlushIntervalMs: 5_000,
      logQueueMax: 10_000,
      logCaptureNestLogger: false,
    });
    expect(
      resolveOptions(
        {},
        {
          SNAIL_LOG_BATCH_SIZE: '10',
          SNAIL_LOG_FLUSH_INTERVAL_MS: '250',
          SNAIL_LOG_QUEUE_MAX: '500',
          SNAIL_LOG_CAPTURE_NEST_LOGGER: 'true',
        },
      ),
    ).toMatchObject({
      logBatchSize: 10,
      logFlushIntervalMs: 250,
      logQueueMax: 500,
      logCaptureNestLogger: true,
    });
    expect(
      resolveOptions({ logBatchSize: 7, logCaptureNestLogger: false }, { SNAIL_LOG_BATCH_SIZE: '10' }),
    ).toMatchObject({ logBatchSize: 7, logCaptureNestLogger: false });
  });

  it('derives the OpenAPI URL from the server host (IPv6 in brackets) unless it is given', () => {
    expect(resolveOptions({ server: { host: 'sj.prod' } }, {}).server.openApiUrl).toBe(
      'http://sj.prod:8080/snail-job',
    );
    expect(resolveOptions({}, { SNAIL_SERVER_HOST: '::1' }).server.openApiUrl).toBe(
      'http://[::1]:8080/snail-job',
    );
    expect(
      resolveOptions({ server: { host: 'sj.prod', openApiUrl: 'http://gw:9000/sj' } }, {}).server.openApiUrl,
    ).toBe('http://gw:9000/sj');
  });

  it('lets explicit options win over the environment', () => {
    const o = resolveOptions(
      { server: { port: 1234 }, group: 'explicit' },
      { SNAIL_SERVER_PORT: '999', SNAIL_GROUP_NAME: 'env' },
    );
    expect(o.server.port).toBe(1234);
    expect(o.group).toBe('explicit');
  });

  it.each([
    [
      {},
      { SNAIL_SERVER_PORT: 'abc' },
      'Invalid SnailJob configuration: SNAIL_SERVER_PORT="abc" — expected an integer from 1 to 65535.',
    ],
    [{}, { SNAIL_HOST_PORT: '70000' }, 'SNAIL_HOST_PORT="70000"'],
    [{ server: { port: -1 } }, {}, 'options.server.port=-1'],
    [{}, { SNAIL_GROUP_NAME: 'bad group!' }, 'SNAIL_GROUP_NAME="bad group!"'],
    [{}, { SNAIL_LABELS: 'novalue' }, 'SNAIL_LABELS="novalue"'],
    [{}, { SNAIL_LABELS: 'state:down' }, 'SNAIL_LABELS.state="down"'],
    [{}, { SNAIL_HEALTH_PATH: 'health' }, 'SNAIL_HEALTH_PATH="health"'],
    [{}, { SNAIL_FAIL_FAST: 'maybe' }, 'SNAIL_FAIL_FAST="maybe"'],
    [{}, { SNAIL_EXECUTOR_TYPE: '1.5' }, 'SNAIL_EXECUTOR_TYPE="1.5"'],
    [
      {},
      { SNAIL_SERVER_OPENAPI_URL: 'sj:8080' },
      'SNAIL_SERVER_OPENAPI_URL="sj:8080" — expected an http(s) URL',
    ],
    [{ server: { openApiUrl: 'not a url' } }, {}, 'options.server.openApiUrl="not a url"'],
    [
      { heartbeatIntervalMs: 5_000 },
      { SNAIL_HEARTBEAT_EXPIRY_MS: '4000' },
      'SNAIL_HEARTBEAT_EXPIRY_MS="4000" — expected at least heartbeatIntervalMs (5000)',
    ],
    [{}, { SNAIL_LOG_BATCH_SIZE: '0' }, 'SNAIL_LOG_BATCH_SIZE="0" — expected an integer from 1 to 10000'],
    [{}, { SNAIL_LOG_FLUSH_INTERVAL_MS: '5s' }, 'SNAIL_LOG_FLUSH_INTERVAL_MS="5s"'],
    [{ logQueueMax: 0 }, {}, 'options.logQueueMax=0'],
    [{}, { SNAIL_LOG_CAPTURE_NEST_LOGGER: 'sometimes' }, 'SNAIL_LOG_CAPTURE_NEST_LOGGER="sometimes"'],
    [{}, { SNAIL_MAX_CONCURRENT_TASKS: '0' }, 'SNAIL_MAX_CONCURRENT_TASKS="0"'],
    [{}, { SNAIL_MAX_CONCURRENT_PER_EXECUTOR: 'a:0' }, 'SNAIL_MAX_CONCURRENT_PER_EXECUTOR.a="0"'],
    [{}, { SNAIL_MAX_CONCURRENT_PER_EXECUTOR: 'abc' }, 'SNAIL_MAX_CONCURRENT_PER_EXECUTOR="abc"'],
    [{ maxConcurrentPerExecutor: { a: 1.5 } }, {}, 'options.maxConcurrentPerExecutor.a=1.5'],
    [{}, { SNAIL_MAX_QUEUED_TASKS: '-1' }, 'SNAIL_MAX_QUEUED_TASKS="-1"'],
    [{}, { SNAIL_SHUTDOWN_GRACE_MS: '30s' }, 'SNAIL_SHUTDOWN_GRACE_MS="30s"'],
    [{}, { SNAIL_EVENT_LOOP_STALL_MS: 'x' }, 'SNAIL_EVENT_LOOP_STALL_MS="x"'],
    [{ outboxDir: '' }, {}, 'options.outboxDir=""'],
  ])('fails with one clear message naming the source and value (%j %j)', (options, env, message) => {
    let error: unknown;
    try {
      resolveOptions(options as never, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SnailJobConfigError);
    expect((error as Error).message).toContain(message);
  });

  it('expires health after max(30 s, 3 heartbeats) unless heartbeatExpiryMs / SNAIL_HEARTBEAT_EXPIRY_MS says otherwise', () => {
    expect(resolveOptions({}, {}).heartbeatExpiryMs).toBe(30_000);
    expect(resolveOptions({ heartbeatIntervalMs: 20_000 }, {}).heartbeatExpiryMs).toBe(60_000);
    expect(resolveOptions({}, { SNAIL_HEARTBEAT_EXPIRY_MS: '45000' }).heartbeatExpiryMs).toBe(45_000);
    expect(
      resolveOptions({ heartbeatIntervalMs: 100, heartbeatExpiryMs: 300 }, { SNAIL_HEARTBEAT_EXPIRY_MS: '9' })
        .heartbeatExpiryMs,
    ).toBe(300);
  });

  describe('reliability options', () => {
    it('has production-safe defaults', () => {
      const o = resolveOptions({}, {});
      expect(o.maxConcurrentTasks).toBe(256);
      expect(o.maxConcurrentPerExecutor).toEqual({ others: undefined, byExecutor: {} });
      expect(o.maxQueuedTasks).toBe(10_000);
      expect(o.shutdownGraceMs).toBe(15_000);
      expect(o.eventLoopStallMs).toBe(1_000);
      expect(o.outboxDir).toBeUndefined();
    });

    it('reads their SNAIL_* variables', () => {
      const o = resolveOptions(
        {},
        {
          SNAIL_MAX_CONCURRENT_TASKS: '32',
          SNAIL_MAX_CONCURRENT_PER_EXECUTOR: 'dailyReport:2, *:8',
          SNAIL_MAX_QUEUED_TASKS: '0',
          SNAIL_SHUTDOWN_GRACE_MS: '5000',
          SNAIL_EVENT_LOOP_STALL_MS: '0',
          SNAIL_OUTBOX_DIR: '/var/lib/app/outbox',
        },
      );
      expect(o.maxConcurrentTasks).toBe(32);
      expect(o.maxConcurrentPerExecutor).toEqual({ others: 8, byExecutor: { dailyReport: 2 } });
      expect(o.maxQueuedTasks).toBe(0);
      expect(o.shutdownGraceMs).toBe(5_000);
      expect(o.eventLoopStallMs).toBe(0);
      expect(o.outboxDir).toBe('/var/lib/app/outbox');
    });

    it('accepts a per-executor cap as one number or a map, and the outbox as false', () => {
      expect(resolveOptions({}, { SNAIL_MAX_CONCURRENT_PER_EXECUTOR: '4' }).maxConcurrentPerExecutor).toEqual(
        {
          others: 4,
          byExecutor: {},
        },
      );
      expect(resolveOptions({ maxConcurrentPerExecutor: 3 }, {}).maxConcurrentPerExecutor.others).toBe(3);
      expect(
        resolveOptions({ maxConcurrentPerExecutor: { a: 1, '*': 5 } }, {}).maxConcurrentPerExecutor,
      ).toEqual({ others: 5, byExecutor: { a: 1 } });
      expect(resolveOptions({ outboxDir: false }, { SNAIL_OUTBOX_DIR: '/x' }).outboxDir).toBeUndefined();
      expect(resolveOptions({}, { SNAIL_OUTBOX_DIR: 'false' }).outboxDir).toBeUndefined();
    });
  });
});
