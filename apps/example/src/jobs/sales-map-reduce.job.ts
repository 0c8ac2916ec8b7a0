import { Injectable } from '@nestjs/common';
import {
  ExecuteResult,
  MapTask,
  MergeTask,
  ReduceTask,
  SnailJob,
  SnailJobLog,
  type MapArgs,
  type MergeReduceArgs,
  type ReduceArgs,
} from 'nestjs-snail-job';

/** MAP_REDUCE job (taskType 5): totals of twelve months, reduced per chunk, merged. */
@SnailJob('salesMapReduce')
@Injectable()
export class SalesMapReduceJob {
  @MapTask()
  root(args: MapArgs) {
    SnailJobLog.REMOTE.info('sales %s: mapping 12 months', args.jobParams || 'this year');
    return args.doMap(
      Array.from({ length: 12 }, (_, i) => i + 1),
      'MONTH',
    );
  }

  @MapTask('MONTH')
  month(args: MapArgs) {
    const month = Number(args.mapResult);
    return ExecuteResult.success(month * 100);
  }

  @ReduceTask()
  reduce(args: ReduceArgs) {
    SnailJobLog.REMOTE.info('reducing %d monthly totals', args.mapResult.length);
    return ExecuteResult.success(args.mapResult.map(Number).reduce((a, b) => a + b, 0));
  }

  @MergeTask()
  merge(args: MergeReduceArgs) {
    SnailJobLog.REMOTE.info('merging %d partial sums', args.reduces.length);
    return ExecuteResult.success(args.reduces.map(Number).reduce((a, b) => a + b, 0));
  }
}
