import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import { SnailJob, SnailJobLog, type JobArgs } from 'nestjs-snail-job';

/** Lets a test decide when a waiting job finishes. */
let releaseJob: () => void = () => undefined;
const released = () => new Promise<void>((resolve) => (releaseJob = resolve));

/** Lets the waiting `burst` job finish. */
export function release(): void {
  releaseJob();
}

/** Executors that write remote logs in every way the tests need. */
@Injectable()
export class LogJobs {
  private readonly logger = new Logger('OrderService');

  @SnailJob('logEverywhere')
  async everywhere() {
    SnailJobLog.REMOTE.info('sync %s #%d', 'line', 1);
    await new Promise((r) => setTimeout(r, 5));
    SnailJobLog.REMOTE.warn('after await');
    // Two branches side by side; the second logs first. The order is made explicit (branch 1 waits for branch 2's
    // line): timers of 1 and 2 ms created across a millisecond boundary expire in the same tick in either order.
    let secondLogged!: () => void;
    const second = new Promise<void>((r) => (secondLogged = r));
    await Promise.all(
      [1, 2].map(async (i) => {
        await new Promise((r) => setTimeout(r, 1));
        if (i === 1) await second;
        SnailJobLog.REMOTE.debug('in Promise.all %d', i);
        if (i === 2) secondLogged();
      }),
    );
    await new Promise<void>((r) =>
      setTimeout(() => {
        SnailJobLog.REMOTE.info('in a timer');
        r();
      }, 5),
    );
    const emitter = new EventEmitter();
    emitter.on('order', (o: unknown) => SnailJobLog.REMOTE.info('from an emitter: %j', o));
    await new Promise<void>((r) =>
      setImmediate(() => {
        emitter.emit('order', { id: 9007199254740993n });
        r();
      }),
    );
    SnailJobLog.LOCAL.info('local only');
    SnailJobLog.REMOTE.error('failed for %s', 'order-9', new TypeError('card expired'));
    return 'ok';
  }

  @SnailJob('burst')
  async burst(args: JobArgs) {
    const lines = Number(args.jobParams);
    for (let i = 1; i <= lines; i++) SnailJobLog.REMOTE.info('line %d', i);
    await released();
  }

  @SnailJob('burstThenReturn')
  burstThenReturn(args: JobArgs) {
    for (let i = 1; i <= Number(args.jobParams); i++) SnailJobLog.REMOTE.info('line %d', i);
  }

  @SnailJob('twoBursts')
  async twoBursts(args: JobArgs) {
    const [first, second] = (args.jobParams ?? '').split(',').map(Number);
    for (let i = 1; i <= first; i++) SnailJobLog.REMOTE.info('line %d', i);
    await new Promise((r) => setTimeout(r, 300));
    for (let i = first + 1; i <= first + second; i++) SnailJobLog.REMOTE.info('line %d', i);
  }

  @SnailJob('nestLogger')
  nestLogger() {
    this.logger.log('order saved');
    this.logger.debug('details %s', 'not-a-placeholder');
    this.logger.error('payment failed', new Error('declined').stack);
    Logger.warn('static call', 'Payments');
    SnailJobLog.REMOTE.info('remote line');
  }

  @SnailJob('throws')
  async throws() {
    SnailJobLog.REMOTE.info('about to fail');
    await Promise.resolve();
    throw new RangeError('quantity out of range');
  }
}

/** A cluster dispatch for `LogJobs` (override any field). */
export function dispatch(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify([
    {
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      jobId: 7,
      taskBatchId: 1201,
      taskId: 3301,
      taskType: 1,
      parallelNum: 1,
      executorType: 1,
      executorInfo: 'logEverywhere',
      executorTimeout: 60,
      argsStr: '{}',
      taskName: 'CLUSTER_TASK',
      retryStatus: false,
      retry: false,
      ...overrides,
    },
  ]);
}
