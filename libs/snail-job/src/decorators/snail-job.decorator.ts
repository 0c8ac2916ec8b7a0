import type { ParamsSchema } from '../params/params-schema.js';
import { SNAIL_JOB_EXECUTOR } from '../snail-job.constants.js';

/** Options of {@link SnailJob}. */
export interface SnailJobExecutorOptions<S extends ParamsSchema = ParamsSchema> {
  /**
   * Schema of the job's params (a Standard Schema such as zod or valibot, or a class-validator DTO class): the
   * params string is parsed as JSON and validated before the handler runs; the result is `args.params`, and
   * params that do not match fail the task with a message naming each field. See docs/typed-params.md.
   */
  params?: S;
}

/** Metadata stored by {@link SnailJob}. */
export interface SnailJobMetadata {
  name: string;
  params?: ParamsSchema;
}

/**
 * Marks a provider method as the SnailJob executor `name` (cluster, broadcast, sharding, workflow node), or a
 * provider class as the map / map-reduce executor `name` whose `@MapTask()`, `@ReduceTask()` and
 * `@MergeTask()` methods handle the stages.
 */
export function SnailJob<S extends ParamsSchema>(
  name: string,
  options: SnailJobExecutorOptions<S> = {},
): ClassDecorator & MethodDecorator {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`@SnailJob() needs a non-empty executor name, got ${JSON.stringify(name)}.`);
  }
  const metadata: SnailJobMetadata = { name };
  if (options.params !== undefined) metadata.params = options.params;
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    Reflect.defineMetadata(SNAIL_JOB_EXECUTOR, metadata, descriptor ? (descriptor.value as object) : target);
  }) as ClassDecorator & MethodDecorator;
}
