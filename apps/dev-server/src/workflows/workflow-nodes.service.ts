import { Injectable } from '@nestjs/common';
import { BatchStatus, TaskStatus, TaskType } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { IdGenerator } from '../common/id.generator.js';
import { BatchTrigger } from '../jobs/batch-trigger.service.js';
import { JobEvents } from '../jobs/job-events.js';
import { OperationReason } from '../jobs/job.enums.js';
import type { Batch } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { TaskLogStore } from '../logs/task-log.store.js';
import { evaluateDecision } from './decision-expression.js';
import { DECISION_JOB_ID, type WorkflowBatch, type WorkflowNode } from './workflow.model.js';

/** `WorkflowNodeTypeEnum`. */
export const NodeType = { JOB_TASK: 1, DECISION: 2 } as const;

/**
 * Reasons after which successors need no processing (`JobOperationReasonEnum.WORKFLOW_SUCCESSOR_SKIP_EXECUTION`):
 * a decision branch not taken, a failed decision, or a node skipped for one of these.
 */
export const SKIP_REASONS: ReadonlySet<number> = new Set([
  OperationReason.WORKFLOW_NODE_NO_REQUIRED,
  OperationReason.WORKFLOW_DECISION_FAILED,
  OperationReason.WORKFLOW_CONDITION_NODE_EXECUTION_ERROR,
]);

export const isDecision = (node: WorkflowNode): boolean =>
  (node.nodeType ?? NodeType.JOB_TASK) === NodeType.DECISION;

/** What opening a node needs to know about the node that led to it. */
export interface OpenContext {
  /** Operation reason of the predecessor's batch (`parentOperationReason`); NONE for the first nodes. */
  parentReason: number;
  /** A decision sibling opened before this one already took its branch (`evaluationResult`). */
  branchTaken: boolean;
}

/**
 * Opens one workflow node as the Java executors do (`snail-job-server-job-task/.../executor/workflow/
 * JobTaskWorkflowExecutor.java`, `DecisionWorkflowExecutor.java`, `AbstractWorkflowExecutor.java`):
 * - a node after a skipped one gets a CANCEL batch, reason WORKFLOW_NODE_NO_REQUIRED, and passes the skip on;
 * - a closed job node (`workflowNodeStatus` 0) gets a CANCEL batch, reason WORKFLOW_NODE_CLOSED_SKIP_EXECUTION;
 * - a decision node is evaluated on the server: SUCCESS (branch taken), SUCCESS with WORKFLOW_DECISION_FAILED
 *   (expression false: successors skipped), FAIL with WORKFLOW_CONDITION_NODE_EXECUTION_ERROR (evaluation error),
 *   or CANCEL/NO_REQUIRED when an earlier sibling (by `priorityLevel`) already took its branch;
 * - any other job node runs its job.
 * Server-made batches carry one task row and a log line, and finish at once (which opens their successors).
 */
@Injectable()
export class WorkflowNodes {
  constructor(
    private readonly ids: IdGenerator,
    private readonly jobs: JobStore,
    private readonly trigger: BatchTrigger,
    private readonly events: JobEvents,
    private readonly logs: TaskLogStore,
    private readonly logger: DevServerLogger,
  ) {}

  /** Opens `node` in `run`; returns its batch and whether a decision branch has now been taken. */
  open(run: WorkflowBatch, node: WorkflowNode, ctx: OpenContext): { batch: Batch; branchTaken: boolean } {
    const workflow = { workflowTaskBatchId: run.id, workflowNodeId: node.id };
    const parentSkipped = SKIP_REASONS.has(ctx.parentReason);
    if (isDecision(node)) return this.decide(run, node, ctx, parentSkipped);
    if (parentSkipped) {
      return {
        batch: this.closedBatch(
          run,
          node,
          BatchStatus.CANCEL,
          OperationReason.WORKFLOW_NODE_NO_REQUIRED,
          'Current node does not require processing',
        ),
        branchTaken: ctx.branchTaken,
      };
    }
    if ((node.workflowNodeStatus ?? 1) === 0) {
      return {
        batch: this.closedBatch(
          run,
          node,
          BatchStatus.CANCEL,
          OperationReason.WORKFLOW_NODE_CLOSED_SKIP_EXECUTION,
          'Task is closed',
        ),
        branchTaken: ctx.branchTaken,
      };
    }
    const job = this.jobs.job(node.jobId)!;
    return { batch: this.trigger.trigger(job, { workflow }), branchTaken: ctx.branchTaken };
  }

