import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { currentTask } from './task-context.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import type { RemoteLogLevel } from './log-level.js';
import { parseNestLogCall, type NestLogMethod } from './nest-log-call.js';

type LogFn = (this: unknown, message: unknown, ...params: unknown[]) => unknown;

const METHODS: readonly NestLogMethod[] = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'];
const LEVELS: Record<NestLogMethod, RemoteLogLevel> = {
  log: 'INFO',
  error: 'ERROR',
  warn: 'WARN',
  debug: 'DEBUG',
  verbose: 'DEBUG',
  fatal: 'ERROR',
};

let installs = 0;
let uninstall: (() => void) | undefined;
let suppressed = 0;
let observing = false;

/** Runs `fn` with capture off: lines that SnailJobLog itself writes locally are not captured again. */
export function withoutCapture<T>(fn: () => T): T {
  suppressed++;
  try {
    return fn();
  } finally {
    suppressed--;
  }
}

/**
 * Starts observing the Nest `Logger` facade (instance and static methods). Each call still runs the original
 * method first, unchanged; afterwards, if it was made inside a task whose module enables capture and its level
 * is enabled (`Logger.isLevelEnabled`), it is also written to the task's remote log. Reference counted;
 * returns the matching uninstall.
 */
export function installNestLoggerCapture(): () => void {
  if (installs++ === 0) uninstall = patchLogger();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--installs === 0) {
      uninstall?.();
      uninstall = undefined;
    }
  };
}

function patchLogger(): () => void {
  const targets: [Record<NestLogMethod, LogFn>, boolean][] = [
    [Logger.prototype as unknown as Record<NestLogMethod, LogFn>, false],
    [Logger as unknown as Record<NestLogMethod, LogFn>, true],
  ];
  const undo: (() => void)[] = [];
  for (const [target, isStatic] of targets) {
    for (const method of METHODS) {
      const original = target[method];
      const observed: LogFn = function (this: unknown, message, ...params) {
        const result = original.call(this, message, ...params);
        observe(method, isStatic ? undefined : contextOf(this), message, params);
        return result;
      };
      target[method] = observed;
      // If someone wrapped the method after us, leave theirs in place; ours then stays inert.
      undo.push(() => {
        if (target[method] === observed) target[method] = original;
      });
    }
  }
  return () => undo.forEach((u) => u());
}

function contextOf(logger: unknown): string | undefined {
  const context = (logger as { context?: unknown } | null)?.context;
  return typeof context === 'string' && context !== '' ? context : undefined;
}

function observe(
  method: NestLogMethod,
  instanceContext: string | undefined,
  message: unknown,
  params: unknown[],
): void {
  if (installs === 0 || suppressed > 0 || observing) return;
  const log = currentTask()?.log;
  if (!log?.captureNestLogger || !Logger.isLevelEnabled(method)) return;
  observing = true;
  try {
    const call = parseNestLogCall(method, instanceContext, message, params);
    log.write(LEVELS[method], call.text, call.throwable, call.context);
  } catch {
    // Capture must never disturb the application's own logging.
  } finally {
    observing = false;
  }
}

/** Installs the capture while the module runs, when `logCaptureNestLogger` is on. */
@Injectable()
export class NestLoggerCapture implements OnModuleInit, OnApplicationShutdown {
  private release: (() => void) | undefined;

  constructor(@Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions) {}

  onModuleInit(): void {
    if (this.options.logCaptureNestLogger) this.release ??= installNestLoggerCapture();
  }

  onApplicationShutdown(): void {
    this.release?.();
    this.release = undefined;
  }
}
