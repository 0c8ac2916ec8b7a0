import { Injectable } from '@nestjs/common';
import { SnailJob, SnailJobLog, type JobArgs } from 'nestjs-snail-job';

/** Why each aborted `consoleSlow` task was aborted. */
export const aborts: unknown[] = [];

/** Executors the console test runs from the page. */
@Injectable()
export class ConsoleExecutors {
  @SnailJob('consoleHello')
  async hello(args: JobArgs) {
    SnailJobLog.REMOTE.info('hello %s', args.jobParams ?? 'nobody');
    await new Promise((r) => setTimeout(r, 20));
    SnailJobLog.REMOTE.warn('second line after await');
    if (args.workflowTaskBatchId !== undefined) args.appendContext('greeted', args.jobParams ?? '');
    return { greeting: `hello ${args.jobParams ?? ''}`, taskId: String(args.taskId) };
  }

  @SnailJob('consoleSlow')
  async slow(args: JobArgs) {
    SnailJobLog.REMOTE.info('slow job started');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 60_000);
      args.signal.addEventListener('abort', () => {
        aborts.push(args.signal.reason);
        clearTimeout(timer);
        resolve();
      });
    });
    return 'finished';
  }
}
