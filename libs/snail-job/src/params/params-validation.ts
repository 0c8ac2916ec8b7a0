import { parseJson } from '../protocol/json.js';
import { validateDto } from './class-validator.adapter.js';
import { isStandardSchema, type ParamsSchema } from './params-schema.js';
import { SnailJobParamsError } from './params.error.js';

/**
 * The value a schema sees for a job's params string: its JSON value when it is JSON, the raw text otherwise
 * (a schema for a plain string still works), `undefined` when the job has no params.
 */
export function paramsValue(jobParams: string | undefined): unknown {
  if (jobParams === undefined || jobParams.trim() === '') return undefined;
  try {
    return parseJson(jobParams);
  } catch {
    return jobParams;
  }
}

/** Validates a job's params; resolves with the typed value, or throws {@link SnailJobParamsError}. */
export async function validateParams(
  executorName: string,
  schema: ParamsSchema,
  jobParams: string | undefined,
): Promise<unknown> {
  const value = paramsValue(jobParams);
  if (isStandardSchema(schema)) {
    const result = await schema['~standard'].validate(value);
    if (result.issues === undefined) return result.value;
    throw new SnailJobParamsError(
      executorName,
      result.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message })),
    );
  }
  const result = await validateDto(schema, value);
  if ('issues' in result) throw new SnailJobParamsError(executorName, result.issues);
  return result.value;
}

function pathText(path: readonly (PropertyKey | { key: PropertyKey })[] | undefined): string {
  if (path === undefined) return '';
  return path.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
}
