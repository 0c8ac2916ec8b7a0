// The metadata keys are registered symbols (Symbol.for): should an app ever hold two copies of this package
// (two versions, or a bundler that copies it), decorators of one are still read by the explorer of the other.
/** Metadata key of `@SnailJob` (on a method: plain executor; on a class: map / map-reduce executor). */
export const SNAIL_JOB_EXECUTOR = Symbol.for('nestjs-snail-job:executor');
/** Metadata key of `@MapTask`, `@ReduceTask`, `@MergeTask`. */
export const SNAIL_JOB_STAGE = Symbol.for('nestjs-snail-job:stage');
/** Injection token of the resolved options. */
export const SNAIL_JOB_OPTIONS = Symbol('snail-job:resolved-options');
/** Library version sent as the `system-version` header. */
export const LIBRARY_VERSION = '0.1.0';
