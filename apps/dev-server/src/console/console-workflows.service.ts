import { Injectable } from '@nestjs/common';
import type { WorkflowBatchView } from '../api/views.js';
import { WorkflowsApi } from '../api/workflows-api.service.js';
import { type ApiId, type IdInput, parseId, toApiId } from '../common/ids.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { FailStrategy } from '../jobs/job.enums.js';
import type { Workflow } from '../workflows/workflow.model.js';
import { WorkflowStore } from '../workflows/workflow.store.js';

/** A workflow definition as the console lists it. */
export interface WorkflowView {
  id: ApiId;
  name: string;
  namespaceId: string;
  groupName: string;
  nodes: { nodeId: ApiId; key: string; jobId: ApiId; failStrategy: string }[];
  /** `[fromNodeId, toNodeId]`. */
  edges: [ApiId, ApiId][];
  wfContext: string;
  executorTimeout: number;
  createdAt: number;
}

function workflowView(w: Workflow): WorkflowView {
  return {
    id: toApiId(w.id),
    name: w.name,
    namespaceId: w.namespaceId,
    groupName: w.groupName,
    nodes: w.nodes.map((n) => ({
      nodeId: toApiId(n.id),
      key: n.key,
      jobId: toApiId(n.jobId),
      failStrategy: FailStrategy[n.failStrategy],
    })),
    edges: w.edges.map(([from, to]) => [toApiId(from), toApiId(to)]),
    wfContext: w.wfContext,
    executorTimeout: w.executorTimeout,
    createdAt: w.createdAt,
  };
}

/** Listings the console needs beside `/api/workflows` (which only creates and triggers). */
@Injectable()
export class ConsoleWorkflows {
  constructor(
    private readonly store: WorkflowStore,
    private readonly api: WorkflowsApi,
  ) {}

  list(): WorkflowView[] {
    return this.store.allWorkflows().map(workflowView);
  }

  /** Runs, newest first, optionally of one workflow. */
  runs(workflowId?: IdInput): WorkflowBatchView[] {
    let key: bigint | undefined;
    if (workflowId !== undefined) {
      key = parseId(workflowId);
      if (key === undefined)
        throw new InvalidInputError(
          `Query "workflowId" must be an integer; got ${JSON.stringify(String(workflowId))}.`,
        );
    }
    return this.store
      .allBatches(key)
      .reverse()
      .map((run) => this.api.getWorkflowBatch(run.id));
  }
}
