import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ExecuteResult,
  JobArgs,
  MapArgs,
  MapTask,
  MergeReduceArgs,
  MergeTask,
  ReduceArgs,
  ReduceTask,
  ShardingJobArgs,
  SnailJob,
  SnailJobLog,
  SnailJobModule,
} from '../index.js';
import { SnailJobTester } from './index.js';

@Injectable()
class ReportJobs {
  @SnailJob('dailyReport')
  daily(args: JobArgs) {
    SnailJobLog.REMOTE.info('params: %s', args.jobParams);
    args.appendContext('rows', Number(args.getWfContext<number>('seed') ?? 0) + 42);
    return { rows: 42 };
  }

  @SnailJob('shardJob')
  shard(args: ShardingJobArgs) {
    return `${args.shardingIndex}/${args.shardingTotal}:${args.jobParams ?? ''}`;
  }

  @SnailJob('failing')
  failing() {
    throw new Error('boom: no rows');
  }

  @SnailJob('slow')
  async slow(args: JobArgs) {
    await new Promise<void>((resolve) => args.signal.addEventListener('abort', () => resolve()));
    SnailJobLog.REMOTE.warn('aborted: %s', String(args.signal.reason));
    return ExecuteResult.failure(undefined, 'stopped');
  }
}

@SnailJob('totals')
@Injectable()
class Totals {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap([1, 2, 3, 4], 'MONTH');
  }

  @MapTask('MONTH')
  month(args: MapArgs) {
    SnailJobLog.REMOTE.info('month %d', args.mapResult);
    return Number(args.mapResult) * 10;
  }

  @ReduceTask()
  reduce(args: ReduceArgs) {
    return args.mapResult.map(Number).reduce((a, b) => a + b, 0);
  }

  @MergeTask()
  merge(args: MergeReduceArgs) {
    return ExecuteResult.success({ total: args.reduces.map(Number).reduce((a, b) => a + b, 0) });
  }
}

@SnailJob('pages')
@Injectable()
class Pages {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap(['a', 'b'], 'PAGE');
  }

  @MapTask('PAGE')
  page(args: MapArgs) {
    return args.doMap([`${String(args.mapResult)}1`, `${String(args.mapResult)}2`], 'ROW');
  }

  @MapTask('ROW')
  row(args: MapArgs) {
    return String(args.mapResult).toUpperCase();
  }
}

describe('SnailJobTester', () => {
  let tester: SnailJobTester;

  beforeAll(async () => {
    tester = await SnailJobTester.create({ providers: [ReportJobs, Totals, Pages] });
  });

  afterAll(async () => {
    await tester.close();
  });

  it('lists the executors of the app', () => {
    expect(tester.executors()).toEqual(['dailyReport', 'failing', 'pages', 'shardJob', 'slow', 'totals']);
  });

  it('runs a cluster executor with params, its remote log line and workflow context in and out', async () => {
    const run = await tester.execute('dailyReport', { params: 'p1', wfContext: { seed: 8 } });
    expect(run.status).toBe('success');
    expect(run.result).toEqual({ rows: 42 });
    expect(run.wfContext).toEqual({ seed: 8, rows: 50 });
    expect(run.tasks[0]!.wfContextChanges).toEqual({ rows: 50 });
    expect(run.logs.map((l) => [l.level, l.message, l.location])).toEqual([
      ['INFO', 'params: p1', 'ReportJobs#daily'],
    ]);
  });

  it('reports a thrown error as a failed task with its message and an ERROR line', async () => {
    const run = await tester.execute('failing');
    expect(run.status).toBe('failure');
    expect(run.message).toBe('boom: no rows');
    expect(run.logs.some((l) => l.level === 'ERROR' && l.throwable?.includes('boom: no rows'))).toBe(true);
  });

  it('runs every shard, with the per-shard params of the console', async () => {
    const run = await tester.execute('shardJob', { taskType: 'sharding', shards: ['x', 'y', 'z'] });
    expect(run.status).toBe('success');
    expect(run.result).toEqual(['0/3:x', '1/3:y', '2/3:z']);
    const counted = await tester.execute('shardJob', { taskType: 'sharding', shards: 2, params: 'q' });
    expect(counted.result).toEqual(['0/2:q', '1/2:q']);
  });

  it('runs a map job level by level: the doMap children run too', async () => {
    const run = await tester.execute('pages');
    expect(run.status).toBe('success');
    expect(run.mapRequests.map((r) => [r.taskName, r.items])).toEqual([
      ['PAGE', ['a', 'b']],
      ['ROW', ['a1', 'a2']],
      ['ROW', ['b1', 'b2']],
    ]);
    expect([...(run.result as string[])].sort()).toEqual(['A1', 'A2', 'B1', 'B2']);
    expect(run.tasks.filter((t) => t.parent).map((t) => t.taskName)).toEqual(['ROOT_MAP', 'PAGE', 'PAGE']);
  });

  it('runs map-reduce through REDUCE and MERGE', async () => {
    const single = await tester.execute('totals');
    expect(single.status).toBe('success');
    expect(single.result).toBe(100);
    expect(single.tasks.map((t) => t.stage)).toEqual(['map', 'map', 'map', 'map', 'map', 'reduce']);

    const merged = await tester.execute('totals', { reduceShards: 2 });
    expect(merged.tasks.filter((t) => t.stage === 'reduce').map((t) => t.result)).toEqual([30, 70]);
    expect(merged.result).toEqual({ total: 100 });
    expect(merged.logs.filter((l) => l.message.startsWith('month')).length).toBe(4);
  });

  it('stops a running batch: the handler sees reason "stop" and its last line is kept', async () => {
    const running = tester.start('slow');
    await running.started();
    const run = await running.stop();
    expect(run.status).toBe('stopped');
    expect(run.tasks[0]!.status).toBe('stopped');
    expect(run.logs.map((l) => l.message)).toContain('aborted: stop');
  });

  it('times a batch out after timeoutSeconds: the handler sees reason "timeout"', async () => {
    const run = await tester.execute('slow', { timeoutSeconds: 1 });
    expect(run.status).toBe('timeout');
    expect(run.logs.map((l) => l.message)).toContain('aborted: timeout');
  });

  it('names the executors when asked for an unknown one', () => {
    expect(() => tester.start('dailyReprot')).toThrow(
      /No executor "dailyReprot".*Did you mean "dailyReport"/,
    );
  });

  it('refuses a task type the executor cannot run, with the client message', async () => {
    await expect(tester.execute('dailyReport', { taskType: 'map' })).rejects.toThrow(/refused the dispatch/);
  });
});

describe('SnailJobTester with an app module', () => {
  @Module({
    imports: [SnailJobModule.forRoot({ group: 'orders', token: 'SJ_test' })],
    providers: [ReportJobs],
  })
  class AppModule {}

  it("uses the app's own SnailJobModule and options, without a second one", async () => {
    const tester = await SnailJobTester.create({ imports: [AppModule] });
    try {
      const run = await tester.execute('dailyReport');
      expect(run.status).toBe('success');
      expect(tester.module.get(ReportJobs)).toBeInstanceOf(ReportJobs);
    } finally {
      await tester.close();
    }
  });
});
