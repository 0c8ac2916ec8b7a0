import type { LoggerService } from '@nestjs/common';

/** One call the app's logger received. */
export interface LoggedCall {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  args: unknown[];
}

/** A silent Nest LoggerService that records every call verbatim (to assert on local output). */
export class RecordingLogger implements LoggerService {
  readonly calls: LoggedCall[] = [];

  log(...args: unknown[]): void {
    this.calls.push({ level: 'log', args });
  }
  error(...args: unknown[]): void {
    this.calls.push({ level: 'error', args });
  }
  warn(...args: unknown[]): void {
    this.calls.push({ level: 'warn', args });
  }
  debug(...args: unknown[]): void {
    this.calls.push({ level: 'debug', args });
  }
  verbose(...args: unknown[]): void {
    this.calls.push({ level: 'verbose', args });
  }
  fatal(...args: unknown[]): void {
    this.calls.push({ level: 'fatal', args });
  }

  /** Calls whose first argument contains `text`. */
  matching(text: string): LoggedCall[] {
    return this.calls.filter((c) => typeof c.args[0] === 'string' && c.args[0].includes(text));
  }
}
