import { Injectable } from '@nestjs/common';
import {
  ExecuteResult,
  MapTask,
  MergeTask,
  ReduceTask,
  SnailJob,
  type JobArgs,
  type MapArgs,
  type MergeReduceArgs,
  type ReduceArgs,
} from 'nestjs-snail-job';

/** One executor per plain task type; each answers with what it received, so the driver can check it. */
@Injectable()
export class PlainJobs {
  @SnailJob('consumerCluster')
  cluster(args: JobArgs) {
    return { echo: args.jobParams ?? null };
  }

  @SnailJob('consumerBroadcast')
  broadcast() {
    return ExecuteResult.success('broadcast ok');
  }

  @SnailJob('consumerSharding')
  async shard(args: JobArgs) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { shard: args.shardingIndex, of: args.shardingTotal, params: args.jobParams };
  }
}

/** Map-reduce: four parts of 10 × n, summed per reduce chunk, merged. */
@SnailJob('consumerMapReduce')
@Injectable()
export class SumMapReduce {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap([1, 2, 3, 4], 'PART');
  }

  @MapTask('PART')
  part(args: MapArgs) {
    return ExecuteResult.success(Number(args.mapResult) * 10);
  }

  @ReduceTask()
  reduce(args: ReduceArgs) {
    return ExecuteResult.success(args.mapResult.map(Number).reduce((a, b) => a + b, 0));
  }

  @MergeTask()
  merge(args: MergeReduceArgs) {
    return ExecuteResult.success(args.reduces.map(Number).reduce((a, b) => a + b, 0));
  }
}
