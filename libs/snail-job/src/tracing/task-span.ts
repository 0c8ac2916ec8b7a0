import type { Attributes } from '@opentelemetry/api';
import type { JobArgs, MapArgs } from '../job/job-args.js';
import { TaskType } from '../protocol/enums.js';

/** Span attributes of a task: SnailJob's ids and its task type, in SnailJob's own words. */
export function taskAttributes(executorName: string, args: JobArgs): Attributes {
  const attributes: Attributes = {
    'snailjob.executor': executorName,
    'snailjob.job.id': id(args.jobId),
    'snailjob.task_batch.id': id(args.taskBatchId),
    'snailjob.task.id': id(args.taskId),
    'snailjob.task.type': TaskType[args.taskType] ?? String(args.taskType),
  };
  const name = (args as Partial<MapArgs>).taskName;
  if (typeof name === 'string') attributes['snailjob.task.name'] = name;
  if (args.shardingIndex !== undefined) attributes['snailjob.sharding.index'] = args.shardingIndex;
  if (args.shardingTotal !== undefined) attributes['snailjob.sharding.total'] = args.shardingTotal;
  if (args.retryCount) attributes['snailjob.retry.count'] = args.retryCount;
  if (args.workflowTaskBatchId !== undefined) {
    attributes['snailjob.workflow.task_batch.id'] = id(args.workflowTaskBatchId);
  }
  if (args.workflowNodeId !== undefined) attributes['snailjob.workflow.node.id'] = id(args.workflowNodeId);
  return attributes;
}

/** Ids as strings: Java longs may exceed what an attribute number holds exactly. */
function id(value: number | bigint): string {
  return String(value);
}
