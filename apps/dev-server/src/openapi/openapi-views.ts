import type {
  JobBatchResponse as ApiJobBatchResponse,
  JobExistsResponse,
  JobResponse as ApiJobResponse,
  WorkflowBatchResponse,
  WorkflowExistsResponse,
  WorkflowNodeConfig,
  WorkflowNodeInfo,
} from 'nestjs-snail-job';
import { BatchStatus } from 'nestjs-snail-job/protocol';
import { type ApiId, toApiId } from '../common/ids.js';
import { OperationReason } from '../jobs/job.enums.js';
import type { Batch, Job } from '../jobs/job.model.js';
import { formatLocalDateTime } from '../scheduling/trigger-interval.js';
import {
  DECISION_JOB_ID,
  type Workflow,
  type WorkflowBatch,
  type WorkflowNode,
} from '../workflows/workflow.model.js';

/**
 * The OpenAPI's response classes (`snail-job-common-model/.../model/response/**`) as Spring's Jackson writes them:
 * nulls included, `LocalDateTime` as `"yyyy-MM-dd HH:mm:ss"`. Their types are the ones `SnailJobOpenApi` reads
 * (libs/snail-job/src/openapi/open-api.types.ts), so the dev server answers what the client expects.
 */

/** `SystemConstants.ROOT`: the virtual predecessor of a workflow's first nodes. */
const ROOT = -1n;

const date = (ms: number | undefined): string | null => (ms === undefined ? null : formatLocalDateTime(ms));
/** `JobConverter.toLocalDateTime`: 0 / absent → null. */
const dateOrNull = (ms: number | undefined): string | null => (!ms ? null : formatLocalDateTime(ms));
const id = (v: bigint | undefined): ApiId | null => (v === undefined ? null : toApiId(v));

/** `JobResponse` / `JobApiResponse`: the client's type of this answer, with the dev server's ids. */
export type JobResponse = ApiJobResponse<ApiId>;

function notifyIds(text: string | undefined): number[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((n): n is number => typeof n === 'number') : [];
  } catch {
    return [];
  }
}

/** `getJobById` of an unknown id answers an instance with every field null (MapStruct skips a null source). */
export function emptyJobResponse(): JobResponse {
  return jobResponseOf(undefined);
}

export function jobResponse(job: Job): JobResponse {
  return jobResponseOf(job);
}

function jobResponseOf(job: Job | undefined): JobResponse {
  return {
    id: id(job?.id),
    bizId: job?.bizId ?? null,
    groupName: job?.groupName ?? null,
    jobName: job?.jobName ?? null,
    argsStr: job?.argsStr ?? null,
    argsType: job ? String(job.argsType ?? 1) : null,
    extAttrs: job ? (job.extAttrs ?? '') : null,
    // 0 (workflow-only jobs) is answered as null (seen on the real server).
    nextTriggerAt: dateOrNull(job?.nextTriggerAt),
    jobStatus: job ? (job.jobStatus ?? 1) : null,
    routeKey: job?.routeKey ?? null,
    executorType: job?.executorType ?? null,
    executorInfo: job?.executorInfo ?? null,
    triggerType: job ? (job.triggerType ?? 99) : null,
    triggerInterval: job ? (job.triggerInterval ?? '') : null,
    blockStrategy: job?.blockStrategy ?? null,
    executorTimeout: job?.executorTimeout ?? null,
    maxRetryTimes: job?.maxRetryTimes ?? null,
    retryInterval: job?.retryInterval ?? null,
    taskType: job?.taskType ?? null,
    parallelNum: job?.parallelNum ?? null,
    bucketIndex: job ? (job.bucketIndex ?? 0) : null,
    description: job ? (job.description ?? '') : null,
    createDt: date(job?.createdAt),
    updateDt: date(job ? (job.updatedAt ?? job.createdAt) : undefined),
    deleted: job ? 0 : null,
    notifyIds: job ? notifyIds(job.notifyIds) : null,
    labels: job
      ? (job.labelsText ?? (Object.keys(job.labels).length ? JSON.stringify(job.labels) : ''))
      : null,
  };
}

/** `JobExistsResponse`. */
export function jobExistsResponse(job: Job): JobExistsResponse<ApiId> {
  return { groupName: job.groupName, id: toApiId(job.id), bizId: job.bizId, jobStatus: job.jobStatus ?? 1 };
}

/** `WorkflowExistsResponse`. */
export function workflowExistsResponse(workflow: Workflow): WorkflowExistsResponse<ApiId> {
  return {
    groupName: workflow.groupName,
    id: toApiId(workflow.id),
    bizId: workflow.bizId ?? null,
    workflowStatus: workflow.workflowStatus ?? 1,
    version: workflow.version ?? 1,
  };
}

