import { builtinExecutors } from './builtin-option-parsers.js';
import { resolveSettings, type Env } from './settings.js';
import { SNAIL_JOB_SETTINGS } from './snail-job.settings.js';
import type { ResolvedSnailJobOptions, SnailJobModuleOptions } from './snail-job-options.interface.js';

/**
 * Merges explicit options > `SNAIL_*` environment > defaults and validates the result, row by row of
 * {@link SNAIL_JOB_SETTINGS}. Throws {@link SnailJobConfigError} naming the first bad option or variable and its
 * value.
 */
export function resolveOptions(
  options: SnailJobModuleOptions = {},
  env: Env = process.env,
): ResolvedSnailJobOptions {
  const settings = resolveSettings<Omit<ResolvedSnailJobOptions, 'builtinExecutors'>>(
    SNAIL_JOB_SETTINGS,
    options,
    env,
  );
  return { ...settings, builtinExecutors: builtinExecutors(options.builtinExecutors, env) };
}