  private decide(
    run: WorkflowBatch,
    node: WorkflowNode,
    ctx: OpenContext,
    parentSkipped: boolean,
  ): { batch: Batch; branchTaken: boolean } {
    if (ctx.branchTaken || parentSkipped) {
      const batch = this.closedBatch(
        run,
        node,
        BatchStatus.CANCEL,
        OperationReason.WORKFLOW_NODE_NO_REQUIRED,
        `Decision completed. Context:[${run.wfContext}] Decision result:[${ctx.branchTaken}]`,
        String(ctx.branchTaken),
      );
      return { batch, branchTaken: ctx.branchTaken };
    }
    const decision = node.decision ?? { expressionType: 1, nodeExpression: '', defaultDecision: 1 };
    if (decision.defaultDecision !== 0) {
      const batch = this.closedBatch(
        run,
        node,
        BatchStatus.SUCCESS,
        OperationReason.NONE,
        `Decision completed. Context:[] Decision result:[true]`,
        'true',
      );
      return { batch, branchTaken: true };
    }
    let result: boolean;
    try {
      result = evaluateDecision(decision.expressionType, decision.nodeExpression, run.wfContext);
    } catch (e) {
      const message = (e as Error).message;
      this.logger.warn(`workflow batch ${run.id}: decision node ${node.id} failed: ${message}`);
      const batch = this.closedBatch(
        run,
        node,
        BatchStatus.FAIL,
        OperationReason.WORKFLOW_CONDITION_NODE_EXECUTION_ERROR,
        `Decision failed. Context:[${run.wfContext}] Failure reason:[${message}]`,
        'false',
        'ERROR',
      );
      return { batch, branchTaken: false };
    }
    const batch = this.closedBatch(
      run,
      node,
      BatchStatus.SUCCESS,
      result ? OperationReason.NONE : OperationReason.WORKFLOW_DECISION_FAILED,
      result
        ? `Decision completed. Context:[${run.wfContext}] Decision result:[true]`
        : `Decision failed. Context:[${run.wfContext}] Failure reason:[]`,
      String(result),
    );
    return { batch, branchTaken: result };
  }

  /** A batch the server closes itself (decision, skipped or closed node), with its one task row and log line. */
  private closedBatch(
    run: WorkflowBatch,
    node: WorkflowNode,
    status: BatchStatus,
    reason: OperationReason,
    message: string,
    result = 'false',
    level = 'INFO',
  ): Batch {
    const now = Date.now();
    const jobId = isDecision(node) ? DECISION_JOB_ID : node.jobId;
    const job = this.jobs.job(node.jobId);
    const batch = this.jobs.addBatch({
      id: this.ids.take(),
      jobId,
      namespaceId: job?.namespaceId ?? '',
      groupName: job?.groupName ?? '',
      taskType: job?.taskType ?? TaskType.CLUSTER,
      status,
      operationReason: reason,
      workflowTaskBatchId: run.id,
      workflowNodeId: node.id,
      createdAt: now,
      finishedAt: now,
    });
    const task = this.jobs.addTask({
      id: this.ids.take(),
      batchId: batch.id,
      jobId,
      parentId: 0n,
      taskName: '',
      leaf: true,
      status:
        status === BatchStatus.SUCCESS
          ? TaskStatus.SUCCESS
          : status === BatchStatus.FAIL
            ? TaskStatus.FAIL
            : TaskStatus.CANCEL,
      argsStr: '',
      result,
      message,
      createdAt: now,
      updatedAt: now,
    });
    this.logs.store([
      {
        taskId: String(task.id),
        taskBatchId: String(batch.id),
        jobId: String(jobId),
        realTime: now,
        fieldList: [
          { name: 'time_stamp', value: String(now) },
          { name: 'level', value: level },
          { name: 'thread', value: 'dev-server' },
          { name: 'message', value: `Node ID:[${node.id}] ${message}` },
        ],
      },
    ]);
    this.logger.log(
      `workflow batch ${run.id}: node ${node.id} (${node.key}) → ${BatchStatus[status]} (${OperationReason[reason]})`,
    );
    this.events.batchFinished.next(batch);
    return batch;
  }
}
