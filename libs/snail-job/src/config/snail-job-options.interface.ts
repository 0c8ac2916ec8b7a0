import type { BuiltinExecutorsOptions, ResolvedBuiltinExecutors } from './builtin-options.js';

/**
 * Options of {@link SnailJobModule}. Every option also has a `SNAIL_*` environment variable; explicit options win.
 * Variables, bounds and defaults are rows of the settings table, `snail-job.settings.ts`, which resolves them.
 */
export interface SnailJobModuleOptions {
  /** SnailJob server gRPC endpoint. */
  server?: {
    /** @default '127.0.0.1' (env SNAIL_SERVER_HOST) */
    host?: string;
    /** @default 17888 (env SNAIL_SERVER_PORT) */
    port?: number;
    /**
     * The server's HTTP root with its context path, for `SnailJobOpenApi` (docs/openapi-client.md).
     * @default `http://<server.host>:8080/snail-job` (env SNAIL_SERVER_OPENAPI_URL)
     */
    openApiUrl?: string;
  };
  /** This client's own gRPC server, which the SnailJob server dials back. */
  client?: {
    /** Address advertised to the server. @default first non-internal IPv4, else '127.0.0.1' (env SNAIL_HOST_IP) */
    host?: string;
    /** gRPC port; 0 picks a free port and advertises it. @default 17889 (env SNAIL_HOST_PORT) */
    port?: number;
    /** Interface the gRPC server binds. @default '0.0.0.0' (env SNAIL_BIND_HOST) */
    bindHost?: string;
  };
  /** Namespace id. @default '764d604ec6fc45f68cd92514c40e9e1a' (env SNAIL_NAMESPACE) */
  namespace?: string;
  /** Group name. @default 'snail_job_demo_group' (env SNAIL_GROUP_NAME) */
  group?: string;
  /** Group token. @default 'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj' (env SNAIL_TOKEN) */
  token?: string;
  /** Node labels; `state: 'up'` is always added. @default {} (env SNAIL_LABELS as `k:v,k2:v2`) */
  labels?: Record<string, string>;
  /**
   * `executor-type` header: which console list (1 Java, 2 Python, 3 Go) shows our executors.
   * Dispatches of any executorType are accepted. @default 1 (env SNAIL_EXECUTOR_TYPE)
   */
  executorType?: number;
  /** Terminus health route, or `false` to disable it. @default '/health' (env SNAIL_HEALTH_PATH) */
  health?: string | false;
  /** Prometheus route, or `false` to disable it. @default '/actuator/prometheus' (env SNAIL_PROMETHEUS_PATH) */
  metrics?: string | false;
  /** Heartbeat period in ms. @default 10000 (env SNAIL_HEARTBEAT_INTERVAL_MS) */
  heartbeatIntervalMs?: number;
  /**
   * Health reports `down` when the last successful heartbeat is older than this (ms); at least
   * `heartbeatIntervalMs`. 30 s = the server's 30-s node lease: three missed 10-s beats, ~10 s before the
   * server drops the node from its in-memory table (40 s).
   * @default max(30000, 3 × heartbeatIntervalMs) (env SNAIL_HEARTBEAT_EXPIRY_MS)
   */
  heartbeatExpiryMs?: number;
  /** Local timeout of one call to the server, in ms. @default 10000 (env SNAIL_REQUEST_TIMEOUT_MS) */
  requestTimeoutMs?: number;
  /** Refuse to start when the server cannot be reached at start-up. @default false (env SNAIL_FAIL_FAST) */
  failFast?: boolean;
  /** Largest inbound/outbound gRPC message in bytes. @default 10485760 (env SNAIL_MAX_MESSAGE_BYTES) */
  maxMessageBytes?: number;
  /** Remote log entries per `/batch/server/report/log` request. @default 50 (env SNAIL_LOG_BATCH_SIZE) */
  logBatchSize?: number;
  /**
   * Most time, in ms, a remote log entry waits for its batch to fill before it is sent anyway.
   * @default 5000 (env SNAIL_LOG_FLUSH_INTERVAL_MS)
   */
  logFlushIntervalMs?: number;
  /**
   * Most remote log entries kept while the server is slow or away; beyond it the oldest are dropped (and
   * counted). @default 10000 (env SNAIL_LOG_QUEUE_MAX)
   */
  logQueueMax?: number;
  /**
   * Also ship Nest `Logger` calls made inside a task as remote log entries (the app's own log output is
   * unchanged). @default false (env SNAIL_LOG_CAPTURE_NEST_LOGGER)
   */
  logCaptureNestLogger?: boolean;

