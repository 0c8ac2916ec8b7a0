import type { JobArgs } from '../job/job-args.js';
import type { ParamsSchema } from './params-schema.js';
import { validateParams } from './params-validation.js';

/**
 * Wraps a handler so that the job's params are validated first: `args.params` holds the schema's output when
 * the handler runs, and params that do not match fail the task before it runs.
 */
export function withParams(
  executorName: string,
  schema: ParamsSchema | undefined,
  invoke: (args: unknown) => unknown,
): (args: unknown) => unknown {
  if (schema === undefined) return invoke;
  return async (args) => {
    const jobArgs = args as JobArgs;
    jobArgs.params = await validateParams(executorName, schema, jobArgs.jobParams);
    return invoke(args);
  };
}
