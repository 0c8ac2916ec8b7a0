import { DEFAULT_NAMESPACE, DEMO_GROUP, DEMO_TOKEN } from '../protocol/headers.js';
import { builtinExecutors } from '../builtin/builtin-option-parsers.js';
import { SnailJobConfigError } from '../errors/snail-job-config.error.js';
import { detectHostAddress } from './host-address.js';
import { directory, perExecutorLimits } from './reliability-option-parsers.js';
import type { ResolvedSnailJobOptions, SnailJobModuleOptions } from './snail-job-options.interface.js';

type Env = Record<string, string | undefined>;

/** One setting: where it came from (for messages) and its raw value. */
interface Raw<T> {
  source: string;
  value: T | string | undefined;
}

/**
 * Merges explicit options > `SNAIL_*` environment > defaults and validates the result. Throws
 * {@link SnailJobConfigError} naming the first bad option or variable and its value.
 */
export function resolveOptions(
  options: SnailJobModuleOptions = {},
  env: Env = process.env,
): ResolvedSnailJobOptions {
  const pick = <T>(option: T | undefined, optionPath: string, envName: string): Raw<T> => {
    if (option !== undefined) return { source: `options.${optionPath}`, value: option };
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv.trim() !== '') return { source: envName, value: fromEnv.trim() };
    return { source: envName, value: undefined };
  };

  const hostClient = pick(options.client?.host, 'client.host', 'SNAIL_HOST_IP');
  const heartbeatIntervalMs = integer(
    pick(options.heartbeatIntervalMs, 'heartbeatIntervalMs', 'SNAIL_HEARTBEAT_INTERVAL_MS'),
    10_000,
    100,
    30_000,
  );
  return {
    server: {
      host: hostName(pick(options.server?.host, 'server.host', 'SNAIL_SERVER_HOST'), '127.0.0.1'),
      port: port(pick(options.server?.port, 'server.port', 'SNAIL_SERVER_PORT'), 17888, false),
    },
    client: {
      host: hostClient.value === undefined ? detectHostAddress() : hostName(hostClient, ''),
      port: port(pick(options.client?.port, 'client.port', 'SNAIL_HOST_PORT'), 17889, true),
      bindHost: hostName(pick(options.client?.bindHost, 'client.bindHost', 'SNAIL_BIND_HOST'), '0.0.0.0'),
    },
    namespace: text(pick(options.namespace, 'namespace', 'SNAIL_NAMESPACE'), DEFAULT_NAMESPACE, 64),
    group: groupName(pick(options.group, 'group', 'SNAIL_GROUP_NAME'), DEMO_GROUP),
    token: text(pick(options.token, 'token', 'SNAIL_TOKEN'), DEMO_TOKEN, 256),
    labels: labels(pick(options.labels, 'labels', 'SNAIL_LABELS')),
    executorType: integer(pick(options.executorType, 'executorType', 'SNAIL_EXECUTOR_TYPE'), 1, 1, 999),
    health: routePath(pick(options.health, 'health', 'SNAIL_HEALTH_PATH'), '/health'),
    metrics: routePath(pick(options.metrics, 'metrics', 'SNAIL_PROMETHEUS_PATH'), '/actuator/prometheus'),
    heartbeatIntervalMs,
    heartbeatExpiryMs: heartbeatExpiry(
      pick(options.heartbeatExpiryMs, 'heartbeatExpiryMs', 'SNAIL_HEARTBEAT_EXPIRY_MS'),
      heartbeatIntervalMs,
    ),
    requestTimeoutMs: integer(
      pick(options.requestTimeoutMs, 'requestTimeoutMs', 'SNAIL_REQUEST_TIMEOUT_MS'),
      10_000,
      100,
      600_000,
    ),
    failFast: bool(pick(options.failFast, 'failFast', 'SNAIL_FAIL_FAST'), false),
    maxMessageBytes: integer(
      pick(options.maxMessageBytes, 'maxMessageBytes', 'SNAIL_MAX_MESSAGE_BYTES'),
      10 * 1024 * 1024,
      64 * 1024,
      512 * 1024 * 1024,
    ),
    logBatchSize: integer(pick(options.logBatchSize, 'logBatchSize', 'SNAIL_LOG_BATCH_SIZE'), 50, 1, 10_000),
    logFlushIntervalMs: integer(
      pick(options.logFlushIntervalMs, 'logFlushIntervalMs', 'SNAIL_LOG_FLUSH_INTERVAL_MS'),
      5_000,
      10,
      600_000,
    ),
    logQueueMax: integer(
      pick(options.logQueueMax, 'logQueueMax', 'SNAIL_LOG_QUEUE_MAX'),
      10_000,
      1,
      10_000_000,
    ),
    logCaptureNestLogger: bool(
      pick(options.logCaptureNestLogger, 'logCaptureNestLogger', 'SNAIL_LOG_CAPTURE_NEST_LOGGER'),
      false,
    ),
    maxConcurrentTasks: integer(
      pick(options.maxConcurrentTasks, 'maxConcurrentTasks', 'SNAIL_MAX_CONCURRENT_TASKS'),
      256,
      1,
      100_000,
    ),
    maxConcurrentPerExecutor: perExecutorLimits(
      pick(options.maxConcurrentPerExecutor, 'maxConcurrentPerExecutor', 'SNAIL_MAX_CONCURRENT_PER_EXECUTOR'),
    ),
    maxQueuedTasks: integer(
      pick(options.maxQueuedTasks, 'maxQueuedTasks', 'SNAIL_MAX_QUEUED_TASKS'),
      10_000,
      0,
      1_000_000,
    ),
    shutdownGraceMs: integer(
      pick(options.shutdownGraceMs, 'shutdownGraceMs', 'SNAIL_SHUTDOWN_GRACE_MS'),
      15_000,
      0,
      3_600_000,
    ),
    eventLoopStallMs: integer(
      pick(options.eventLoopStallMs, 'eventLoopStallMs', 'SNAIL_EVENT_LOOP_STALL_MS'),
      1_000,
      0,
      600_000,
    ),
    outboxDir: directory(pick(options.outboxDir, 'outboxDir', 'SNAIL_OUTBOX_DIR')),
    builtinExecutors: builtinExecutors(options.builtinExecutors, env),
    tracing: bool(pick(options.tracing, 'tracing', 'SNAIL_TRACING'), false),
  };
}