  // Reliability (see docs/reliability-security.md)
  /**
   * Most tasks running at once in this process, all executors together; more wait in the queue.
   * @default 256 (env SNAIL_MAX_CONCURRENT_TASKS)
   */
  maxConcurrentTasks?: number;
  /**
   * Most tasks of one executor running at once: a number for every executor, or a map
   * `{ executorName: n }` (key `'*'` for the others). Unset means only `maxConcurrentTasks` applies.
   * @default undefined (env SNAIL_MAX_CONCURRENT_PER_EXECUTOR as `8` or `dailyReport:2,*:16`)
   */
  maxConcurrentPerExecutor?: number | Record<string, number>;
  /**
   * Most accepted tasks waiting for a slot (their batch's `parallelNum`, or the caps above); beyond it a
   * dispatch is refused so the server can run it elsewhere. @default 10000 (env SNAIL_MAX_QUEUED_TASKS)
   */
  maxQueuedTasks?: number;
  /**
   * On shutdown, how long running tasks may finish before they are aborted (reason `shutdown`) and reported
   * as failed. The whole shutdown then takes at most this + 7 s (flush, gRPC close): 22 s by default, inside
   * Kubernetes' default 30-s `terminationGracePeriodSeconds`. @default 15000 (env SNAIL_SHUTDOWN_GRACE_MS)
   */
  shutdownGraceMs?: number;
  /**
   * Warn when the event loop is blocked this long (a CPU-bound handler); 0 disables the check.
   * @default 1000 (env SNAIL_EVENT_LOOP_STALL_MS)
   */
  eventLoopStallMs?: number;
  /**
   * Directory of the on-disk result outbox: reports are written there before they are sent and re-sent at the
   * next start if the process died first. `false` keeps reports in memory only.
   * @default false (env SNAIL_OUTBOX_DIR)
   */
  outboxDir?: string | false;
  /**
   * The Java client's built-in executors (`snailJobHttpExecutor`, and the script executors), each off unless
   * enabled here. See docs/builtin-executors.md. @default {} (env SNAIL_BUILTIN_HTTP, SNAIL_BUILTIN_SCRIPTS)
   */
  builtinExecutors?: BuiltinExecutorsOptions;
  /**
   * OpenTelemetry: one span per task around its handler, its trace id on the task's remote log lines. Needs
   * `@opentelemetry/api` and an SDK set up by the app. See docs/tracing.md. @default false (env SNAIL_TRACING)
   */
  tracing?: boolean;
}

/** Per-executor caps after resolution: `byExecutor` first, then `others`, else uncapped. */
export interface PerExecutorLimits {
  /** Cap of executors not named in `byExecutor` (undefined: no cap). */
  others: number | undefined;
  /** Caps by executor name. */
  byExecutor: Record<string, number>;
}

/** Options after defaults, environment and validation were applied. */
export interface ResolvedSnailJobOptions {
  server: { host: string; port: number; openApiUrl: string };
  client: { host: string; port: number; bindHost: string };
  namespace: string;
  group: string;
  token: string;
  labels: Record<string, string>;
  executorType: number;
  health: string | false;
  metrics: string | false;
  heartbeatIntervalMs: number;
  heartbeatExpiryMs: number;
  requestTimeoutMs: number;
  failFast: boolean;
  maxMessageBytes: number;
  logBatchSize: number;
  logFlushIntervalMs: number;
  logQueueMax: number;
  logCaptureNestLogger: boolean;
  maxConcurrentTasks: number;
  maxConcurrentPerExecutor: PerExecutorLimits;
  maxQueuedTasks: number;
  shutdownGraceMs: number;
  eventLoopStallMs: number;
  /** Absolute or cwd-relative directory, or undefined when the outbox is off. */
  outboxDir: string | undefined;
  builtinExecutors: ResolvedBuiltinExecutors;
  tracing: boolean;
}
