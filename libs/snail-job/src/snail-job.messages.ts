/** Every user-facing message of the library, as small functions. */

/** A value quoted in a message, cut to `max` characters (inbound data can be megabytes long). */
const clip = (value: string, max = 120) => (value.length > max ? `${value.slice(0, max)}…` : value);

export const DUPLICATE_EXECUTOR = (name: string, first: string, second: string) =>
  `Duplicate SnailJob executor "${name}": declared by ${first} and by ${second}. Executor names must be unique per app.`;

export const STAGE_OUTSIDE_EXECUTOR = (where: string, decorator: string) =>
  `${decorator} on ${where} needs its class to be decorated with @SnailJob('name'). Add @SnailJob('executorName') to the class.`;

export const DUPLICATE_STAGE = (executor: string, stage: string, first: string, second: string) =>
  `Map executor "${executor}" has two handlers for ${stage}: ${first} and ${second}. Keep one.`;

export const NOT_SINGLETON = (where: string) =>
  `SnailJob executor ${where} must live in a singleton provider (request- or transient-scoped providers cannot be dispatched to).`;

export const UNKNOWN_EXECUTOR = (name: string, registered: readonly string[], closest: string | undefined) =>
  `Executor configuration is incorrect: executor "${clip(name)}" is not registered on this client; registered executors: ${
    registered.length ? registered.join(', ') : '(none)'
  }.${closest ? ` Did you mean "${closest}"?` : ''}`;

export const WRONG_EXECUTOR_KIND = (name: string, taskType: number, kind: 'plain' | 'map') =>
  kind === 'plain'
    ? `Executor "${name}" is a plain @SnailJob method but taskType ${taskType} is a map/map-reduce job: declare a @SnailJob('${name}') class with @MapTask() methods.`
    : `Executor "${name}" is a map/map-reduce @SnailJob class but taskType ${taskType} needs a plain executor: put @SnailJob('${name}') on a method instead, or change the job's task type to MAP (4) or MAP_REDUCE (5).`;

export const AUTH_FAILED = 'Authentication failed. [Please check if the configured Token is correct]';

export const UNKNOWN_URI = (path: string) =>
  ` Cannot find corresponding processing, please check if the corresponding package is correctly introduced.path:[${path}] requestMethod:[{}]`;

export const RETRY_MODULE_UNSUPPORTED = (path: string) =>
  `nestjs-snail-job implements the job module only; the retry-module call ${path} is not supported.`;

export const SHUTTING_DOWN = 'Client is shutting down and accepts no new tasks; dispatch it to another node.';

export const HEALTH_NOT_SERVING = 'gRPC server not serving';

export const HEALTH_NO_HEARTBEAT = 'no heartbeat yet';

export const HEALTH_TOKEN_REJECTED = (detail: string) => `token rejected: ${detail}`;

export const HEALTH_SERVER_UNREACHABLE = (detail: string) => `server unreachable: ${detail}`;

export const HEALTH_HEARTBEAT_EXPIRED = (ageMs: number, expiryMs: number) =>
  `no successful heartbeat for ${ageMs} ms (heartbeatExpiryMs is ${expiryMs})`;

export const METRIC_CONFLICT = (name: string, wanted: string, found: string) =>
  `Prometheus metric "${name}" is already registered in prom-client's default registry by other code (${found}); nestjs-snail-job records its own ${wanted} but cannot export it. Rename the other metric to see it.`;
// Remote logs

export const REMOTE_LOG_OUTSIDE_TASK =
  'SnailJobLog.REMOTE was called outside a SnailJob task, so the line was only logged locally (this warning is shown once). Remote lines need the async context of a task: call it from an executor method or from code it awaits or starts.';

export const TEXT_TRUNCATED = (totalChars: number) => `… [truncated: ${totalChars} characters in total]`;

export const TASK_RETRY_LINE = (retryCount: number) =>
  `Task execution/scheduling failed, executing retry. Retry count:[${retryCount}]`;

