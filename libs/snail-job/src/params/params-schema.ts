import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A class-validator DTO class: its instances are the params, its decorators the rules. */
export type ParamsDto<T extends object = object> = new (...args: never[]) => T;

/** What `@SnailJob(name, { params })` accepts: a Standard Schema (zod, valibot, arktype…) or a DTO class. */
export type ParamsSchema = StandardSchemaV1 | ParamsDto;

/** The type `args.params` has for a schema: the schema's output, or an instance of the DTO class. */
export type InferParams<S> = S extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<S>
  : S extends ParamsDto<infer T>
    ? T
    : unknown;

/** True for a Standard Schema (any object or function carrying `~standard.validate`). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof props === 'object' && props !== null && typeof props.validate === 'function';
}
