/**
 * Shapes of every job-protocol payload (spec Appendix A). Ids are `number`, or `bigint` when a value
 * exceeds 2^53 - 1 (see json.ts); they are echoed back exactly as received.
 */

/**
 * A SnailJob database id (a Java `long`): a `number` up to 2^53 - 1, a `bigint` beyond, so it is always exact
 * (docs/executors.md, "Ids"). A dispatch with an id outside the Java long range is refused.
 */
export type SnailId = number | bigint;

/** S→C `/job/dispatch/v1`. */
export interface DispatchJobRequest {
  namespaceId: string;
  jobId: SnailId;
  jobBizId?: string;
  taskBatchId: SnailId;
  taskId: SnailId;
  taskType: number;
  groupName: string;
  parallelNum: number;
  executorType: number;
  executorInfo: string;
  executorTimeout: number;
  argsStr?: string;
  taskName?: string;
  mrStage?: number;
  shardingTotal?: number;
  shardingIndex?: number;
  workflowTaskBatchId?: SnailId;
  workflowNodeId?: SnailId;
  wfContext?: string;
  retryCount?: number;
  retryScene?: number;
  retryStatus?: boolean;
  retry?: boolean;
}

/** The JSON object inside `argsStr`. */
export interface JobArgsHolder {
  jobParams?: unknown;
  maps?: unknown;
  reduces?: unknown;
}

/** S→C `/job/stop/v1`. */
export interface StopJobRequest {
  jobId: SnailId;
  taskBatchId: SnailId;
  groupName: string;
}

/** `/sync/version` in both directions. */
export interface ConfigRequest {
  version?: number;
  sceneList?: { sceneName: string; ddl: number }[];
  notifyList?: {
    recipients?: { notifyType: number; notifyAttribute: string }[];
    notifyThreshold?: number;
    retryNotifyScene?: number;
    jobNotifyScene?: number;
  }[];
}

/** `executeResult` of a result report. `status` is never null on the wire. */
export interface WireExecuteResult {
  status: number;
  message?: string;
  result?: unknown;
}

/** C→S `/report/dispatch/result`. */
export interface DispatchJobResultRequest {
  jobId: SnailId;
  taskBatchId: SnailId;
  taskId: SnailId;
  taskType: number;
  groupName: string;
  taskStatus: number;
  executeResult: WireExecuteResult;
  workflowTaskBatchId?: SnailId;
  workflowNodeId?: SnailId;
  retryStatus: boolean;
  retryScene?: number;
  retry: boolean;
  wfContext?: string;
}

/** C→S `/batch/report/job/map/task/v1`. */
export interface MapTaskRequest {
  jobId: SnailId;
  taskBatchId: SnailId;
  parentId: SnailId;
  taskName: string;
  subTask: unknown[];
  workflowTaskBatchId?: SnailId;
  workflowNodeId?: SnailId;
  wfContext?: string;
}

/** One element of C→S `/register/job/executors`. */
export interface JobExecutorRequest {
  executorInfo: string;
}

/** One `fieldList` element of a log entry; a field without `value` is dropped by the server. */
export interface LogField {
  name: 'time_stamp' | 'level' | 'thread' | 'message' | 'location' | 'throwable' | 'host' | 'port';
  value?: string;
}

/** One entry of C→S `/batch/server/report/log` (body `[[entry, …]]`). */
export interface JobLogTaskRequest {
  logType: 'JOB';
  namespaceId: string;
  groupName: string;
  jobId: SnailId;
  taskBatchId: SnailId;
  taskId: SnailId;
  realTime: number;
  fieldList: LogField[];
}

/** Node labels (`label` header of `/beat`); values must be strings. */
export type Labels = Record<string, string>;
