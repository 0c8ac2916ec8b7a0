import { Injectable, Logger } from '@nestjs/common';
import { ExecuteResult, SnailJob, SnailJobLog, type JobArgs, type ShardingJobArgs } from 'nestjs-snail-job';
import { sleep } from './sleep.js';

/** Plain executors: cluster, broadcast, sharding and workflow nodes. */
@Injectable()
export class ReportJobs {
  private readonly logger = new Logger(ReportJobs.name);

  /** Cluster job: greets whoever is in jobParams. */
  @SnailJob('helloJob')
  hello(args: JobArgs) {
    const name = args.jobParams?.trim() || 'world';
    this.logger.log(`helloJob task ${String(args.taskId)}: hello, ${name}`);
    SnailJobLog.REMOTE.info('greeting %s from pid %d', name, process.pid);
    return ExecuteResult.success(`hello, ${name}`);
  }

  /** Long job that checks its AbortSignal between steps, so stop and timeout end it promptly. */
  @SnailJob('slowJob')
  async slow(args: JobArgs) {
    const steps = Number(args.jobParams) || 20;
    for (let i = 1; i <= steps; i++) {
      if (args.signal.aborted)
        return ExecuteResult.failure({ step: i }, `stopped (${String(args.signal.reason)})`);
      SnailJobLog.REMOTE.info('step %d of %d', i, steps); // shown live in the console's task log
      await sleep(250, args.signal);
    }
    return { steps };
  }

  /** Always fails: shows FAIL reports (and retries when the job has maxRetryTimes). */
  @SnailJob('failingJob')
  failing(args: JobArgs): never {
    throw new Error(`failingJob refuses to work (attempt ${(args.retryCount ?? 0) + 1})`);
  }

  /** Broadcast job: every node answers with its own pid. */
  @SnailJob('broadcastJob')
  broadcast() {
    SnailJobLog.REMOTE.info('broadcast received by pid %d', process.pid);
    return { pid: process.pid };
  }

  /** Static sharding job: each shard handles one element of the job's JSON array. */
  @SnailJob('shardJob')
  shard(args: ShardingJobArgs) {
    const shard = args.jobParams ?? '';
    SnailJobLog.REMOTE.info('shard %d/%d handles "%s"', args.shardingIndex, args.shardingTotal, shard);
    return { shard, index: args.shardingIndex, total: args.shardingTotal, length: shard.length };
  }

  /** Workflow node: reads the context, adds to it. */
  @SnailJob('workflowStep')
  step(args: JobArgs) {
    const visited = (args.getWfContext<string[]>('visited') ?? []).concat(args.jobParams ?? '?');
    args.appendContext('visited', visited);
    SnailJobLog.REMOTE.info('workflow step %s; visited so far: %j', args.jobParams, visited);
    args.appendContext(`${args.jobParams ?? 'step'}At`, new Date().toISOString());
    return { visited };
  }
}
