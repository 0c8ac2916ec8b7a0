import { BatchStatus, TaskStatus } from 'nestjs-snail-job/protocol';
import { type ApiId, toApiId } from '../common/ids.js';
import { OperationReason } from '../jobs/job.enums.js';
import type { Batch, Job, Task } from '../jobs/job.model.js';
import type { TaskLogRow } from '../logs/task-log.store.js';
import type { LabelMap, NodeIdentity, NodeRecord } from '../registry/node.model.js';
import type { Workflow, WorkflowBatch } from '../workflows/workflow.model.js';

/** A task as the API shows it. */
export interface TaskView {
  id: ApiId;
  /** 0 for top-level tasks. */
  parentId: ApiId;
  taskName: string;
  mrStage: number | null;
  leaf: boolean;
  status: number;
  statusName: string;
  retryCount: number | null;
  node: { hostId: string; hostIp: string; hostPort: number } | null;
  argsStr: string;
  /** `result_message` ("" until a non-null result is reported). */
  result: string;
  message: string | null;
  /** Context changes the task reported. */
  wfContext: string | null;
  /** Only with `?tree=1`. */
  children?: TaskView[];
}

/** A batch with its tasks. */
export interface BatchView {
  id: ApiId;
  jobId: ApiId;
  status: number;
  statusName: string;
  taskType: number;
  operationReason: number;
  operationReasonName: string;
  workflowTaskBatchId: ApiId | null;
  workflowNodeId: ApiId | null;
  createdAt: number;
  finishedAt: number | null;
  tasks: TaskView[];
}

/** A job definition. */
export interface JobView {
  id: ApiId;
  bizId: string;
  jobName: string;
  namespaceId: string;
  groupName: string;
  executorInfo: string;
  executorType: number;
  taskType: number;
  argsStr: string | null;
  parallelNum: number;
  executorTimeout: number;
  maxRetryTimes: number;
  retryInterval: number;
  routeKey: number;
  blockStrategy: number;
  labels: LabelMap;
  /** 1 enabled, 0 disabled. */
  jobStatus: number;
  /** 2 FIXED, 3 CRON, 5 POINT_IN_TIME, 99 WORKFLOW (never scheduled by itself). */
  triggerType: number;
  /** As stored (point in time: `[{"time":ms}]`). */
  triggerInterval: string;
  /** Epoch ms of the next scheduled trigger; null when none. */
  nextTriggerAt: number | null;
}

/** A registered client node. */
export interface NodeView extends NodeIdentity {
  alive: boolean;
  registeredAt: number;
  lastBeatAt: number;
}

/** One log entry (fields as `{name: value}`). */
export interface LogEntryView {
  taskId: ApiId;
  taskBatchId: ApiId | null;
  jobId: ApiId | null;
  /** `realTime` of the stored row (its first entry). */
  realTime: number;
  fields: Record<string, string>;
}

/** A workflow run. */
export interface WorkflowBatchView {
  id: ApiId;
  workflowId: ApiId;
  status: number;
  statusName: string;
  operationReason: number;
  wfContext: string;
  createdAt: number;
  finishedAt: number | null;
  nodes: {
    nodeId: ApiId;
    key: string;
    jobId: ApiId;
    taskBatchId: ApiId | null;
    status: number | null;
    statusName: string;
  }[];
}

const optionalId = (id: bigint | undefined): ApiId | null => (id === undefined ? null : toApiId(id));

export function taskView(task: Task): TaskView {
  return {
    id: toApiId(task.id),
    parentId: toApiId(task.parentId),
    taskName: task.taskName,
    mrStage: task.mrStage ?? null,
    leaf: task.leaf,
    status: task.status,
    statusName: TaskStatus[task.status] ?? String(task.status),
    retryCount: task.retryCount ?? null,
    node: task.node
      ? { hostId: task.node.hostId, hostIp: task.node.hostIp, hostPort: task.node.hostPort }
      : null,
    argsStr: task.argsStr,
    result: task.result,
    message: task.message ?? null,
    wfContext: task.wfContext ?? null,
  };
}

/** Nests tasks under their parents (roots: parentId 0 or an unknown parent). */
function taskTree(tasks: Task[]): TaskView[] {
  const views = new Map(tasks.map((t) => [t.id, { ...taskView(t), children: [] as TaskView[] }]));
  const roots: TaskView[] = [];
  for (const task of tasks) {
    const view = views.get(task.id)!;
    const parent = views.get(task.parentId);
    if (parent) parent.children.push(view);
    else roots.push(view);
  }
  return roots;
}

export function batchView(batch: Batch, tasks: Task[], tree = false): BatchView {
  return {
    id: toApiId(batch.id),
    jobId: toApiId(batch.jobId),
    status: batch.status,
    statusName: BatchStatus[batch.status],
    taskType: batch.taskType,
    operationReason: batch.operationReason,
    operationReasonName: OperationReason[batch.operationReason],
    workflowTaskBatchId: optionalId(batch.workflowTaskBatchId),
    workflowNodeId: optionalId(batch.workflowNodeId),
    createdAt: batch.createdAt,
    finishedAt: batch.finishedAt ?? null,
    tasks: tree ? taskTree(tasks) : tasks.map(taskView),
  };
}

export function jobView(job: Job): JobView {
  return {
    id: toApiId(job.id),
    bizId: job.bizId,
    jobName: job.jobName,
    namespaceId: job.namespaceId,
    groupName: job.groupName,
    executorInfo: job.executorInfo,
    executorType: job.executorType,
    taskType: job.taskType,
    argsStr: job.argsStr ?? null,
    parallelNum: job.parallelNum,
    executorTimeout: job.executorTimeout,
    maxRetryTimes: job.maxRetryTimes,
    retryInterval: job.retryInterval,
    routeKey: job.routeKey,
    blockStrategy: job.blockStrategy,
    labels: job.labels,
    jobStatus: job.jobStatus ?? 1,
    triggerType: job.triggerType ?? 99,
    triggerInterval: job.triggerInterval ?? '',
    nextTriggerAt: job.nextTriggerAt || null,
  };
}

export function nodeView(node: NodeRecord): NodeView {
  const { key: _key, ...rest } = node;
  return { ...rest, labels: { ...node.labels }, extAttrs: { ...node.extAttrs } };
}

export function logEntryViews(rows: TaskLogRow[]): LogEntryView[] {
  return rows.flatMap((row) =>
    row.entries.map((fields) => ({
      taskId: toApiId(row.taskId),
      taskBatchId: optionalId(row.taskBatchId),
      jobId: optionalId(row.jobId),
      realTime: row.realTime,
      fields: { ...fields },
    })),
  );
}

export function workflowBatchView(
  run: WorkflowBatch,
  workflow: Workflow,
  batchStatus: (id: bigint) => BatchStatus | undefined,
): WorkflowBatchView {
  return {
    id: toApiId(run.id),
    workflowId: toApiId(run.workflowId),
    status: run.status,
    statusName: BatchStatus[run.status],
    operationReason: run.operationReason,
    wfContext: run.wfContext,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt ?? null,
    nodes: workflow.nodes.map((node) => {
      const batchId = run.nodeBatches.get(node.id);
      const status = batchId === undefined ? undefined : batchStatus(batchId);
      return {
        nodeId: toApiId(node.id),
        key: node.key,
        jobId: toApiId(node.jobId),
        taskBatchId: batchId === undefined || batchId < 0n ? null : toApiId(batchId),
        status: status ?? null,
        statusName: status === undefined ? 'NOT_STARTED' : BatchStatus[status],
      };
    }),
  };
}
