import { Injectable } from '@nestjs/common';
import { MapReduceStage, parseArgsHolder, TaskName, TaskStatus, TaskType } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { Messages } from '../dev-server.messages.js';
import { NodeSelector } from '../registry/node-selector.service.js';
import { argsHolderJson, parseMapReduceArgs } from './job-args.js';
import type { Task } from './job.model.js';
import { JobStore } from './job.store.js';
import { TaskDispatcher } from './task-dispatcher.service.js';
import { TaskFactory } from './task.factory.js';

/** A parsed `/batch/report/job/map/task/v1` request plus the caller's group. */
export interface MapTaskCall {
  namespaceId: string;
  groupName: string;
  jobId: bigint;
  taskBatchId: bigint;
  parentId: bigint;
  taskName: string;
  subTask: unknown[];
  wfContext?: string;
}

/**
 * `doMap` on the server side (docs/protocol.md §3.5): one child per sub-task element, round-robin over the group's
 * alive nodes (job labels not applied), parent marked non-leaf, children dispatched right away. Every call
 * appends; nothing is validated beyond what the Java server checks.
 */
@Injectable()
export class MapTaskService {
  constructor(
    private readonly store: JobStore,
    private readonly factory: TaskFactory,
    private readonly selector: NodeSelector,
    private readonly dispatcher: TaskDispatcher,
    private readonly logger: DevServerLogger,
  ) {}

  /** Creates and dispatches the children; throws an Error whose message is the status-0 reply text. */
  createChildren(call: MapTaskCall): Task[] {
    const job = this.store.job(call.jobId);
    if (!job || job.groupName !== call.groupName || job.namespaceId !== call.namespaceId) {
      throw new Error(Messages.jobNotExisted);
    }
    const batch = this.store.batch(call.taskBatchId);
    if (!batch) throw new Error(`Task batch not found. taskBatchId:[${call.taskBatchId}]`);
    const root = this.store
      .tasksOf(batch.id)
      .find((t) => t.taskName === TaskName.ROOT_MAP && t.parentId === 0n);
    const jobParams = root ? parseArgsHolder(root.argsStr).jobParams : undefined;
    if (job.taskType === TaskType.MAP_REDUCE) parseMapReduceArgs(job.argsStr); // throws when not valid JSON
    if (call.subTask.length === 0) throw new Error(Messages.mapTaskEmpty);

    const nodes = this.selector.candidates(batch.namespaceId, batch.groupName);
    const children = call.subTask.map((maps) =>
      this.factory.create(batch, {
        taskName: call.taskName,
        mrStage: MapReduceStage.MAP,
        parentId: call.parentId,
        argsStr: argsHolderJson({ jobParams, maps }),
        node: this.selector.round(String(job.id), nodes),
        retryCount: 0,
        wfContext: call.wfContext,
      }),
    );
    const parent = this.store.task(call.parentId);
    if (parent?.leaf) parent.leaf = false;
    this.logger.log(
      `map task ${call.parentId} (batch ${batch.id}) → ${children.length} "${call.taskName}" child task(s)`,
    );
    for (const child of children) {
      if (child.status !== TaskStatus.RUNNING) break; // no live node: created CANCEL, never dispatched
      void this.dispatcher.dispatch(child);
    }
    return children;
  }
}
