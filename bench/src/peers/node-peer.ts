import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ExecuteResult,
  MapTask,
  MergeTask,
  ReduceTask,
  SnailJob,
  SnailJobLog,
  SnailJobModule,
  type JobArgs,
  type MapArgs,
  type MergeReduceArgs,
  type ReduceArgs,
  type ShardingJobArgs,
} from 'nestjs-snail-job';

/**
 * The bench's executors on this module, with the names and behaviour of the Python and Java peers
 * (peers/python/peer.py lists them). Configured only through the SNAIL_* variables, as the other clients are,
 * and started by the peers bench like them: one process, nothing but the module and its executors.
 */

const PEER = 'node';

/** Wall-clock epoch microseconds (the other peers report the same clock). */
function nowMicros(): string {
  return String(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

function countOf(params: string | undefined): number {
  const n = Number((params ?? '').trim() || '0');
  return Number.isFinite(n) ? n : 0;
}

@Injectable()
class PeerJobs {
  @SnailJob('peerNoop')
  noop(): ExecuteResult {
    return ExecuteResult.success(nowMicros());
  }

  @SnailJob('peerSleep')
  async sleep(args: JobArgs): Promise<ExecuteResult> {
    const started = nowMicros();
    const ms = countOf(args.jobParams);
    const stopped = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      args.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    return stopped ? ExecuteResult.failure('stopped') : ExecuteResult.success(started);
  }

  @SnailJob('peerFail')
  fail(): ExecuteResult {
    return ExecuteResult.failure('peerFail always fails');
  }

  @SnailJob('peerShard')
  shard(args: ShardingJobArgs): ExecuteResult {
    return ExecuteResult.success(`${args.shardingIndex}/${args.shardingTotal}`);
  }

  @SnailJob('peerWorkflow')
  workflow(args: JobArgs): ExecuteResult {
    const seen = Object.keys(args.wfContext).sort();
    args.appendContext(`peer_${PEER}_${String(args.jobId)}`, args.jobParams || 'ran');
    return ExecuteResult.success(JSON.stringify(seen));
  }

  @SnailJob('peerLog')
  log(args: JobArgs): ExecuteResult {
    const lines = countOf(args.jobParams);
    for (let i = 0; i < lines; i++) {
      SnailJobLog.REMOTE.info(`task ${String(args.taskBatchId)}: processed row ${i} of ${lines}`);
    }
    return ExecuteResult.success(String(lines));
  }
}

@SnailJob('peerMap')
@Injectable()
class PeerMap {
  @MapTask()
  async root(args: MapArgs): Promise<ExecuteResult> {
    const total = countOf(args.jobParams);
    await args.doMap(
      Array.from({ length: total }, (_, i) => ({ id: i, shard: `region-${i % 16}` })),
      'ITEM',
    );
    // The time the fan-out was done, as the other peers report it.
    return ExecuteResult.success(nowMicros());
  }

  @MapTask('ITEM')
  item(): ExecuteResult {
    return ExecuteResult.success();
  }
}

@SnailJob('peerMapReduce')
@Injectable()
class PeerMapReduce {
  @MapTask()
  async root(args: MapArgs): Promise<ExecuteResult> {
    const total = countOf(args.jobParams);
    await args.doMap(
      Array.from({ length: total }, (_, i) => i + 1),
      'ITEM',
    );
    return ExecuteResult.success(String(total));
  }

  @MapTask('ITEM')
  item(args: MapArgs): ExecuteResult {
    return ExecuteResult.success(args.mapResult);
  }

  @ReduceTask()
  reduce(args: ReduceArgs): ExecuteResult {
    return ExecuteResult.success(args.mapResult.reduce<number>((sum, v) => sum + Number(v), 0));
  }

  @MergeTask()
  merge(args: MergeReduceArgs): ExecuteResult {
    return ExecuteResult.success(args.reduces.reduce<number>((sum, v) => sum + Number(v), 0));
  }
}

@Module({
  imports: [SnailJobModule.forRoot({ health: false, metrics: false })],
  providers: [PeerJobs, PeerMap, PeerMapReduce],
})
class PeerModule {}

const app = await NestFactory.createApplicationContext(PeerModule, { logger: ['error', 'warn'] });
app.enableShutdownHooks();
await app.init();
console.log(`peer ready pid=${process.pid}`);
