import { BatchStatus, type MapReduceStage, type TaskStatus, type TaskType } from 'nestjs-snail-job/protocol';
import type { LabelMap, NodeRecord } from '../registry/node.model.js';
import type { BlockStrategy, OperationReason } from './job.enums.js';

/** A job definition (`sj_job`). */
export interface Job {
  id: bigint;
  /** Business id, a snowflake-like decimal string (sent as `jobBizId`). */
  bizId: string;
  namespaceId: string;
  groupName: string;
  jobName: string;
  executorInfo: string;
  executorType: number;
  taskType: TaskType;
  /** The stored args text (SHARDING: JSON array of strings; MAP_REDUCE: `{"shardNum":n,"argsStr":"…"}`). */
  argsStr?: string;
  parallelNum: number;
  /** Seconds; the whole batch's budget. */
  executorTimeout: number;
  maxRetryTimes: number;
  /** Seconds between automatic retries. */
  retryInterval: number;
  routeKey: number;
  blockStrategy: BlockStrategy;
  labels: LabelMap;
  createdAt: number;
  /** 1 enabled, 0 disabled (`job_status`); only enabled jobs are scheduled. Absent = 1. */
  jobStatus?: number;
  /** 2 fixed seconds, 3 CRON, 5 point in time, 99 workflow only (`TriggerTypeEnum`). Absent = 99 (never scheduled). */
  triggerType?: number;
  /** As stored: seconds, a Quartz CRON, `[{"time":ms}]` for point in time, `*` or "" for workflow only. */
  triggerInterval?: string;
  /** Epoch ms of the next scheduled trigger (0 = none). */
  nextTriggerAt?: number;
  /** The OpenAPI's remaining columns of `sj_job`. */
  description?: string;
  /** `labels` as given (the OpenAPI answers with the text). */
  labelsText?: string;
  bucketIndex?: number;
  resident?: number;
  argsType?: number;
  notifyIds?: string;
  ownerId?: number;
  extAttrs?: string;
  updatedAt?: number;
}

/** One run of a job (`sj_job_task_batch`). */
export interface Batch {
  id: bigint;
  jobId: bigint;
  namespaceId: string;
  groupName: string;
  taskType: TaskType;
  status: BatchStatus;
  operationReason: OperationReason;
  /** The args of this run: the trigger's `tmpArgsStr`, else the job's args. */
  argsStr?: string;
  workflowTaskBatchId?: bigint;
  workflowNodeId?: bigint;
  createdAt: number;
  finishedAt?: number;
  /**
   * Index (in creation order) below which no task of this batch is RUNNING; lets the completion check skip
   * the finished prefix instead of rescanning every task on every report. Reset whenever a task turns
   * RUNNING again.
   */
  runningScanFrom?: number;
}

/** Where a task was sent. */
export interface TaskNode {
  key: string;
  hostId: string;
  hostIp: string;
  hostPort: number;
}

/** One unit of work (`sj_job_task`). */
export interface Task {
  id: bigint;
  batchId: bigint;
  jobId: bigint;
  /** 0 for top-level tasks. */
  parentId: bigint;
  taskName: string;
  mrStage?: MapReduceStage;
  /** False once the task created map children. */
  leaf: boolean;
  status: TaskStatus;
  /** Undefined until first set: absent from the first dispatch of CLUSTER and MERGE_REDUCE tasks. */
  retryCount?: number;
  /** JSON text of the JobArgsHolder. */
  argsStr: string;
  /** `result_message`: what the task reported as `result`, as text (initially ""). */
  result: string;
  /** The last message: the client's `executeResult.message`, a refusal, or a server note. */
  message?: string;
  /** The workflow-context changes the task reported (JSON object text). */
  wfContext?: string;
  node?: TaskNode;
  createdAt: number;
  updatedAt: number;
}

/** Terminal batch statuses. */
export function isBatchFinished(status: BatchStatus): boolean {
  return status !== BatchStatus.WAITING && status !== BatchStatus.RUNNING;
}

/** A snapshot of where a task runs. */
export function taskNode(node: NodeRecord): TaskNode {
  return { key: node.key, hostId: node.hostId, hostIp: node.hostIp, hostPort: node.hostPort };
}
