import type { BoundHandler, ExecutorDefinition } from '../discovery/executor-definition.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import { MAP_HANDLER_MISSING, STAGE_HANDLER_MISSING, WRONG_EXECUTOR_KIND } from '../snail-job.messages.js';
import { mapTaskName, stageOf } from './args-factory.js';

/** The handler for a dispatch, or a refusal message naming the fix. */
export function resolveHandler(
  executor: ExecutorDefinition,
  request: DispatchJobRequest,
): BoundHandler | string {
  const stage = stageOf(request);
  if (executor.kind === 'plain') {
    return stage === 'plain'
      ? executor.handler
      : WRONG_EXECUTOR_KIND(executor.name, request.taskType, 'plain');
  }
  if (stage === 'plain') return WRONG_EXECUTOR_KIND(executor.name, request.taskType, 'map');
  if (stage === 'map') {
    const name = mapTaskName(request);
    return executor.mapTasks.get(name) ?? MAP_HANDLER_MISSING(executor.name, executor.className, name);
  }
  if (stage === 'reduce') {
    return executor.reduce ?? STAGE_HANDLER_MISSING(executor.name, executor.className, '@ReduceTask()', 2);
  }
  return executor.merge ?? STAGE_HANDLER_MISSING(executor.name, executor.className, '@MergeTask()', 3);
}
