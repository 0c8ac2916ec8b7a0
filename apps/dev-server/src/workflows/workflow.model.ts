import type { BatchStatus } from 'nestjs-snail-job/protocol';
import type { FailStrategy, OperationReason } from '../jobs/job.enums.js';

/** `SystemConstants.DECISION_JOB_ID`: the pseudo job id of decision nodes (and their batches). */
export const DECISION_JOB_ID = -1000n;

/** A decision node's configuration (`DecisionConfigRequest`). */
export interface DecisionConfig {
  /** 1 SpEL, 2 Aviator, 3 QLExpress. */
  expressionType: number;
  nodeExpression: string;
  /** 1: the branch is always taken without evaluating; 0: evaluate the expression. */
  defaultDecision: number;
}

/** A node of a workflow: JOB_TASK (runs a job) or DECISION (evaluated on the server). */
export interface WorkflowNode {
  /** Server-assigned node id (sent as `workflowNodeId`). */
  id: bigint;
  /** The caller's name for the node (used in `edges`). */
  key: string;
  /** The job of a JOB_TASK node; -1000 for decision nodes (`SystemConstants.DECISION_JOB_ID`). */
  jobId: bigint;
  failStrategy: FailStrategy;
  /** 1 JOB_TASK, 2 DECISION. Absent = 1. */
  nodeType?: number;
  /** 1 open, 0 closed (a closed JOB_TASK node is skipped). Absent = 1. */
  workflowNodeStatus?: number;
  /** Order among siblings (decision branches are evaluated in this order). Absent = 1. */
  priorityLevel?: number;
  decision?: DecisionConfig;
}

/** A workflow definition: a DAG of job nodes. */
export interface Workflow {
  id: bigint;
  name: string;
  namespaceId: string;
  groupName: string;
  nodes: WorkflowNode[];
  /** `[from, to]` node ids. */
  edges: [bigint, bigint][];
  /** Configured context (JSON object text). */
  wfContext: string;
  /** Seconds from start before the whole workflow is stopped. */
  executorTimeout: number;
  createdAt: number;
  /** Business id (`biz_id`). */
  bizId?: string;
  /** 1 enabled, 0 disabled. Absent = 1. */
  workflowStatus?: number;
  /** 2 fixed seconds, 3 CRON, 5 point in time; absent/99 = trigger only by hand. */
  triggerType?: number;
  triggerInterval?: string;
  nextTriggerAt?: number;
  blockStrategy?: number;
  description?: string;
  version?: number;
}

/** One run of a workflow. */
export interface WorkflowBatch {
  id: bigint;
  workflowId: bigint;
  status: BatchStatus;
  operationReason: OperationReason;
  /** The workflow context (JSON object text), sent down with every dispatch. */
  wfContext: string;
  /** Node id → job batch id of the nodes opened so far. */
  nodeBatches: Map<bigint, bigint>;
  createdAt: number;
  finishedAt?: number;
}
