/**
 * Request and response shapes of SnailJob 2.0.2's OpenAPI (`JobApi`, `JobBatchApi`, `WorkflowApi`,
 * `WorkflowBatchApi` of `snail-job-server-openapi`). Ids are `number`: the server's ids are database keys, far below
 * `Number.MAX_SAFE_INTEGER` (docs/openapi-client.md). The answer types take the id type as a parameter so that the
 * dev server, which writes ids beyond 2^53 as strings, answers with these same types (apps/dev-server/src/openapi/).
 */

/** `TaskTypeEnum`: 1 cluster, 2 broadcast, 3 sharding, 4 Map, 5 MapReduce. */
export type OpenApiTaskType = 1 | 2 | 3 | 4 | 5;
/** `TriggerTypeEnum` of a job: 2 fixed seconds, 3 CRON, 5 points in time, 99 on workflow / manual. */
export type OpenApiTriggerType = 2 | 3 | 5 | 99;
/** `StatusEnum`: 1 enabled, 0 disabled. */
export type OpenApiStatus = 0 | 1;

/** The fields a job add/update carries (`JobApiRequest` / `JobBizIdApiRequest`); `groupName` comes from config. */
export interface JobFields {
  jobName?: string;
  /** 1 enabled (default on add), 0 disabled. */
  jobStatus?: OpenApiStatus;
  argsStr?: string;
  /** 1 text, 2 JSON. */
  argsType?: number;
  /** 1 consistent hash, 2 random, 3 LRU, 4 round robin, 5 first, 6 last. */
  routeKey?: number;
  /** 1 Java, 2 Python, 3 Go… (the executor's `executor-type`). */
  executorType?: number;
  /** The executor name, e.g. the `@SnailJob({ name })`. */
  executorInfo?: string;
  triggerType?: OpenApiTriggerType;
  /**
   * Seconds for triggerType 2, a CRON expression for 3, a JSON array of future `yyyy-MM-dd HH:mm:ss` times for 5,
   * `"*"` for 99.
   */
  triggerInterval?: string;
  /** 1 discard, 2 overlay, 3 parallel, 4 recovery. */
  blockStrategy?: number;
  /** Seconds. */
  executorTimeout?: number;
  maxRetryTimes?: number;
  /** Seconds. */
  retryInterval?: number;
  taskType?: OpenApiTaskType;
  parallelNum?: number;
  description?: string;
  notifyIds?: number[];
  ownerId?: number;
  /** Labels as the server stores them (a JSON text, e.g. `'{"zone":"a"}'`). */
  labels?: string;
}

/** A new job: name, executor, type and schedule are what the server needs to run it. */
export interface AddJobRequest extends JobFields {
  jobName: string;
  executorInfo: string;
  taskType: OpenApiTaskType;
  triggerType: OpenApiTriggerType;
  triggerInterval: string;
}

export interface UpdateJobRequest extends JobFields {
  id: number;
}

export interface AddJobByBizIdRequest extends AddJobRequest {
  /** 1–64 letters, digits, `_` or `-`; unique in the group. */
  bizId: string;
}

export interface UpdateJobByBizIdRequest extends JobFields {
  bizId: string;
}

/** `JobApiResponse`. */
export interface JobResponse<Id = number> {
  id: Id | null;
  bizId: string | null;
  groupName: string | null;
  jobName: string | null;
  argsStr: string | null;
  argsType: string | null;
  extAttrs: string | null;
  nextTriggerAt: string | null;
  jobStatus: number | null;
  routeKey: number | null;
  executorType: number | null;
  executorInfo: string | null;
  triggerType: number | null;
  triggerInterval: string | null;
  blockStrategy: number | null;
  executorTimeout: number | null;
  maxRetryTimes: number | null;
  retryInterval: number | null;
  taskType: number | null;
  parallelNum: number | null;
  bucketIndex: number | null;
  description: string | null;
  createDt: string | null;
  updateDt: string | null;
  deleted: number | null;
  notifyIds: number[] | null;
  labels: string | null;
  ownerId?: number | null;
}

/** `JobExistsResponse`. */
export interface JobExistsResponse<Id = number> {
  groupName: string | null;
  id: Id | null;
  bizId: string | null;
  jobStatus: number | null;
}

/** `WorkflowExistsResponse`. */
export interface WorkflowExistsResponse<Id = number> {
  groupName: string | null;
  id: Id | null;
  bizId: string | null;
  workflowStatus: number | null;
  version: number | null;
}

/** A decision node's configuration (`DecisionConfig`). */
export interface DecisionConfig {
  expressionType?: number | null;
  nodeExpression?: string | null;
  defaultDecision?: number | null;
  checkContent?: string | null;
}

/** `JobBatchApiResponse`. `taskBatchStatus`: 1 waiting, 2 running, 3 success, 4 failed, 5 stopped, 6 cancelled. */
export interface JobBatchResponse<Id = number> {
  id: Id | null;
  groupName: string | null;
  jobName: string | null;
  taskType: string | null;
  nodeName: string | null;
  jobId: Id | null;
  taskBatchStatus: number | null;
  createDt: string | null;
  updateDt: string | null;
  executionAt: string | null;
  operationReason: number | null;
  executorType: number | null;
  executorInfo: string | null;
  decision: DecisionConfig | null;
  workflowTaskBatchId: Id | null;
  workflowNodeId: Id | null;
}

export interface WorkflowNodeInfo<Id = number> {
  id: Id;
  nodeType: number;
  nodeName: string;
  priorityLevel: number;
  workflowNodeStatus: number;
  failStrategy: number;
  taskBatchStatus: number | null;
  decision: DecisionConfig | null;
  jobTask: { jobId: Id; jobBizId: string | null; jobName: string | null; labels: string | null } | null;
  jobBatchList: JobBatchResponse<Id>[] | null;
  childNode: WorkflowNodeConfig<Id> | null;
}

export interface WorkflowNodeConfig<Id = number> {
  nodeType: number | null;
  conditionNodes: WorkflowNodeInfo<Id>[];
  childNode: WorkflowNodeConfig<Id> | null;
}

/**
 * `WorkflowDetailApiResponse`: one run of a workflow. The workflow's fields (id, name, schedule…) with the run's
 * status (`workflowBatchStatus`) and context (`wfContext`, a JSON object text) and its nodes' job batches.
 */
export interface WorkflowBatchResponse<Id = number> {
  /** The workflow's id (the run's own id is what you asked for). */
  id: Id;
  bizId: string | null;
  workflowName: string;
  groupName: string;
  triggerType: number;
  blockStrategy: number;
  triggerInterval: string;
  executorTimeout: number;
  workflowStatus: number;
  description: string;
  workflowBatchStatus: number;
  wfContext: string | null;
  nodeConfig: WorkflowNodeConfig<Id> | null;
  notifyIds: number[] | null;
  ownerId: number | null;
}

/** The server's envelope (`Result`): status 1 success, 0 failure. */
export interface OpenApiEnvelope<T> {
  status: number;
  message: string | null;
  data: T | null;
}
