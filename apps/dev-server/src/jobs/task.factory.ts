import { Injectable } from '@nestjs/common';
import { type MapReduceStage, TaskStatus } from 'nestjs-snail-job/protocol';
import { IdGenerator } from '../common/id.generator.js';
import type { NodeRecord } from '../registry/node.model.js';
import { type Batch, type Task, taskNode } from './job.model.js';
import { JobStore } from './job.store.js';

/** What a new task row holds. */
export interface TaskSpec {
  taskName: string;
  argsStr: string;
  /** No node → the task is created CANCEL and never dispatched. */
  node: NodeRecord | undefined;
  parentId?: bigint;
  mrStage?: MapReduceStage;
  retryCount?: number;
  wfContext?: string;
}

/** Inserts task rows. */
@Injectable()
export class TaskFactory {
  constructor(
    private readonly ids: IdGenerator,
    private readonly store: JobStore,
  ) {}

  create(batch: Batch, spec: TaskSpec): Task {
    const now = Date.now();
    return this.store.addTask({
      id: this.ids.take(),
      batchId: batch.id,
      jobId: batch.jobId,
      parentId: spec.parentId ?? 0n,
      taskName: spec.taskName,
      mrStage: spec.mrStage,
      leaf: true,
      status: spec.node ? TaskStatus.RUNNING : TaskStatus.CANCEL,
      retryCount: spec.retryCount,
      argsStr: spec.argsStr,
      result: '',
      wfContext: spec.wfContext,
      node: spec.node ? taskNode(spec.node) : undefined,
      createdAt: now,
      updatedAt: now,
    });
  }
}
