import { DEFAULT_NAMESPACE, DEMO_GROUP, DEMO_TOKEN } from '../protocol/headers.js';
import { httpBaseUrl } from '../common/http-url.js';
import { detectHostAddress } from './host-address.js';
import { directory, PER_EXECUTOR_LIMITS, perExecutorLimits } from './reliability-option-parsers.js';
import {
  bool,
  custom,
  integer,
  matching,
  port,
  refuse,
  text,
  type RawSetting,
  type Setting,
} from './settings.js';
import type { ResolvedSnailJobOptions } from './snail-job-options.interface.js';

type R = ResolvedSnailJobOptions;
type Nested = 'server' | 'client';
/** Every resolved option that has one option path and one `SNAIL_*` variable (all but `builtinExecutors`). */
export type SettingPath =
  { [K in Nested]: `${K}.${keyof R[K] & string}` }[Nested] | Exclude<keyof R, Nested | 'builtinExecutors'>;
type ValueAt<P> = P extends `${infer A extends Nested}.${infer B}`
  ? B extends keyof R[A]
    ? R[A][B]
    : never
  : P extends keyof R
    ? R[P]
    : never;
/** The settings table's type: one row per {@link SettingPath}, typed as the resolved option. */
export type SnailJobSettings = { readonly [P in SettingPath]: Setting<ValueAt<P>, R> };

const hostName = matching(/^[A-Za-z0-9._:[\]-]{1,253}$/, 'a host name or IP address');

const HTTP_URL = 'an http(s) URL, e.g. "http://127.0.0.1:8080/snail-job"';
const httpUrl = custom<string>(HTTP_URL, (raw) => httpBaseUrl(raw.value) ?? refuse(raw, HTTP_URL));

const ROUTE_PATH = 'a route path starting with "/" (or false to disable)';
const routePath = custom<string | false>(ROUTE_PATH, (raw) => {
  if (raw.value === false || raw.value === 'false') return false;
  if (typeof raw.value !== 'string' || !/^\/[A-Za-z0-9/_.-]*$/.test(raw.value)) refuse(raw, ROUTE_PATH);
  return raw.value;
});

/** `labels`: an object of strings, or the env form `k:v,k2:v2`; `state` can only be `up`, and is always set. */
function labels(raw: RawSetting): Record<string, string> {
  let out: Record<string, string> = {};
  if (typeof raw.value === 'string') {
    for (const pair of raw.value.split(',')) {
      if (pair.trim() === '') continue;
      const i = pair.indexOf(':');
      if (i <= 0) refuse(raw, 'comma-separated key:value pairs, e.g. "zone:a,tier:gold"');
      out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
    }
  } else {
    if (raw.value === null || typeof raw.value !== 'object' || Array.isArray(raw.value))
      refuse(raw, 'an object of string values');
    for (const [k, v] of Object.entries(raw.value)) {
      if (typeof v !== 'string') refuse({ source: `${raw.source}.${k}`, value: v }, 'a string label value');
    }
    out = { ...(raw.value as Record<string, string>) };
  }
  if ('state' in out && out.state !== 'up') {
    refuse(
      { source: `${raw.source}.state`, value: out.state },
      '"up" (the server only schedules nodes with state=up)',
    );
  }
  return { ...out, state: 'up' };
}

/**
 * Every setting of {@link SnailJobModuleOptions} but `builtinExecutors` (docs/builtin-executors.md): option path,
 * `SNAIL_*` variable, type and bounds, default, and the line README.md's options table shows
 * (`npm run docs:options` writes that table; resolve-options.spec.ts checks it). Rows resolve in this order.
 */