/** `JobBatchResponse` / `JobBatchApiResponse`. */
export type JobBatchResponse = ApiJobBatchResponse<ApiId>;

/** When the batch turned RUNNING (`execution_at`); batches closed before that have none. */
function executionAt(batch: Batch): number | undefined {
  const neverRan =
    batch.status === BatchStatus.WAITING ||
    (batch.status === BatchStatus.CANCEL && batch.operationReason !== OperationReason.MANNER_STOP);
  return neverRan ? undefined : batch.createdAt;
}

export function jobBatchResponse(batch: Batch, job: Job | undefined, node?: WorkflowNode): JobBatchResponse {
  const decision = batch.jobId === DECISION_JOB_ID;
  return {
    id: toApiId(batch.id),
    groupName: batch.groupName,
    jobName: job?.jobName ?? null,
    taskType: job ? String(job.taskType) : null,
    nodeName: node?.key ?? null,
    jobId: toApiId(batch.jobId),
    taskBatchStatus: batch.status,
    createDt: date(batch.createdAt),
    updateDt: date(batch.finishedAt ?? batch.createdAt),
    executionAt: decision ? date(batch.createdAt) : dateOrNull(executionAt(batch)),
    operationReason: batch.operationReason,
    executorType: job?.executorType ?? null,
    executorInfo: job?.executorInfo ?? null,
    decision: decision ? (node?.decision ?? null) : null,
    workflowTaskBatchId: batch.workflowTaskBatchId === undefined ? 0 : toApiId(batch.workflowTaskBatchId),
    workflowNodeId: batch.workflowNodeId === undefined ? 0 : toApiId(batch.workflowNodeId),
  };
}

/** `WorkflowDetailResponse.NodeInfo`. */
export type NodeInfo = WorkflowNodeInfo<ApiId>;

/** `WorkflowDetailResponse.NodeConfig`. */
export type NodeConfig = WorkflowNodeConfig<ApiId>;

/** `WorkflowDetailResponse` / `WorkflowDetailApiResponse`. */
export type WorkflowDetailResponse = WorkflowBatchResponse<ApiId>;

/** "Decision failed" as the console shows it (`AbstractWorkflowBatchService.WORKFLOW_DECISION_FAILED_STATUS`). */
const WORKFLOW_DECISION_FAILED_STATUS = 98;
const SKIP_REASONS = new Set<number>([
  OperationReason.WORKFLOW_NODE_NO_REQUIRED,
  OperationReason.WORKFLOW_DECISION_FAILED,
  OperationReason.WORKFLOW_CONDITION_NODE_EXECUTION_ERROR,
]);

/**
 * `AbstractWorkflowBatchService.getWorkflowBatchById` + `WorkflowHandler.buildNodeConfig`: the workflow with its
 * nodes nested as the console draws them, each with the job batches of this run.
 */
