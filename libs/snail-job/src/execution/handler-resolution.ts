import type { BoundHandler, ExecutorDefinition } from '../discovery/executor-definition.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import { WRONG_EXECUTOR_KIND } from '../snail-job.messages.js';
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
    return (
      executor.mapTasks.get(name) ??
      `MapTask execution method not found: map executor "${executor.name}" (class ${executor.className}) has no ${
        name === 'ROOT_MAP' ? '@MapTask()' : `@MapTask('${name}')`
      } method for task "${name}". Add one.`
    );
  }
  if (stage === 'reduce') {
    return (
      executor.reduce ??
      `Map-reduce executor "${executor.name}" (class ${executor.className}) has no @ReduceTask() method for mrStage 2. Add one.`
    );
  }
  return (
    executor.merge ??
    `Map-reduce executor "${executor.name}" (class ${executor.className}) has no @MergeTask() method for mrStage 3. Add one.`
  );
}
