import { Injectable } from '@nestjs/common';
import { MapReduceStage, parseArgsHolder, TaskName, TaskStatus } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { NodeSelector } from '../registry/node-selector.service.js';
import { argsHolderJson, parseMapReduceArgs } from './job-args.js';
import type { Batch, Job, Task } from './job.model.js';
import { JobStore } from './job.store.js';
import { TaskDispatcher } from './task-dispatcher.service.js';
import { TaskFactory } from './task.factory.js';

/** Splits a list into `parts` contiguous chunks whose sizes differ by at most one, larger chunks first. */
export function partition<T>(items: T[], parts: number): T[][] {
  const size = Math.floor(items.length / parts);
  const extra = items.length % parts;
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + size + (i < extra ? 1 : 0);
    chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * The REDUCE and MERGE_REDUCE phases of a MAP_REDUCE batch (docs/protocol.md §5.8), created when the previous phase
 * succeeded entirely.
 */
@Injectable()
export class MapReducePhases {
  constructor(
    private readonly store: JobStore,
    private readonly factory: TaskFactory,
    private readonly selector: NodeSelector,
    private readonly dispatcher: TaskDispatcher,
    private readonly logger: DevServerLogger,
  ) {}

  /**
   * Called when no task is RUNNING and none failed or stopped. Returns true when the batch must stay open
   * (a phase was created, or the REDUCE phase cannot be created), false when it is complete.
   */
  advance(job: Job, batch: Batch, tasks: Task[]): boolean {
    if (tasks.every((t) => t.mrStage === MapReduceStage.MAP)) return this.startReduce(job, batch, tasks);
    const hasMerge = tasks.some((t) => t.mrStage === MapReduceStage.MERGE_REDUCE);
    const reduces = tasks.filter((t) => t.mrStage === MapReduceStage.REDUCE);
    if (hasMerge || reduces.length < 2) return false;
    const node = this.selector.round(String(job.id), this.nodes(job, batch));
    const task = this.factory.create(batch, {
      taskName: TaskName.MERGE_REDUCE,
      mrStage: MapReduceStage.MERGE_REDUCE,
      argsStr: argsHolderJson({ jobParams: this.jobParams(tasks), reduces: reduces.map((t) => t.result) }),
      node,
    });
    if (task.status === TaskStatus.RUNNING) void this.dispatcher.dispatch(task);
    return true;
  }

  private startReduce(job: Job, batch: Batch, tasks: Task[]): boolean {
    let shardNum: number;
    try {
      // shardNum comes from the job's *stored* args at this moment, never from the trigger's tmpArgsStr.
      shardNum = parseMapReduceArgs(job.argsStr).shardNum;
    } catch (e) {
      this.logger.error(
        `batch ${batch.id}: REDUCE phase cannot be created, the job's args are not valid JSON (${(e as Error).message}); the batch stays RUNNING`,
      );
      return true;
    }
    const results = tasks.filter((t) => t.leaf).map((t) => t.result);
    const chunks = partition(results, Math.min(shardNum, results.length));
    const nodes = this.nodes(job, batch);
    const jobParams = this.jobParams(tasks);
    const reduces = chunks.map((maps) =>
      this.factory.create(batch, {
        taskName: TaskName.REDUCE,
        mrStage: MapReduceStage.REDUCE,
        argsStr: argsHolderJson({ jobParams, maps }),
        node: this.selector.round(String(job.id), nodes),
        retryCount: 0,
      }),
    );
    for (const task of reduces) {
      if (task.status !== TaskStatus.RUNNING) break;
      void this.dispatcher.dispatch(task);
    }
    return true;
  }

  private nodes(job: Job, batch: Batch) {
    return this.selector.candidates(batch.namespaceId, batch.groupName, job.labels);
  }

  /** `jobParams` of every stage comes from the batch's ROOT_MAP row. */
  private jobParams(tasks: Task[]): unknown {
    const root = tasks.find((t) => t.taskName === TaskName.ROOT_MAP && t.parentId === 0n) ?? tasks[0];
    return root ? parseArgsHolder(root.argsStr).jobParams : undefined;
  }
}
