import { ConsoleLogger, Inject, Injectable, type LoggerService } from '@nestjs/common';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';

/**
 * The dev server's own event log (one line per dispatch / report / stop). It is scoped to this server
 * instance instead of Nest's process-wide static logger, so several servers — and the app under test —
 * can share a process without silencing each other.
 */
@Injectable()
export class DevServerLogger {
  private readonly target: LoggerService | undefined;

  constructor(@Inject(DEV_SERVER_OPTIONS) options: ResolvedDevServerOptions) {
    const l = options.logger;
    if (l === false) this.target = undefined;
    else if (l === true) this.target = new ConsoleLogger('SnailJobDevServer');
    else if (Array.isArray(l)) this.target = new ConsoleLogger('SnailJobDevServer', { logLevels: l });
    else this.target = l;
  }

  log(message: string): void {
    this.target?.log(message, 'SnailJobDevServer');
  }

  warn(message: string): void {
    this.target?.warn(message, 'SnailJobDevServer');
  }

  error(message: string): void {
    this.target?.error(message, undefined, 'SnailJobDevServer');
  }
}
