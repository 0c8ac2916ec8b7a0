import { Injectable, type Type } from '@nestjs/common';
import { z } from 'zod';
import {
  SnailJob,
  SnailJobLog,
  type InferParams,
  type JobArgs,
  type ShardingJobArgs,
} from 'nestjs-snail-job';

/** What the executors of test/beyond-targets.e2e-spec.ts saw (reset by {@link resetBeyondSeen}). */
export const beyondSeen = {
  /** `e2eTyped` calls: the params the handler got. */
  typed: [] as unknown[],
};

export function resetBeyondSeen(): void {
  beyondSeen.typed.length = 0;
}

/** The schema of `e2eTyped`: a day and an integer limit. */
export const DayParams = z.object({ day: z.iso.date(), limit: z.number().int() });

/** The app's own executors beside the built-in ones: one with typed params, one traced sharding executor. */
export function beyondExecutors(app: string): Type<unknown> {
  @Injectable()
  class Beyond {
    @SnailJob('e2eTyped', { params: DayParams })
    typed(args: JobArgs<InferParams<typeof DayParams>>) {
      beyondSeen.typed.push(args.params);
      return { app, day: args.params.day, limit: args.params.limit, limitType: typeof args.params.limit };
    }

    @SnailJob('e2eTracedShard')
    async tracedShard(args: ShardingJobArgs) {
      SnailJobLog.REMOTE.info('shard %d of %d: %s', args.shardingIndex, args.shardingTotal, args.jobParams);
      await new Promise((r) => setTimeout(r, 5));
      SnailJobLog.REMOTE.warn('shard %d done', args.shardingIndex);
      return `${app}:${args.shardingIndex}`;
    }
  }
  Object.defineProperty(Beyond, 'name', { value: `Beyond_${app}` });
  return Beyond;
}
