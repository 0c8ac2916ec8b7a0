import { Logger } from '@nestjs/common';
import { currentTask } from './task-context.js';
import { REMOTE_LOG_OUTSIDE_TASK } from '../snail-job.messages.js';
import { formatMessage, formatThrowable } from './log-format.js';
import type { RemoteLogLevel } from './log-level.js';
import { withoutCapture } from './nest-logger-capture.js';

/** A leveled logger taking `util.format`-style arguments (`%s %d %i %f %j %o %O`, extra args appended). */
export interface SnailJobLogger {
  /** Logs at DEBUG. */
  debug(message: unknown, ...args: unknown[]): void;
  /** Logs at INFO. */
  info(message: unknown, ...args: unknown[]): void;
  /** Logs at WARN. */
  warn(message: unknown, ...args: unknown[]): void;
  /** Logs at ERROR; a trailing `Error` argument becomes the entry's stack trace. */
  error(message: unknown, ...args: unknown[]): void;
}

const LOCAL_CONTEXT = 'SnailJob';
let warnedOutsideTask = false;

function emit(level: RemoteLogLevel, remote: boolean, message: unknown, args: unknown[]): void {
  try {
    const { text, error } = formatMessage(message, args);
    const task = currentTask();
    try {
      writeLocal(level, text, error, task?.executorName ?? LOCAL_CONTEXT);
    } catch {
      // A failing application logger must not cost the remote line.
    }
    if (!remote) return;
    if (task?.log) {
      task.log.write(level, text, error ? formatThrowable(error) : undefined);
    } else if (!warnedOutsideTask) {
      warnedOutsideTask = true;
      withoutCapture(() => Logger.warn(REMOTE_LOG_OUTSIDE_TASK, LOCAL_CONTEXT));
    }
  } catch {
    // Logging never fails the caller.
  }
}

/** The local line, through the app's Nest logger (its levels, format and destination apply). */
function writeLocal(level: RemoteLogLevel, text: string, error: Error | undefined, context: string): void {
  withoutCapture(() => {
    switch (level) {
      case 'DEBUG':
        return Logger.debug(text, context);
      case 'INFO':
        return Logger.log(text, context);
      case 'WARN':
        return Logger.warn(text, context);
      case 'ERROR':
        return error ? Logger.error(text, error.stack, context) : Logger.error(text, context);
    }
  });
}

function logger(remote: boolean): SnailJobLogger {
  return Object.freeze({
    debug: (message: unknown, ...args: unknown[]) => emit('DEBUG', remote, message, args),
    info: (message: unknown, ...args: unknown[]) => emit('INFO', remote, message, args),
    warn: (message: unknown, ...args: unknown[]) => emit('WARN', remote, message, args),
    error: (message: unknown, ...args: unknown[]) => emit('ERROR', remote, message, args),
  });
}

/**
 * SnailJob's logger, as in the Java client. `SnailJobLog.REMOTE` writes a local line (Nest `Logger`, context
 * = the executor name) and ships the line to the SnailJob console's real-time log of the task it is called
 * from, found through the async context (so it also works after `await`, in `Promise.all`, timers and
 * emitters created by the task). Called outside any task it logs locally only and warns once.
 * `SnailJobLog.LOCAL` only logs locally. Both never throw and never wait for the network.
 */
export class SnailJobLog {
  /** Local line + remote entry for the current task. */
  static readonly REMOTE: SnailJobLogger = logger(true);
  /** Local line only. */
  static readonly LOCAL: SnailJobLogger = logger(false);

  private constructor() {}
}

/** Re-arms the once-per-process "outside a task" warning (tests). */
export function resetOutsideTaskWarning(): void {
  warnedOutsideTask = false;
}
