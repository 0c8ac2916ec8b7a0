import { Injectable } from '@nestjs/common';
import type { Workflow, WorkflowBatch } from './workflow.model.js';

/** Workflows and their runs. */
@Injectable()
export class WorkflowStore {
  private readonly workflows = new Map<bigint, Workflow>();
  private readonly batches = new Map<bigint, WorkflowBatch>();

  addWorkflow(workflow: Workflow): Workflow {
    this.workflows.set(workflow.id, workflow);
    return workflow;
  }

  workflow(id: bigint): Workflow | undefined {
    return this.workflows.get(id);
  }

  /** Workflows, oldest first. */
  allWorkflows(): Workflow[] {
    return [...this.workflows.values()];
  }

  deleteWorkflow(id: bigint): boolean {
    return this.workflows.delete(id);
  }

  /** Runs, oldest first, optionally of one workflow. */
  allBatches(workflowId?: bigint): WorkflowBatch[] {
    const all = [...this.batches.values()];
    return workflowId === undefined ? all : all.filter((b) => b.workflowId === workflowId);
  }

  addBatch(batch: WorkflowBatch): WorkflowBatch {
    this.batches.set(batch.id, batch);
    return batch;
  }

  batch(id: bigint): WorkflowBatch | undefined {
    return this.batches.get(id);
  }

  /** The current context text of a workflow batch (what dispatches carry). */
  contextOf(workflowBatchId: bigint | undefined): string | undefined {
    return workflowBatchId === undefined ? undefined : this.batches.get(workflowBatchId)?.wfContext;
  }
}
