import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BatchStatus } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { IdGenerator } from '../common/id.generator.js';
import { TimerService } from '../common/timer.service.js';
import { BatchStopper } from '../jobs/batch-stopper.service.js';
import { JobEvents } from '../jobs/job-events.js';
import { FailStrategy, OperationReason } from '../jobs/job.enums.js';
import { type Batch, isBatchFinished } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { mergeContext } from './workflow-context.js';
import type { Workflow, WorkflowBatch, WorkflowNode } from './workflow.model.js';
import { WorkflowStore } from './workflow.store.js';
import { isDecision, SKIP_REASONS, WorkflowNodes } from './workflow-nodes.service.js';

/** Placeholder batch id of a node being opened. */
const PENDING = -1n;

/**
 * Runs workflows (docs/protocol.md §5.10): root nodes start at trigger; when a node's batch completes, the context
 * changes its tasks reported are merged into the workflow context and every successor whose predecessors
 * are all complete is opened — unless a failed predecessor has fail strategy BLOCK.
 */
@Injectable()
export class WorkflowRunner implements OnModuleInit {
  constructor(
    private readonly ids: IdGenerator,
    private readonly store: WorkflowStore,
    private readonly jobs: JobStore,
    private readonly nodes: WorkflowNodes,
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

  /** Starts a run. `tmpWfContext` is merged *under* the configured context (configured keys win, docs/protocol.md §9.2). */
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
      workflow,
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

  /**
   * Opens nodes (by `priorityLevel`, as the server orders siblings); all are reserved first, as a batch may finish
   * (CANCEL, or a server-evaluated node) inside `open()`. `parent` is the finished batch that led here.
   */
  private openAll(run: WorkflowBatch, nodes: WorkflowNode[], workflow?: Workflow, parent?: Batch): void {
    const fresh = nodes
      .filter((n) => !run.nodeBatches.has(n.id) && (isDecision(n) || this.jobs.job(n.jobId)))
      .sort((a, b) => (a.priorityLevel ?? 1) - (b.priorityLevel ?? 1));
    for (const node of fresh) run.nodeBatches.set(node.id, PENDING);
    let branchTaken = false;
    for (const node of fresh) {
      if (isBatchFinished(run.status)) return;
      const parentReason =
        workflow && parent ? this.parentReason(workflow, run, node, parent) : OperationReason.NONE;
      const opened = this.nodes.open(run, node, { parentReason, branchTaken });
      branchTaken = opened.branchTaken;
      run.nodeBatches.set(node.id, opened.batch.id);
    }
  }

  private onNodeFinished(batch: Batch): void {
    const run = this.store.batch(batch.workflowTaskBatchId!);
    const workflow = run && this.store.workflow(run.workflowId);
    if (!run || !workflow || isBatchFinished(run.status) || batch.workflowNodeId === undefined) return;
    run.nodeBatches.set(batch.workflowNodeId, batch.id);
    const node = workflow.nodes.find((n) => n.id === batch.workflowNodeId);
    // A decision's successors see the context as it is; other nodes merge as the Java server does.
    if (node && !isDecision(node)) this.mergeContextOf(workflow, run, batch.workflowNodeId);
    const successors = workflow.edges.filter(([from]) => from === batch.workflowNodeId).map(([, to]) => to);
    this.openAll(
      run,
      workflow.nodes.filter((n) => successors.includes(n.id) && this.ready(workflow, run, n)),
      workflow,
      batch,
    );
    this.completeIfDone(workflow, run);
  }

  /**
   * Merges context changes into the run the way `WorkflowExecutorActor` does before it opens successors: only
   * when the finished node or one of its brothers (the successors of its first predecessor) has successors, and
   * then the changes of the node and of every successor's predecessors. A leaf's changes — the last node of a
   * chain — are never merged (`allSuccessors` empty → `WorkflowBatchHandler.complete`, no merge).
   */
  private mergeContextOf(workflow: Workflow, run: WorkflowBatch, nodeId: bigint): void {
    const successorsOf = (id: bigint) => workflow.edges.filter(([from]) => from === id).map(([, to]) => to);
    const predecessorsOf = (id: bigint) => workflow.edges.filter(([, to]) => to === id).map(([from]) => from);
    const [firstPredecessor] = predecessorsOf(nodeId);
    const brothers =
      firstPredecessor === undefined
        ? workflow.nodes.filter((n) => predecessorsOf(n.id).length === 0).map((n) => n.id)
        : successorsOf(firstPredecessor);
    const involved = new Set<bigint>();
    for (const id of new Set([nodeId, ...brothers])) {
      for (const successor of successorsOf(id)) {
        involved.add(successor);
        for (const p of predecessorsOf(successor)) involved.add(p);
      }
    }
    if (involved.size === 0) return;
    involved.add(nodeId);
    const changes = workflow.nodes
      .filter((n) => involved.has(n.id))
      .map((n) => run.nodeBatches.get(n.id))
      .filter((id): id is bigint => id !== undefined && id !== PENDING)
      .flatMap((id) => this.jobs.tasksOf(id).map((t) => t.wfContext));
    run.wfContext = mergeContext(run.wfContext, ...changes);
  }

  /**
   * All predecessors finished, and none failed with fail strategy BLOCK — where "failed" is any status but
   * SUCCESS whose reason is not a skip (`WorkflowExecutorActor.arePredecessorsComplete`): FAIL, STOP, and CANCEL
   * (no client, closed node) block; skipped branches do not.
   */
  private ready(workflow: Workflow, run: WorkflowBatch, node: WorkflowNode): boolean {
    const preds = workflow.edges.filter(([, to]) => to === node.id).map(([from]) => from);
    return preds.every((id) => {
      const batch = this.nodeBatch(run, id);
      if (batch === undefined || !isBatchFinished(batch.status)) return false;
      const pred = workflow.nodes.find((n) => n.id === id);
      const failed = batch.status !== BatchStatus.SUCCESS && !SKIP_REASONS.has(batch.operationReason);
      return !(failed && pred?.failStrategy === FailStrategy.BLOCK);
    });
  }

  /**
   * The predecessor's reason a node is opened with (`WorkflowExecutorActor.fillParentOperationReason`): a skip
   * reason of a non-decision parent does not skip a join whose other predecessors ran.
   */
  private parentReason(workflow: Workflow, run: WorkflowBatch, node: WorkflowNode, parent: Batch): number {
    const parentNode = workflow.nodes.find((n) => n.id === parent.workflowNodeId);
    if (!SKIP_REASONS.has(parent.operationReason) || (parentNode && isDecision(parentNode)))
      return parent.operationReason;
    const otherRan = workflow.edges
      .filter(([from, to]) => to === node.id && from !== parent.workflowNodeId)
      .some(([from]) => {
        const b = this.nodeBatch(run, from);
        return b !== undefined && !SKIP_REASONS.has(b.operationReason);
      });
    return otherRan ? OperationReason.NONE : parent.operationReason;
  }

  private nodeBatch(run: WorkflowBatch, nodeId: bigint): Batch | undefined {
    const batchId = run.nodeBatches.get(nodeId);
    return batchId === undefined ? undefined : this.jobs.batch(batchId);
  }

  private nodeStatus(run: WorkflowBatch, nodeId: bigint): BatchStatus | undefined {
    const batchId = run.nodeBatches.get(nodeId);
    return batchId === undefined ? undefined : this.jobs.batch(batchId)?.status;
  }

  /**
   * Once every opened node's batch is finished the run ends (`WorkflowBatchHandler.complete`): FAIL when a leaf
   * was never reached (a BLOCK failure above it) or ended other than SUCCESS for a reason other than "no
   * processing needed" / "closed"; SUCCESS otherwise — a failed middle node with fail strategy SKIP does not fail
   * the run.
   */
  private completeIfDone(workflow: Workflow, run: WorkflowBatch): void {
    if (isBatchFinished(run.status)) return;
    const statuses = [...run.nodeBatches.keys()].map((id) => this.nodeStatus(run, id));
    if (statuses.some((s) => s === undefined || !isBatchFinished(s))) return;
    const leaves = workflow.nodes.filter((n) => !workflow.edges.some(([from]) => from === n.id));
    const failed = leaves.some((leaf) => {
      const batch = this.nodeBatch(run, leaf.id);
      if (batch === undefined) return true;
      return (
        batch.status !== BatchStatus.SUCCESS &&
        batch.operationReason !== OperationReason.WORKFLOW_NODE_NO_REQUIRED &&
        batch.operationReason !== OperationReason.WORKFLOW_NODE_CLOSED_SKIP_EXECUTION
      );
    });
    const final = failed ? BatchStatus.FAIL : BatchStatus.SUCCESS;
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