export const TASK_FAILED_LINE = (taskBatchId: string) => `Task execution failed taskBatchId:[${taskBatchId}]`;

export const LOG_DELIVERY_FAILED = (reason: string, queued: number, max: number) =>
  `Could not deliver remote log entries (${reason}); ${queued} queued, retrying with backoff. Up to ${max} entries are kept (logQueueMax / SNAIL_LOG_QUEUE_MAX), older ones are dropped.`;

export const LOG_DELIVERY_RESUMED = (dropped: number) =>
  `Remote log delivery resumed${dropped > 0 ? `; ${dropped} entries were dropped meanwhile` : ''}.`;

export const LOG_QUEUE_FULL = (max: number) =>
  `Remote log queue is full (${max} entries, or 16 Mi characters of text); dropping the oldest entries until the SnailJob server catches up. Raise logQueueMax (SNAIL_LOG_QUEUE_MAX) or log less inside tasks.`;

export const LOG_ENTRY_TOO_LARGE = (bytes: number, maxMessageBytes: number) =>
  `Dropped a remote log entry of ${bytes} bytes: it does not fit in one gRPC message (maxMessageBytes = ${maxMessageBytes}). Such entries are dropped without further warnings.`;

export const LOG_BATCH_TOO_LARGE = (entries: number, bytes: number, maxMessageBytes: number) =>
  `Dropped ${entries} remote log entries: the server refused their request of ${bytes} bytes as too large. Lower maxMessageBytes (now ${maxMessageBytes}) to the server's limit.`;

export const LOGS_UNDELIVERED = (count: number) =>
  `${count} remote log entries were not delivered before shutdown.`;
export const AT_CAPACITY = (
  queued: number,
  maxQueued: number,
  running: number,
  maxRunning: number,
  abandoned: number,
  executor: string,
  executorLimit: number,
) =>
  `Client is at capacity: ${queued} task(s) already wait (maxQueuedTasks=${maxQueued}, env SNAIL_MAX_QUEUED_TASKS) for ${running} running (maxConcurrentTasks=${maxRunning}${
    Number.isFinite(executorLimit) ? `, maxConcurrentPerExecutor["${executor}"]=${executorLimit}` : ''
  }${
    abandoned > 0 ? `, of which ${abandoned} stopped handler(s) that ignore their AbortSignal` : ''
  }). Dispatch it to another node, or raise the limits.`;

export const SHUTDOWN_DRAINING = (handedBack: number, running: number, graceMs: number) =>
  `Shutting down: waiting up to ${graceMs} ms for ${running} running task(s)${
    handedBack > 0
      ? `; ${handedBack} task(s) not started yet were handed back to the server (reported as failed)`
      : ''
  }.`;

export const SHUTDOWN_ABORTED = (running: number, graceMs: number) =>
  `Shutdown grace period of ${graceMs} ms (shutdownGraceMs, env SNAIL_SHUTDOWN_GRACE_MS) is over: aborted ${running} running task(s) with reason "shutdown" and reported them as failed so the server can retry them elsewhere.`;

export const OUTBOX_UNUSABLE = (dir: string, reason: string) =>
  `SnailJob outbox directory "${dir}" (outboxDir, env SNAIL_OUTBOX_DIR) cannot be used: ${reason}. Point it at a writable directory, or set it to false.`;

export const OUTBOX_LOCKED = (dir: string, pid: number) =>
  `SnailJob outbox directory "${dir}" is in use by the running process ${pid}. Give every process its own outboxDir (env SNAIL_OUTBOX_DIR).`;

export const OUTBOX_CORRUPT_LINES = (file: string, count: number) =>
  `SnailJob outbox ${file}: skipped ${count} unreadable line(s) (a write cut short by a crash).`;

export const OUTBOX_WRITE_FAILED = (file: string, reason: string) =>
  `SnailJob outbox ${file} cannot be written (${reason}); result reports are kept in memory only from now on.`;