export const SNAIL_JOB_SETTINGS: SnailJobSettings = {
  'server.host': {
    env: 'SNAIL_SERVER_HOST',
    kind: hostName,
    default: '127.0.0.1',
    doc: 'SnailJob server gRPC host',
  },
  'server.port': {
    env: 'SNAIL_SERVER_PORT',
    kind: port(false),
    default: 17888,
    doc: 'SnailJob server gRPC port',
  },
  'server.openApiUrl': {
    env: 'SNAIL_SERVER_OPENAPI_URL',
    kind: httpUrl,
    default: (r) =>
      `http://${r.server.host.includes(':') ? `[${r.server.host}]` : r.server.host}:8080/snail-job`,
    defaultDoc: '`http://<server.host>:8080/snail-job`',
    doc: 'server HTTP root + context path, for `SnailJobOpenApi` ([OpenAPI client](docs/openapi-client.md))',
  },
  'client.host': {
    env: 'SNAIL_HOST_IP',
    kind: hostName,
    default: () => detectHostAddress(),
    defaultDoc: 'first non-internal IPv4 (private ranges first), else `127.0.0.1`',
    doc: 'address the server dials back',
  },
  'client.port': {
    env: 'SNAIL_HOST_PORT',
    kind: port(true),
    default: 17889,
    doc: "this client's gRPC port; `0` picks a free port and advertises it",
  },
  'client.bindHost': {
    env: 'SNAIL_BIND_HOST',
    kind: hostName,
    default: '0.0.0.0',
    doc: "interface the client's gRPC server binds",
  },
  namespace: { env: 'SNAIL_NAMESPACE', kind: text(64), default: DEFAULT_NAMESPACE, doc: 'namespace id' },
  group: {
    env: 'SNAIL_GROUP_NAME',
    kind: matching(/^[A-Za-z0-9_-]{1,64}$/, 'a group name of 1-64 letters, digits, "_" or "-"'),
    default: DEMO_GROUP,
    doc: 'group name',
  },
  token: {
    env: 'SNAIL_TOKEN',
    kind: text(256),
    default: DEMO_TOKEN,
    doc: 'group token (sent as `token`, expected back as `SJ-TOKEN`)',
  },
  labels: {
    env: 'SNAIL_LABELS',
    kind: custom('an object of strings; env `k:v,k2:v2`', labels),
    default: () => ({ state: 'up' }),
    defaultDoc: '`{}` + `state: up`',
    doc: 'node labels; `state` is always `up` (a node without it is never scheduled)',
  },
  executorType: {
    env: 'SNAIL_EXECUTOR_TYPE',
    kind: integer(1, 999),
    default: 1,
    doc: '`executor-type` header (see below)',
  },
  health: {
    env: 'SNAIL_HEALTH_PATH',
    kind: routePath,
    default: '/health',
    doc: 'Terminus health route; `false` disables it',
  },
  metrics: {
    env: 'SNAIL_PROMETHEUS_PATH',
    kind: routePath,
    default: '/actuator/prometheus',
    doc: 'Prometheus route; `false` disables it',
  },
  heartbeatIntervalMs: {
    env: 'SNAIL_HEARTBEAT_INTERVAL_MS',
    kind: integer(100, 30_000),
    default: 10_000,
    doc: 'heartbeat period (the server drops a node 40–55 s after its last beat)',
  },
  requestTimeoutMs: {
    env: 'SNAIL_REQUEST_TIMEOUT_MS',
    kind: integer(100, 600_000),
    default: 10_000,
    doc: 'local timeout of one call to the server',
  },
  failFast: {
    env: 'SNAIL_FAIL_FAST',
    kind: bool,
    default: false,
    doc: 'fail start-up when the server cannot be reached',
  },
  maxMessageBytes: {
    env: 'SNAIL_MAX_MESSAGE_BYTES',
    kind: integer(64 * 1024, 512 * 1024 * 1024),
    default: 10 * 1024 * 1024,
    doc: "largest gRPC message in either direction (SnailJob's limit is 10 MiB)",
  },
  heartbeatExpiryMs: {
    env: 'SNAIL_HEARTBEAT_EXPIRY_MS',
    kind: integer(100, 3_600_000),
    // Never below the heartbeat period: health would flap between two good beats.
    default: (r) => Math.max(30_000, 3 * r.heartbeatIntervalMs),
    defaultDoc: '`30000` or 3 heartbeats',
    check: (ms, r) =>
      ms < r.heartbeatIntervalMs
        ? `at least heartbeatIntervalMs (${r.heartbeatIntervalMs}), or health flaps between beats`
        : undefined,
    doc: '`/health` is down when the last accepted heartbeat is older ([Health and metrics](docs/health-metrics.md#health-and-metrics))',
  },
  logBatchSize: {
    env: 'SNAIL_LOG_BATCH_SIZE',
    kind: integer(1, 10_000),
    default: 50,
    doc: 'remote log entries per request ([Real-time logs](docs/remote-logs.md#real-time-logs-snailjoblog))',
  },
  logFlushIntervalMs: {
    env: 'SNAIL_LOG_FLUSH_INTERVAL_MS',
    kind: integer(10, 600_000),
    default: 5_000,
    doc: 'most time an entry waits for its batch to fill',
  },
  logQueueMax: {
    env: 'SNAIL_LOG_QUEUE_MAX',
    kind: integer(1, 10_000_000),
    default: 10_000,
    doc: 'log entries kept while the server is slow or away; oldest dropped beyond (counted)',
  },
  logCaptureNestLogger: {
    env: 'SNAIL_LOG_CAPTURE_NEST_LOGGER',
    kind: bool,
    default: false,
    doc: 'also ship Nest `Logger` calls made inside a task',
  },
  maxConcurrentTasks: {
    env: 'SNAIL_MAX_CONCURRENT_TASKS',
    kind: integer(1, 100_000),
    default: 256,
    doc: 'tasks running at once in this process ([Reliability and security](docs/reliability-security.md#reliability-and-security))',
  },
  maxConcurrentPerExecutor: {
    env: 'SNAIL_MAX_CONCURRENT_PER_EXECUTOR',
    kind: custom(PER_EXECUTOR_LIMITS, perExecutorLimits),
    default: () => ({ others: undefined, byExecutor: {} }),
    defaultDoc: 'none',
    doc: "per-executor cap: `8`, or `{ dailyReport: 2, '*': 16 }` (env `dailyReport:2,*:16`)",
  },
  maxQueuedTasks: {
    env: 'SNAIL_MAX_QUEUED_TASKS',
    kind: integer(0, 1_000_000),
    default: 10_000,
    doc: 'accepted tasks waiting for a slot; beyond it dispatches are refused so the server routes elsewhere',
  },
  shutdownGraceMs: {
    env: 'SNAIL_SHUTDOWN_GRACE_MS',
    kind: integer(0, 3_600_000),
    default: 15_000,
    doc: 'on SIGTERM, how long running tasks may finish before they are aborted and handed back',
  },
  eventLoopStallMs: {
    env: 'SNAIL_EVENT_LOOP_STALL_MS',
    kind: integer(0, 600_000),
    default: 1_000,
    doc: 'warn (and count) when the event loop is blocked this long; `0` disables',
  },
  outboxDir: {
    env: 'SNAIL_OUTBOX_DIR',
    kind: custom('a directory path (or false to disable)', directory),
    default: undefined,
    defaultDoc: 'off',
    doc: 'on-disk outbox so queued result reports survive a crash',
  },
  tracing: {
    env: 'SNAIL_TRACING',
    kind: bool,
    default: false,
    doc: 'run every handler in an OpenTelemetry span ([Tracing](docs/tracing.md))',
  },
};
