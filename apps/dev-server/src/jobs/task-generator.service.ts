import { Injectable } from '@nestjs/common';
import { MapReduceStage, TaskName, TaskType } from 'nestjs-snail-job/protocol';
import type { NodeRecord } from '../registry/node.model.js';
import { NodeSelector } from '../registry/node-selector.service.js';
import { argsHolderJson, mapReduceParams, parseShardingArgs } from './job-args.js';
import type { Batch, Job, Task } from './job.model.js';
import { TaskFactory } from './task.factory.js';

/** The tasks of a new batch; `sharding` means dispatches carry `shardingIndex` / `shardingTotal`. */
export interface GeneratedTasks {
  tasks: Task[];
  sharding: boolean;
}

/** Creates the first tasks of a batch per task type (docs/protocol.md §5.4–§5.8). */
@Injectable()
export class TaskGenerator {
  constructor(
    private readonly selector: NodeSelector,
    private readonly factory: TaskFactory,
  ) {}

  /** Alive nodes matching the job's labels (empty → the batch is cancelled with NOT_CLIENT). */
  candidates(job: Job, batch: Batch): NodeRecord[] {
    return this.selector.candidates(batch.namespaceId, batch.groupName, job.labels);
  }

  generate(job: Job, batch: Batch, nodes: NodeRecord[]): GeneratedTasks {
    const allocKey = String(job.id);
    switch (batch.taskType) {
      case TaskType.CLUSTER:
        return {
          sharding: false,
          tasks: [
            this.factory.create(batch, {
              taskName: TaskName.CLUSTER,
              argsStr: argsHolderJson({ jobParams: batch.argsStr }),
              node: this.selector.pick(job.routeKey, allocKey, nodes),
            }),
          ],
        };
      case TaskType.BROADCAST: {
        const byAddress = new Map<string, NodeRecord>();
        for (const n of nodes)
          if (!byAddress.has(`${n.hostIp}:${n.hostPort}`)) byAddress.set(`${n.hostIp}:${n.hostPort}`, n);
        return {
          sharding: false,
          tasks: [...byAddress.values()].map((node) =>
            this.factory.create(batch, {
              taskName: TaskName.BROADCAST,
              argsStr: argsHolderJson({ jobParams: batch.argsStr }),
              node,
              retryCount: 0,
            }),
          ),
        };
      }
      case TaskType.SHARDING: {
        // Invalid args → no tasks: the batch stays RUNNING until its timeout turns it into STOP.
        const shards = parseShardingArgs(batch.argsStr) ?? [];
        return {
          sharding: true,
          tasks: shards.map((jobParams, i) =>
            this.factory.create(batch, {
              taskName: TaskName.SHARDING,
              argsStr: argsHolderJson({ jobParams }),
              node: nodes[i % nodes.length],
              retryCount: 0,
            }),
          ),
        };
      }
      case TaskType.MAP:
      case TaskType.MAP_REDUCE: {
        const jobParams = batch.taskType === TaskType.MAP ? batch.argsStr : mapReduceParams(batch.argsStr);
        return {
          sharding: false,
          tasks: [
            this.factory.create(batch, {
              taskName: TaskName.ROOT_MAP,
              mrStage: MapReduceStage.MAP,
              argsStr: argsHolderJson({ jobParams, maps: '' }),
              node: this.selector.round(allocKey, nodes),
              retryCount: 0,
            }),
          ],
        };
      }
    }
  }
}
