import { Injectable, type Type } from '@nestjs/common';
import {
  ExecuteResult,
  MapTask,
  MergeTask,
  ReduceTask,
  SnailJob,
  SnailJobLog,
  type JobArgs,
  type MapArgs,
  type MergeReduceArgs,
  type ReduceArgs,
  type ShardingJobArgs,
} from 'nestjs-snail-job';

/** What the executors saw, per test run (reset by {@link resetSeen}). */
export const seen = {
  /** `e2eWait` aborts: the reason its signal gave. */
  aborts: [] as string[],
  /** Calls per key (`e2eAlwaysFails`: jobParams; `e2eFailsOnce`: jobParams; `e2eBulk` items). */
  calls: new Map<string, number>(),
  /** Workflow nodes: the context each read. */
  wfRead: {} as Record<string, Record<string, unknown>>,
};

export function resetSeen(): void {
  seen.aborts.length = 0;
  seen.calls.clear();
  for (const k of Object.keys(seen.wfRead)) delete seen.wfRead[k];
}

const count = (key: string): number => {
  const n = (seen.calls.get(key) ?? 0) + 1;
  seen.calls.set(key, n);
  return n;
};

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** Every plain executor of the scenarios, tagged with the app instance (`A` or `B`) that ran it. */
export function plainExecutors(app: string): Type<unknown> {
  @Injectable()
  class Plain {
    @SnailJob('e2eEcho')
    echo(args: JobArgs) {
      return { app, params: args.jobParams ?? null };
    }

    @SnailJob('e2eFail')
    fail() {
      return ExecuteResult.failure({ app, code: 42 }, 'rejected by the handler');
    }

    @SnailJob('e2eThrow')
    throws() {
      throw new TypeError('boom from the handler');
    }

    @SnailJob('e2eShard')
    shard(args: ShardingJobArgs) {
      return `${args.shardingIndex}/${args.shardingTotal}:${args.jobParams}`;
    }

    @SnailJob('e2eWait')
    async wait(args: JobArgs) {
      await aborted(args.signal);
      seen.aborts.push(String(args.signal.reason));
      return 'must not be reported';
    }

    @SnailJob('e2eAlwaysFails')
    alwaysFails(args: JobArgs) {
      const n = count(`always:${args.jobParams}`);
      return ExecuteResult.failure(
        `attempt ${n}`,
        `failed attempt ${n} (retryCount ${args.retryCount ?? 0})`,
      );
    }

    @SnailJob('e2eFailsOnce')
    failsOnce(args: JobArgs) {
      const n = count(`once:${args.jobParams}`);
      if (n === 1) return ExecuteResult.failure('first attempt', 'fails the first time');
      return `succeeded on attempt ${n}`;
    }

    @SnailJob('e2eBulkJob')
    async bulkJob(args: JobArgs) {
      count(`bulk:${args.jobParams}`);
      await new Promise((r) => setTimeout(r, 2_000));
      return args.jobParams;
    }

    @SnailJob('e2eLogs')
    async logs(args: JobArgs) {
      SnailJobLog.REMOTE.info('hello %s from %s', args.jobParams, app);
      await new Promise((r) => setTimeout(r, 5));
      SnailJobLog.REMOTE.warn('after an await');
      SnailJobLog.REMOTE.error('it went wrong for %s', 'order-9', new TypeError('card expired'));
      return 'logged';
    }

    @SnailJob('e2eWfA')
    wfA(args: JobArgs) {
      seen.wfRead.a = { run: args.getWfContext('run') };
      args.appendContext('rows', 42);
      return 'a';
    }

    @SnailJob('e2eWfB')
    wfB(args: JobArgs) {
      seen.wfRead.b = { run: args.getWfContext('run'), rows: args.getWfContext('rows') };
      args.appendContext('doubled', (args.getWfContext<number>('rows') ?? 0) * 2);
      return 'b';
    }

    @SnailJob('e2eWfC')
    wfC(args: JobArgs) {
      seen.wfRead.c = {
        run: args.getWfContext('run'),
        rows: args.getWfContext('rows'),
        doubled: args.getWfContext('doubled'),
      };
      args.appendContext('run', 'finished');
      args.appendContext('last', 'c');
      return 'c';
    }
  }
  Object.defineProperty(Plain, 'name', { value: `Plain_${app}` });
  return Plain;
}

/** A map two levels deep: ROOT_MAP → L1 (a, b) → L2 (a1, a2, b1, b2). */
@SnailJob('e2eMap2')
@Injectable()
export class TwoLevelMap {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap(['a', 'b'], 'L1');
  }

  @MapTask('L1')
  level1(args: MapArgs) {
    const x = String(args.mapResult);
    return args.doMap([`${x}1`, `${x}2`], 'L2');
  }

  @MapTask('L2')
  level2(args: MapArgs) {
    return `leaf:${String(args.mapResult)}`;
  }
}

/** Map-reduce over 1..10: map squares, reduce sums a chunk, merge sums the reduces (385). */
@SnailJob('e2eMr')
@Injectable()
export class SquaresMapReduce {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap(
      Array.from({ length: 10 }, (_, i) => i + 1),
      'SQUARE',
    );
  }

  @MapTask('SQUARE')
  square(args: MapArgs) {
    const n = Number(args.mapResult);
    return n * n;
  }

  @ReduceTask()
  reduce(args: ReduceArgs) {
    return args.mapResult.map(Number).reduce((a, b) => a + b, 0);
  }

  @MergeTask()
  merge(args: MergeReduceArgs) {
    return args.reduces.map(Number).reduce((a, b) => a + b, 0);
  }
}
