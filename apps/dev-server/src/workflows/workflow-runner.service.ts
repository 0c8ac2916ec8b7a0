import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BatchStatus } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { IdGenerator } from '../common/id.generator.js';
import { TimerService } from '../common/timer.service.js';
import { BatchStopper } from '../jobs/batch-stopper.service.js';
import { BatchTrigger } from '../jobs/batch-trigger.service.js';
import { JobEvents } from '../jobs/job-events.js';
import { FailStrategy, OperationReason } from '../jobs/job.enums.js';
import { type Batch, isBatchFinished } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { mergeContext } from './workflow-context.js';
import type { Workflow, WorkflowBatch, WorkflowNode } from './workflow.model.js';
import { WorkflowStore } from './workflow.store.js';

/** Placeholder batch id of a node being opened. */
const PENDING = -1n;

/**
 * Runs workflows (spec §5.10): root nodes start at trigger; when a node's batch completes, the context
 * changes its tasks reported are merged into the workflow context and every successor whose predecessors
 * are all complete is opened — unless a failed predecessor has fail strategy BLOCK.
 */
@Injectable()
export class WorkflowRunner implements OnModuleInit {
  constructor(
    private readonly ids: IdGenerator,
    private readonly store: WorkflowStore,
    private readonly jobs: JobStore,
    private readonly trigger: BatchTrigger,
    private readonly stopper: BatchStopper,
    private readonly events: JobEvents,
    private readonly timers: TimerService,
    private readonly logger: DevServerLogger,
  ) {}

  onModuleInit(): void {
    this.events.batchFinished.subscribe((batch) => {
      if (batch.workflowTaskBatchId !== undefined) this.onNodeFinished(batch);
    });
  }

  /** Starts a run. `tmpWfContext` is merged *under* the configured context (configured keys win, spec §9.2). */
  start(workflow: Workflow, tmpWfContext?: string): WorkflowBatch {
    const run = this.store.addBatch({
      id: this.ids.take(),
      workflowId: workflow.id,
      status: BatchStatus.RUNNING,
      operationReason: OperationReason.NONE,
      wfContext: mergeContext('{}', tmpWfContext, workflow.wfContext),
      nodeBatches: new Map(),
      createdAt: Date.now(),
    });
    this.logger.log(`workflow ${workflow.id} (${workflow.name}) → workflow batch ${run.id}`);
    this.timers.after(workflow.executorTimeout * 1000, () => {
      if (isBatchFinished(run.status)) return;
      this.logger.warn(`workflow batch ${run.id} timed out after ${workflow.executorTimeout} s`);
      this.stop(run);
    });
    this.openAll(
      run,
      workflow.nodes.filter((n) => !workflow.edges.some(([, to]) => to === n.id)),
    );
    this.completeIfDone(workflow, run);
    return run;
  }

  /** Stops a run: its running job batches are force-stopped (reason JOB_TASK_INTERRUPTED). */
  stop(run: WorkflowBatch, reason = OperationReason.JOB_TASK_INTERRUPTED): void {
    if (isBatchFinished(run.status)) return;
    this.finish(run, BatchStatus.STOP, reason);
    for (const batchId of run.nodeBatches.values()) {
      const batch = this.jobs.batch(batchId);
      if (batch) this.stopper.forceStop(batch, OperationReason.JOB_TASK_INTERRUPTED);
    }
  }

  /** Opens nodes; all are reserved first, as a batch may finish (CANCEL) inside `trigger()`. */
  private openAll(run: WorkflowBatch, nodes: WorkflowNode[]): void {
    const fresh = nodes.filter((n) => !run.nodeBatches.has(n.id) && this.jobs.job(n.jobId));
    for (const node of fresh) run.nodeBatches.set(node.id, PENDING);
    for (const node of fresh) {
      if (isBatchFinished(run.status)) return;
      const job = this.jobs.job(node.jobId)!;
      const batch = this.trigger.trigger(job, {
        workflow: { workflowTaskBatchId: run.id, workflowNodeId: node.id },
      });
      run.nodeBatches.set(node.id, batch.id);
    }
  }

  private onNodeFinished(batch: Batch): void {
    const run = this.store.batch(batch.workflowTaskBatchId!);
    const workflow = run && this.store.workflow(run.workflowId);
    if (!run || !workflow || isBatchFinished(run.status) || batch.workflowNodeId === undefined) return;
    run.nodeBatches.set(batch.workflowNodeId, batch.id);
    run.wfContext = mergeContext(run.wfContext, ...this.jobs.tasksOf(batch.id).map((t) => t.wfContext));
    const successors = workflow.edges.filter(([from]) => from === batch.workflowNodeId).map(([, to]) => to);
    this.openAll(
      run,
      workflow.nodes.filter((n) => successors.includes(n.id) && this.ready(workflow, run, n)),
    );
    this.completeIfDone(workflow, run);
  }

  /** All predecessors finished, and none failed with fail strategy BLOCK. */
  private ready(workflow: Workflow, run: WorkflowBatch, node: WorkflowNode): boolean {
    const preds = workflow.edges.filter(([, to]) => to === node.id).map(([from]) => from);
    return preds.every((id) => {
      const status = this.nodeStatus(run, id);
      if (status === undefined || !isBatchFinished(status)) return false;
      const pred = workflow.nodes.find((n) => n.id === id);
      const failed = status === BatchStatus.FAIL || status === BatchStatus.STOP;
      return !(failed && pred?.failStrategy === FailStrategy.BLOCK);
    });
  }

  private nodeStatus(run: WorkflowBatch, nodeId: bigint): BatchStatus | undefined {
    const batchId = run.nodeBatches.get(nodeId);
    return batchId === undefined ? undefined : this.jobs.batch(batchId)?.status;
  }

  private completeIfDone(workflow: Workflow, run: WorkflowBatch): void {
    if (isBatchFinished(run.status)) return;
    const statuses = [...run.nodeBatches.keys()].map((id) => this.nodeStatus(run, id));
    if (statuses.some((s) => s === undefined || !isBatchFinished(s))) return;
    const final = statuses.includes(BatchStatus.FAIL)
      ? BatchStatus.FAIL
      : statuses.includes(BatchStatus.STOP)
        ? BatchStatus.STOP
        : BatchStatus.SUCCESS;
    this.finish(run, final);
    this.logger.log(`workflow batch ${run.id} (workflow ${workflow.id}) → ${BatchStatus[final]}`);
  }

  private finish(run: WorkflowBatch, status: BatchStatus, reason?: OperationReason): void {
    run.status = status;
    run.finishedAt = Date.now();
    if (reason !== undefined) run.operationReason = reason;
    this.events.workflowFinished.next(run.id);
  }
}
