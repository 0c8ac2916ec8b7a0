import type { DispatchJobRequest } from 'nestjs-snail-job/protocol';
import { toWireId } from '../common/ids.js';
import type { Batch, Job, Task } from './job.model.js';

/** How a task is being dispatched. */
export interface DispatchMode {
  /** Present on retry dispatches (`retryStatus: true`): 1 AUTO, 2 MANUAL. */
  retryScene?: number;
  /** Only on the first dispatch of SHARDING tasks. */
  sharding?: { index: number; total: number };
}

/**
 * The `/job/dispatch/v1` argument (docs/protocol.md §4.1), built from the task row, its batch and the job's current
 * configuration. `undefined` members are omitted on the wire.
 */
export function buildDispatchRequest(
  job: Job,
  batch: Batch,
  task: Task,
  mode: DispatchMode,
  wfContext: string | undefined,
): DispatchJobRequest {
  const retryStatus = mode.retryScene !== undefined;
  return {
    argsStr: task.argsStr,
    executorInfo: job.executorInfo,
    executorTimeout: job.executorTimeout,
    executorType: job.executorType,
    groupName: batch.groupName,
    jobBizId: job.bizId,
    jobId: toWireId(job.id),
    mrStage: task.mrStage,
    namespaceId: batch.namespaceId,
    parallelNum: job.parallelNum,
    retry: retryStatus,
    retryCount: task.retryCount,
    retryScene: mode.retryScene,
    retryStatus,
    shardingIndex: mode.sharding?.index,
    shardingTotal: mode.sharding?.total,
    taskBatchId: toWireId(batch.id),
    taskId: toWireId(task.id),
    taskName: task.taskName,
    taskType: batch.taskType,
    wfContext: batch.workflowTaskBatchId === undefined ? undefined : wfContext,
    workflowNodeId: batch.workflowNodeId === undefined ? undefined : toWireId(batch.workflowNodeId),
    workflowTaskBatchId:
      batch.workflowTaskBatchId === undefined ? undefined : toWireId(batch.workflowTaskBatchId),
  };
}
