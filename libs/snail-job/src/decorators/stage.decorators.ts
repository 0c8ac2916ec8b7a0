import { ROOT_MAP } from '../job/task-names.js';
import { SNAIL_JOB_STAGE } from '../snail-job.constants.js';

/** Metadata stored by the stage decorators. */
export type StageMetadata = { stage: 'map'; taskName: string } | { stage: 'reduce' } | { stage: 'merge' };

function stage(metadata: StageMetadata, label: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    if (typeof descriptor.value !== 'function') throw new TypeError(`${label} can only decorate methods.`);
    Reflect.defineMetadata(SNAIL_JOB_STAGE, metadata, descriptor.value as object);
    return descriptor;
  };
}

/**
 * Handles map tasks named `taskName` of the enclosing `@SnailJob` class; without a name, the root stage
 * (`ROOT_MAP`).
 */
export function MapTask(taskName: string = ROOT_MAP): MethodDecorator {
  if (typeof taskName !== 'string' || taskName.trim() === '') {
    throw new TypeError(`@MapTask() needs a non-empty task name, got ${JSON.stringify(taskName)}.`);
  }
  return stage({ stage: 'map', taskName }, `@MapTask('${taskName}')`);
}

/** Handles the REDUCE stage (mrStage 2) of the enclosing map-reduce `@SnailJob` class. */
export function ReduceTask(): MethodDecorator {
  return stage({ stage: 'reduce' }, '@ReduceTask()');
}

/** Handles the MERGE_REDUCE stage (mrStage 3) of the enclosing map-reduce `@SnailJob` class. */
export function MergeTask(): MethodDecorator {
  return stage({ stage: 'merge' }, '@MergeTask()');
}