export const OUTBOX_RESENDING = (count: number, file: string, oldestAgeMs: number) =>
  `Re-sending ${count} result report(s) left undelivered by an earlier run (outbox ${file}, oldest ${Math.round(oldestAgeMs / 1000)} s old).`;

export const REGISTRATION_FAILED = (reason: string, heartbeatMs: number) =>
  `${reason}. The app keeps running and retries with backoff (at least every ${heartbeatMs} ms); dispatches resume once registered. This is logged once per outage.`;

export const FAIL_FAST = (reason: string) =>
  `SnailJob failFast (option failFast, env SNAIL_FAIL_FAST): could not register with the SnailJob server at start-up (${reason}). Start the server or fix server.host/server.port, or set failFast to false to start anyway and keep retrying.`;

export const REPORTS_PAUSED = (error: string, pending: number) =>
  `Could not deliver result reports (${error}); ${pending} kept and retried with backoff until the SnailJob server answers again.`;

export const REPORTS_DROPPED = (max: number, dropped: number, taskId: string) =>
  `Result queue full (${max} reports): dropped the oldest, of task ${taskId} (${dropped} dropped in this outage). Is the SnailJob server reachable?`;

export const REPORT_GIVEN_UP = (taskId: string, reason: string) =>
  `Gave up on the result report of task ${taskId}: ${reason}.`;

export const REPORT_REFUSED_TOO_OFTEN = (refusals: number, message: string) =>
  `refused ${refusals} times, last: "${message}"`;

export const REPORT_REJECTED_FOR_GOOD = (message: string) =>
  `the server cannot accept it and a resend would not change that ("${clip(message, 200)}")`;

export const REPORTS_UNDELIVERED = (pending: number, kept: number, outboxFile: string) =>
  kept > 0
    ? `${pending} result report(s) were not delivered before shutdown; ${kept} are kept in the outbox ${outboxFile} and re-sent at the next start.`
    : `${pending} result report(s) were not delivered before shutdown and are lost; their tasks stay RUNNING on the server until the batch times out. Set outboxDir (env SNAIL_OUTBOX_DIR) to keep them across restarts.`;

export const EVENT_LOOP_STALL = (ms: number, executors: readonly string[], heartbeatMs: number) =>
  `Event loop blocked for ${ms} ms${
    executors.length ? ` while these executors ran: ${executors.join(', ')}` : ' (no task was running)'
  }. Heartbeats (every ${heartbeatMs} ms) and replies to the server were late meanwhile: the server fails a node over when a dispatch is not answered within 3 s and drops it after ~40 s without a heartbeat. Move CPU-bound work to worker threads (see "Event-loop stalls" in the docs).`;

export const DEMO_TOKEN_IN_PRODUCTION =
  "NODE_ENV=production but the SnailJob token is the public demo token: anyone who can reach this client's gRPC port can dispatch and stop jobs with it. Create a group with its own token in the SnailJob console and set SNAIL_TOKEN (option token).";

export const DEMO_NAMESPACE_IN_PRODUCTION =
  'NODE_ENV=production but the SnailJob namespace is the demo namespace 764d604ec6fc45f68cd92514c40e9e1a. Create a namespace for this environment in the SnailJob console and set SNAIL_NAMESPACE (option namespace).';

export const LIMIT_FOR_UNKNOWN_EXECUTOR = (
  name: string,
  registered: readonly string[],
  closest: string | undefined,
) =>
  `maxConcurrentPerExecutor names executor "${name}", which is not registered on this client (registered: ${
    registered.length ? registered.join(', ') : '(none)'
  }); its limit has no effect.${closest ? ` Did you mean "${closest}"?` : ''}`;

export const CLIENT_STOPPED = (ms: number, unflushed: readonly string[]) =>
  `SnailJob client stopped in ${ms} ms${unflushed.length ? ` (not fully delivered: ${unflushed.join(', ')})` : ''}`;

