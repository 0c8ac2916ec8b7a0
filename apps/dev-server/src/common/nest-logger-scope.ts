import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';

/**
 * Nest's `logger` application option replaces the *process-wide* static logger. The dev server often
 * shares a process with the app under test, so it captures the static logger before creating its app and
 * restores it afterwards: its own bootstrap noise follows its `logger` option, nobody else's logging changes.
 */
class StaticLoggerState extends Logger {
  static capture(): () => void {
    const instance = Logger.staticInstanceRef;
    const levels = Logger.logLevels;
    return () => {
      Logger.staticInstanceRef = instance;
      Logger.logLevels = levels;
    };
  }
}

/** Captures Nest's static logger; call the returned function to restore it. */
export function captureNestLogger(): () => void {
  return StaticLoggerState.capture();
}

/** The `logger` option to give Nest for the dev server's own app. */
export function nestLoggerOption(
  logger: boolean | LoggerService | LogLevel[],
): false | LoggerService | LogLevel[] {
  if (logger === true) return ['warn', 'error']; // bootstrap noise off; the event log has its own logger
  return logger;
}
