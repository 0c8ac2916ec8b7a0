import { Injectable } from '@nestjs/common';
import { type ApiId, type IdInput, parseId, toApiId } from '../common/ids.js';
import { IdGenerator } from '../common/id.generator.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { NotFoundError } from '../errors/not-found.error.js';
import { WaitTimeoutError } from '../errors/wait-timeout.error.js';
import { isBatchFinished } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import type { Workflow, WorkflowBatch } from '../workflows/workflow.model.js';
import { WorkflowRunner } from '../workflows/workflow-runner.service.js';
import { WorkflowStore } from '../workflows/workflow.store.js';
import { type WorkflowBatchView, workflowBatchView } from './views.js';
import { Waiters } from './waiters.service.js';
import { parseTriggerWorkflowInput, parseWorkflowInput } from './workflow.input.js';

/** Workflows: the operations behind `/api/workflows` and `/api/workflow-batches`. */
@Injectable()
export class WorkflowsApi {
  constructor(
    private readonly ids: IdGenerator,
    private readonly jobs: JobStore,
    private readonly store: WorkflowStore,
    private readonly runner: WorkflowRunner,
    private readonly waiters: Waiters,
  ) {}

  /** Returns the workflow id and the server-assigned `workflowNodeId` of each of your node ids. */
  createWorkflow(body: unknown): { id: ApiId; nodeIds: Record<string, ApiId> } {
    const draft = parseWorkflowInput(body);
    for (const node of draft.nodes) {
      if (node.nodeType !== 1) continue;
      const job = this.jobs.job(node.jobId);
      if (!job) throw new InvalidInputError(`Workflow node "${node.key}": job ${node.jobId} does not exist.`);
      if (job.groupName !== draft.groupName || job.namespaceId !== draft.namespaceId) {
        throw new InvalidInputError(
          `Workflow node "${node.key}": job ${node.jobId} belongs to group "${job.groupName}", not to the workflow's group "${draft.groupName}".`,
        );
      }
    }
    const id = this.ids.take();
    const nodes = draft.nodes.map((n) => ({ ...n, id: this.ids.take() }));
    const byKey = new Map(nodes.map((n) => [n.key, n.id]));
    const workflow: Workflow = {
      id,
      name: draft.name ?? `workflow-${id}`,
      namespaceId: draft.namespaceId,
      groupName: draft.groupName,
      nodes,
      edges: draft.edges.map(([from, to]) => [byKey.get(from)!, byKey.get(to)!]),
      wfContext: draft.wfContext,
      executorTimeout: draft.executorTimeout,
      createdAt: Date.now(),
      bizId: draft.bizId ?? String(id),
      workflowStatus: draft.workflowStatus,
      triggerType: draft.triggerType,
      triggerInterval: draft.triggerInterval,
      nextTriggerAt: draft.nextTriggerAt,
      blockStrategy: draft.blockStrategy,
      description: draft.description ?? '',
      version: 1,
    };
    this.store.addWorkflow(workflow);
    return { id: toApiId(id), nodeIds: Object.fromEntries(nodes.map((n) => [n.key, toApiId(n.id)])) };
  }

  triggerWorkflow(id: IdInput, body?: unknown): { workflowTaskBatchId: ApiId } {
    const workflow = this.workflow(id);
    const run = this.runner.start(workflow, parseTriggerWorkflowInput(body).tmpWfContext);
    return { workflowTaskBatchId: toApiId(run.id) };
  }

  getWorkflowBatch(id: IdInput): WorkflowBatchView {
    return this.view(this.run(id));
  }

  /** Resolves once the run is finished; throws {@link WaitTimeoutError} (HTTP 408) with its state otherwise. */
  async waitForWorkflowBatch(id: IdInput, timeoutMs: number): Promise<WorkflowBatchView> {
    const run = this.run(id);
    const done = await this.waiters.until(() => isBatchFinished(run.status), timeoutMs);
    if (!done) throw new WaitTimeoutError(`Workflow batch ${run.id}`, timeoutMs, this.view(run));
    return this.view(run);
  }

  stopWorkflowBatch(id: IdInput): WorkflowBatchView {
    const run = this.run(id);
    this.runner.stop(run);
    return this.view(run);
  }

  private view(run: WorkflowBatch): WorkflowBatchView {
    return workflowBatchView(run, this.store.workflow(run.workflowId)!, (b) => this.jobs.batch(b)?.status);
  }

  private workflow(id: IdInput): Workflow {
    const key = this.key('Workflow', id);
    const workflow = this.store.workflow(key);
    if (!workflow) throw new NotFoundError('Workflow', key);
    return workflow;
  }

  private run(id: IdInput): WorkflowBatch {
    const key = this.key('Workflow batch', id);
    const run = this.store.batch(key);
    if (!run) throw new NotFoundError('Workflow batch', key);
    return run;
  }

  private key(kind: string, id: IdInput): bigint {
    const key = parseId(id);
    if (key === undefined)
      throw new InvalidInputError(`${kind} id must be an integer; got ${JSON.stringify(String(id))}.`);
    return key;
  }
}
