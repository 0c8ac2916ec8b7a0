import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { SnailJobConfigError } from '../errors/snail-job-config.error.js';
import type {
  BuiltinExecutorsOptions,
  HttpExecutorOptions,
  ResolvedBuiltinExecutors,
  ScriptExecutorOptions,
} from './builtin-options.js';

type Env = Record<string, string | undefined>;

/** `builtinExecutors`: explicit options > `SNAIL_BUILTIN_HTTP` / `SNAIL_BUILTIN_SCRIPTS` > off. */
export function builtinExecutors(
  options: BuiltinExecutorsOptions | undefined,
  env: Env,
): ResolvedBuiltinExecutors {
  const http = enabled(options?.http, 'options.builtinExecutors.http', env, 'SNAIL_BUILTIN_HTTP');
  const scripts = enabled(options?.scripts, 'options.builtinExecutors.scripts', env, 'SNAIL_BUILTIN_SCRIPTS');
  return {
    http: http === false ? undefined : httpOptions(http === true ? {} : http),
    scripts: scripts === false ? undefined : scriptOptions(scripts === true ? {} : scripts),
  };
}

function enabled<T extends object>(
  option: boolean | T | undefined,
  source: string,
  env: Env,
  envName: string,
): boolean | T {
  if (option !== undefined) {
    if (typeof option === 'boolean' || (typeof option === 'object' && option !== null)) return option;
    throw new SnailJobConfigError(source, option, 'true, false or an options object');
  }
  const raw = env[envName]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return false;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new SnailJobConfigError(envName, env[envName], 'true or false');
}

function httpOptions(o: HttpExecutorOptions): NonNullable<ResolvedBuiltinExecutors['http']> {
  const expectedStatus = o.expectedStatus ?? 200;
  if (!Number.isInteger(expectedStatus) || expectedStatus < 100 || expectedStatus > 599) {
    throw new SnailJobConfigError(
      'options.builtinExecutors.http.expectedStatus',
      expectedStatus,
      'an HTTP status code',
    );
  }
  const type = o.bodyCode?.responseType;
  if (type !== undefined && type !== 'json' && type !== 'text') {
    throw new SnailJobConfigError(
      'options.builtinExecutors.http.bodyCode.responseType',
      type,
      '"json" or "text"',
    );
  }
  return o.bodyCode ? { expectedStatus, bodyCode: o.bodyCode } : { expectedStatus };
}

function scriptOptions(o: ScriptExecutorOptions): NonNullable<ResolvedBuiltinExecutors['scripts']> {
  const killGraceMs = o.killGraceMs ?? 5_000;
  if (!Number.isInteger(killGraceMs) || killGraceMs < 0 || killGraceMs > 600_000) {
    throw new SnailJobConfigError(
      'options.builtinExecutors.scripts.killGraceMs',
      killGraceMs,
      'an integer from 0 to 600000',
    );
  }
  if (o.workspace !== undefined && (typeof o.workspace !== 'string' || o.workspace.trim() === '')) {
    throw new SnailJobConfigError(
      'options.builtinExecutors.scripts.workspace',
      o.workspace,
      'a directory path',
    );
  }
  return { workspace: resolve(o.workspace ?? join(homedir(), 'snailJob', 'worker')), killGraceMs };
}
