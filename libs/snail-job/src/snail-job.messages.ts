/** Every user-facing message of the library, as small functions. */

export const DUPLICATE_EXECUTOR = (name: string, first: string, second: string) =>
  `Duplicate SnailJob executor "${name}": declared by ${first} and by ${second}. Executor names must be unique per app.`;

export const STAGE_OUTSIDE_EXECUTOR = (where: string, decorator: string) =>
  `${decorator} on ${where} needs its class to be decorated with @SnailJob('name'). Add @SnailJob('executorName') to the class.`;

export const DUPLICATE_STAGE = (executor: string, stage: string, first: string, second: string) =>
  `Map executor "${executor}" has two handlers for ${stage}: ${first} and ${second}. Keep one.`;

export const NOT_SINGLETON = (where: string) =>
  `SnailJob executor ${where} must live in a singleton provider (request- or transient-scoped providers cannot be dispatched to).`;

export const UNKNOWN_EXECUTOR = (name: string, registered: readonly string[], closest: string | undefined) =>
  `Executor configuration is incorrect: executor "${name}" is not registered on this client; registered executors: ${
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