export const SERVER_CALL_FAILED = (uri: string, detail: string) =>
  `SnailJob server call ${uri} failed: ${detail}`;

/** How a map handler for `taskName` is declared. */
export const mapTaskDecorator = (taskName: string) =>
  taskName === 'ROOT_MAP' ? '@MapTask()' : `@MapTask('${taskName}')`;

export const MAP_HANDLER_MISSING = (executor: string, className: string, taskName: string) =>
  `MapTask execution method not found: map executor "${executor}" (class ${className}) has no ${mapTaskDecorator(
    taskName,
  )} method for task "${taskName}". Add one.`;

export const STAGE_HANDLER_MISSING = (
  executor: string,
  className: string,
  decorator: string,
  mrStage: number,
) =>
  `Map-reduce executor "${executor}" (class ${className}) has no ${decorator} method for mrStage ${mrStage}. Add one.`;

export const DO_MAP_NO_ITEMS = 'doMap needs a non-empty array of items; nothing to map.';

export const DO_MAP_NO_NAME = 'doMap needs the name of the next map task, e.g. doMap(items, "PAGE").';

export const DO_MAP_ROOT_NAME = (rootMap: string) =>
  `doMap cannot create tasks named ${rootMap}; choose another name, e.g. "PAGE".`;

export const DO_MAP_NOT_SERIALISABLE = (detail: string) => `doMap items must be JSON-serialisable: ${detail}`;

export const EXECUTORS_REGISTERED = (names: readonly string[]) =>
  `Registered ${names.length} executor(s): ${names.join(', ')}`;

export const REGISTRATION_REFUSED = (message: string) => `Executor registration refused: ${message}`;

export const EXECUTOR_REGISTRATION_FAILED = (message: string) => `Executor registration failed: ${message}`;

export const OPTIONAL_PEER_MISSING = (part: string, setting: string, pkg: string, detail: string) =>
  `SnailJob ${part} is on (${setting}) and needs the package ${pkg}: npm install ${pkg}, or set ${setting} to false to switch it off (${detail})`;

export const HEALTH_OFF_AT_DEFINITION = (path: string) =>
  `SnailJob health: the forRootAsync factory asks for GET ${path}, but health was off when the module was defined (forRootAsync({ health: false }) or SNAIL_HEALTH_PATH=false), so @nestjs/terminus was not loaded. Turn it on where the module is defined; see docs/health-metrics.md.`;

export const GRPC_LISTENING = (host: string, port: number) =>
  `gRPC server for the SnailJob server listening on ${host}:${port}`;

export const GRPC_BIND_FAILED = (address: string, detail: string) =>
  `SnailJob client could not bind its gRPC server on ${address}: ${detail}`;

export const TASK_CRASHED = (taskId: string, executor: string, detail: string) =>
  `Task ${taskId} (${executor}): ${detail}`;

export const TASK_FAILED = (taskId: string, executor: string, message: string | undefined) =>
  `Task ${taskId} (${executor}) failed: ${String(message)}`;

export const TASK_ABORTED = (taskId: string, executor: string, reason: string) =>
  `Task ${taskId} (${executor}) aborted: ${reason}`;

export const TASK_DUPLICATE = (taskId: string, running: boolean) =>
  `Duplicate delivery of task ${taskId} ignored (already ${running ? 'running' : 'done'})`;

export const TASK_ABORTED_BY_SHUTDOWN = 'Task aborted: the client shut down before it finished';

export const SIGNAL_WITHOUT_SHUTDOWN_HOOKS = (signal: string) =>
  `${signal} received and nothing else handles it (app.enableShutdownHooks() is off): SnailJob lets running ` +
  `tasks finish (up to shutdownGraceMs), reports them, then the process exits. Call app.enableShutdownHooks() ` +
  `so that the rest of the app shuts down gracefully too.`;
