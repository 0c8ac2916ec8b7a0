import { SNAIL_JOB_EXECUTOR } from '../snail-job.constants.js';

/** Metadata stored by {@link SnailJob}. */
export interface SnailJobMetadata {
  name: string;
}

/**
 * Marks a provider method as the SnailJob executor `name` (cluster, broadcast, sharding, workflow node), or a
 * provider class as the map / map-reduce executor `name` whose `@MapTask()`, `@ReduceTask()` and
 * `@MergeTask()` methods handle the stages.
 */
export function SnailJob(name: string): ClassDecorator & MethodDecorator {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`@SnailJob() needs a non-empty executor name, got ${JSON.stringify(name)}.`);
  }
  const metadata: SnailJobMetadata = { name };
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    Reflect.defineMetadata(SNAIL_JOB_EXECUTOR, metadata, descriptor ? (descriptor.value as object) : target);
  }) as ClassDecorator & MethodDecorator;
}