function fail(raw: Raw<unknown>, expected: string): never {
  throw new SnailJobConfigError(raw.source, raw.value, expected);
}

function text(raw: Raw<string>, fallback: string, maxLength: number): string {
  if (raw.value === undefined) return fallback;
  if (typeof raw.value !== 'string' || raw.value.trim() === '' || raw.value.length > maxLength)
    fail(raw, `a non-empty string of at most ${maxLength} characters`);
  return raw.value;
}

function hostName(raw: Raw<string>, fallback: string): string {
  if (raw.value === undefined) return fallback;
  if (typeof raw.value !== 'string' || !/^[A-Za-z0-9._:[\]-]{1,253}$/.test(raw.value))
    fail(raw, 'a host name or IP address');
  return raw.value;
}

function groupName(raw: Raw<string>, fallback: string): string {
  if (raw.value === undefined) return fallback;
  if (typeof raw.value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(raw.value))
    fail(raw, 'a group name of 1-64 letters, digits, "_" or "-"');
  return raw.value;
}

function integer(raw: Raw<number>, fallback: number, min: number, max: number): number {
  if (raw.value === undefined) return fallback;
  const n = typeof raw.value === 'number' ? raw.value : /^-?\d+$/.test(raw.value) ? Number(raw.value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) fail(raw, `an integer from ${min} to ${max}`);
  return n;
}

function port(raw: Raw<number>, fallback: number, allowZero: boolean): number {
  return integer(raw, fallback, allowZero ? 0 : 1, 65535);
}

function bool(raw: Raw<boolean>, fallback: boolean): boolean {
  if (raw.value === undefined) return fallback;
  if (typeof raw.value === 'boolean') return raw.value;
  const v = String(raw.value).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  fail(raw, 'true or false');
}

/** Health expiry: never below the heartbeat period (health would flap between two good beats). */
function heartbeatExpiry(raw: Raw<number>, intervalMs: number): number {
  const ms = integer(raw, Math.max(30_000, 3 * intervalMs), 100, 3_600_000);
  if (ms < intervalMs)
    fail(raw, `at least heartbeatIntervalMs (${intervalMs}), or health flaps between beats`);
  return ms;
}

function routePath(raw: Raw<string | false>, fallback: string): string | false {
  if (raw.value === undefined) return fallback;
  if (raw.value === false || raw.value === 'false') return false;
  if (typeof raw.value !== 'string' || !/^\/[A-Za-z0-9/_.-]*$/.test(raw.value))
    fail(raw, 'a route path starting with "/" (or false to disable)');
  return raw.value;
}

function labels(raw: Raw<Record<string, string>>): Record<string, string> {
  let out: Record<string, string> = {};
  if (typeof raw.value === 'string') {
    for (const pair of raw.value.split(',')) {
      if (pair.trim() === '') continue;
      const i = pair.indexOf(':');
      if (i <= 0) fail(raw, 'comma-separated key:value pairs, e.g. "zone:a,tier:gold"');
      out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
    }
  } else if (raw.value !== undefined) {
    if (raw.value === null || typeof raw.value !== 'object' || Array.isArray(raw.value))
      fail(raw, 'an object of string values');
    for (const [k, v] of Object.entries(raw.value)) {
      if (typeof v !== 'string') fail({ source: `${raw.source}.${k}`, value: v }, 'a string label value');
    }
    out = { ...raw.value };
  }
  if ('state' in out && out.state !== 'up') {
    fail(
      { source: `${raw.source}.state`, value: out.state },
      '"up" (the server only schedules nodes with state=up)',
    );
  }
  return { ...out, state: 'up' };
}
