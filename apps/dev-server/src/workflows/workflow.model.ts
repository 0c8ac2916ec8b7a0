import type { BatchStatus } from 'nestjs-snail-job/protocol';
import type { FailStrategy, OperationReason } from '../jobs/job.enums.js';

/** A JOB_TASK node of a workflow. */
export interface WorkflowNode {
  /** Server-assigned node id (sent as `workflowNodeId`). */
  id: bigint;
  /** The caller's name for the node (used in `edges`). */
  key: string;
  jobId: bigint;
  failStrategy: FailStrategy;
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