export function workflowDetailResponse(
  workflow: Workflow,
  run: WorkflowBatch,
  batchesOfRun: Batch[],
  jobOf: (id: bigint) => Job | undefined,
): WorkflowDetailResponse {
  const byNode = new Map<bigint, Batch[]>();
  for (const b of [...batchesOfRun].sort((x, y) => (x.id > y.id ? -1 : 1))) {
    if (b.workflowNodeId === undefined) continue;
    byNode.set(b.workflowNodeId, [...(byNode.get(b.workflowNodeId) ?? []), b]);
  }
  const infos = new Map<bigint, NodeInfo>();
  for (const node of workflow.nodes) {
    const nodeType = node.nodeType ?? 1;
    const batches = [...(byNode.get(node.id) ?? [])].sort((x, y) => x.status - y.status);
    const latest = batches[0];
    infos.set(node.id, {
      id: toApiId(node.id),
      nodeType,
      nodeName: node.key,
      priorityLevel: node.priorityLevel ?? 1,
      workflowNodeStatus: node.workflowNodeStatus ?? 1,
      failStrategy: node.failStrategy,
      taskBatchStatus: latest
        ? latest.operationReason === OperationReason.WORKFLOW_DECISION_FAILED
          ? WORKFLOW_DECISION_FAILED_STATUS
          : latest.status
        : null,
      decision: nodeType === 2 ? (node.decision ?? null) : null,
      jobTask:
        nodeType === 1
          ? {
              jobId: toApiId(node.jobId),
              jobBizId: null,
              jobName: jobOf(node.jobId)?.jobName ?? null,
              labels: null,
            }
          : null,
      jobBatchList: batches.length ? batches.map((b) => jobBatchResponse(b, jobOf(b.jobId), node)) : null,
      childNode: null,
    });
  }
  // Nodes below a skipped or stopped batch, and every node without a batch in a failed run, list a placeholder.
  const successors = (n: bigint): bigint[] =>
    n === ROOT
      ? workflow.nodes.filter((x) => !workflow.edges.some(([, to]) => to === x.id)).map((x) => x.id)
      : workflow.edges.filter(([from]) => from === n).map(([, to]) => to);
  const failedRun =
    run.status !== BatchStatus.SUCCESS &&
    run.status !== BatchStatus.RUNNING &&
    run.status !== BatchStatus.WAITING;
  for (const [nodeId, info] of infos) {
    if (info.jobBatchList) continue;
    const node = workflow.nodes.find((n) => n.id === nodeId)!;
    const skippedAbove = workflow.edges
      .filter(([, to]) => to === nodeId)
      .some(([from]) =>
        (byNode.get(from) ?? []).some(
          (b) => SKIP_REASONS.has(b.operationReason) || b.status === BatchStatus.STOP,
        ),
      );
    if (failedRun || skippedAbove) {
      info.jobBatchList = [
        { ...emptyJobBatchResponse(), jobId: (node.nodeType ?? 1) === 1 ? toApiId(node.jobId) : null },
      ];
    }
  }
  return {
    id: toApiId(workflow.id),
    bizId: workflow.bizId ?? null,
    workflowName: workflow.name,
    groupName: workflow.groupName,
    triggerType: workflow.triggerType ?? 99,
    blockStrategy: workflow.blockStrategy ?? 1,
    triggerInterval: workflow.triggerInterval ?? '',
    executorTimeout: workflow.executorTimeout,
    workflowStatus: workflow.workflowStatus ?? 1,
    description: workflow.description ?? '',
    workflowBatchStatus: run.status,
    wfContext: run.wfContext,
    nodeConfig: buildNodeConfig(ROOT, successors, (n) => predecessorsOf(workflow, n), infos, new Map()),
    notifyIds: [],
    ownerId: null,
  };
}

/** A `new JobBatchResponse()`: every field null. */
function emptyJobBatchResponse(): JobBatchResponse {
  return {
    id: null,
    groupName: null,
    jobName: null,
    taskType: null,
    nodeName: null,
    jobId: null,
    taskBatchStatus: null,
    createDt: null,
    updateDt: null,
    executionAt: null,
    operationReason: null,
    executorType: null,
    executorInfo: null,
    decision: null,
    workflowTaskBatchId: null,
    workflowNodeId: null,
  };
}

function predecessorsOf(workflow: Workflow, nodeId: bigint): bigint[] {
  const preds = workflow.edges.filter(([, to]) => to === nodeId).map(([from]) => from);
  return preds.length ? preds : [ROOT];
}

const ascending = (ids: bigint[]) => [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Walks the first predecessor upwards collecting every predecessor met (`WorkflowHandler.findCommonAncestor`). */
function ancestors(nodeId: bigint, preds: (n: bigint) => bigint[], into: Set<bigint>): void {
  if (nodeId === ROOT) return;
  const p = preds(nodeId);
  for (const x of p) into.add(x);
  ancestors(p[0], preds, into);
}

/** `WorkflowHandler.buildNodeConfig`: each fork becomes a NodeConfig; a join hangs below its common ancestor's fork. */
function buildNodeConfig(
  parent: bigint,
  successors: (n: bigint) => bigint[],
  preds: (n: bigint) => bigint[],
  infos: Map<bigint, NodeInfo>,
  configOf: Map<bigint, NodeConfig>,
): NodeConfig | null {
  const next = ascending(successors(parent));
  if (next.length === 0) return null;
  const config: NodeConfig = { nodeType: null, conditionNodes: [], childNode: null };
  let mount = false;
  for (const s of next) {
    const info = infos.get(s)!;
    config.nodeType = info.nodeType;
    config.conditionNodes.push(info);
    configOf.set(s, config);
    const p = preds(s);
    if (p.length >= 2) {
      const sets = p.map((x) => {
        const set = new Set<bigint>();
        ancestors(x, preds, set);
        return ascending([...set]);
      });
      const common = sets.reduce((acc, set) => acc.filter((x) => set.includes(x)));
      const ancestor = common[common.length - 1];
      const holder = configOf.get(ascending(successors(ancestor))[0]);
      if (holder) holder.childNode = config;
      mount = false;
    } else {
      mount = true;
    }
    buildNodeConfig(s, successors, preds, infos, configOf);
  }
  if (parent !== ROOT && mount) infos.get(parent)!.childNode = config;
  config.conditionNodes.sort((a, b) => a.priorityLevel - b.priorityLevel);
  return config;
}
