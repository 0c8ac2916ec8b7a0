import { Injectable, type INestApplication } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
import { clientOptions, startClientApp } from './support/client-app.js';
import { receivedBodies, startTestDevServer, type DevServer } from './support/dev-server.js';

const seen: { reduces: unknown[][]; rawReduces: string[][]; merges: unknown[][] } = {
  reduces: [],
  rawReduces: [],
  merges: [],
};

@SnailJob('regions')
@Injectable()
class RegionsMap {
  @MapTask()
  root(args: MapArgs) {
    args.appendContext('rootSaw', args.jobParams);
    return args.doMap(['east', 'west'], 'REGION');
  }

  @MapTask('REGION')
  region(args: MapArgs) {
    if (args.mapResult === 'east') return args.doMap([{ city: 'NYC' }, { city: 'BOS' }], 'CITY');
    return ExecuteResult.success('west done');
  }

  @MapTask('CITY')
  city(args: MapArgs) {
    return ExecuteResult.success(`visited ${(args.mapResult as { city: string }).city}`);
  }
}

const MIXED: unknown[] = ['plain text', 42, { a: 1 }, null, 7.5, 'more'];

@SnailJob('mixed')
@Injectable()
class MixedMapReduce {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap(
      MIXED.map((_, i) => i),
      'PART',
    );
  }

  @MapTask('PART')
  part(args: MapArgs) {
    return ExecuteResult.success(MIXED[args.mapResult as number]);
  }

  @ReduceTask()
  reduce(args: ReduceArgs) {
    seen.reduces.push(args.mapResult);
    seen.rawReduces.push(args.rawMapResult);
    return { count: args.mapResult.length };
  }

  @MergeTask()
  merge(args: MergeReduceArgs) {
    seen.merges.push(args.reduces);
    return args.reduces.reduce((sum: number, r) => sum + (r as { count: number }).count, 0);
  }
}

/** Root keeps working after doMap while its children finish at once: the classic stuck-batch race. */
@SnailJob('slowParent')
@Injectable()
class SlowParent {
  @MapTask()
  async root(args: MapArgs) {
    await args.doMap([1, 2, 3, 4], 'LEAF');
    await new Promise((r) => setTimeout(r, 300));
    return 'root done late';
  }

  @MapTask('LEAF')
  leaf(args: MapArgs) {
    return args.mapResult;
  }
}

@SnailJob('noRoot')
@Injectable()
class NoRoot {
  @MapTask('ONLY')
  only() {}
}

@SnailJob('noMerge')
@Injectable()
class NoMerge {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap([1, 2, 3], 'X');
  }

  @MapTask('X')
  x(args: MapArgs) {
    return args.mapResult;
  }

  @ReduceTask()
  reduce(args: ReduceArgs) {
    return args.mapResult.length;
  }
}

@Injectable()
class PlainJobs {
  @SnailJob('plain')
  plain(args: JobArgs) {
    return args.jobParams;
  }

  @SnailJob('badMapper')
  never() {}
}

describe('map, map-reduce and misconfiguration through the dev server', () => {
  let server: DevServer;
  let app: INestApplication;

  beforeEach(async () => {
    seen.reduces.length = 0;
    seen.rawReduces.length = 0;
    seen.merges.length = 0;
    server = await startTestDevServer();
    app = await startClientApp(clientOptions(server.grpcPort), [
      RegionsMap,
      MixedMapReduce,
      SlowParent,
      NoRoot,
      NoMerge,
      PlainJobs,
    ]);
    await server.waitForNodes(1, 5_000);
  });

  afterEach(async () => {
    await app.close();
    await server.close();
  });

  it('runs a two-level map with the exact map-task requests of the spec', async () => {
    const { jobId, taskBatchId } = await server.createAndTrigger({
      executorInfo: 'regions',
      taskType: 4,
      argsStr: 'cfg',
      parallelNum: 2,
    });
    const batch = await server.waitForBatch(taskBatchId, 10_000);
    expect(batch.statusName).toBe('SUCCESS');
    const root = batch.tasks.find((t) => t.taskName === 'ROOT_MAP')!;
    const east = batch.tasks.find((t) => t.taskName === 'REGION' && t.argsStr.includes('"east"'))!;
    const requests = await receivedBodies(server, '/batch/report/job/map/task/v1');
    expect(requests).toEqual([
      {
        jobId: Number(jobId),
        taskBatchId: Number(taskBatchId),
        parentId: Number(root.id),
        taskName: 'REGION',
        subTask: ['east', 'west'],
        wfContext: '{"rootSaw":"cfg"}',
      },
      {
        jobId: Number(jobId),
        taskBatchId: Number(taskBatchId),
        parentId: Number(east.id),
        taskName: 'CITY',
        subTask: [{ city: 'NYC' }, { city: 'BOS' }],
        wfContext: '{}',
      },
    ]);
    expect(batch.tasks.map((t) => t.taskName).sort()).toEqual([
      'CITY',
      'CITY',
      'REGION',
      'REGION',
      'ROOT_MAP',
    ]);
    expect(
      batch.tasks
        .filter((t) => t.leaf)
        .map((t) => t.result)
        .sort(),
    ).toEqual(['visited BOS', 'visited NYC', 'west done']);
  });

  it.each([
    [1, 1, false],
    [3, 3, true],
  ])('map-reduce with shardNum %i: %i reduce task(s), merge %s', async (shardNum, reduceCount, hasMerge) => {
    const { taskBatchId } = await server.createAndTrigger({
      executorInfo: 'mixed',
      taskType: 5,
      argsStr: JSON.stringify({ shardNum, argsStr: 'p' }),
      parallelNum: 4,
    });
    const batch = await server.waitForBatch(taskBatchId, 10_000);
    expect(batch.statusName).toBe('SUCCESS');
    expect(batch.tasks.filter((t) => t.taskName === 'REDUCE_TASK')).toHaveLength(reduceCount);
    expect(batch.tasks.some((t) => t.taskName === 'MERGE_REDUCE_TASK')).toBe(hasMerge);
    // stored results: a string raw, anything else as JSON text, null as ""
    const parts = batch.tasks.filter((t) => t.taskName === 'PART').map((t) => t.result);
    expect(parts.sort()).toEqual(['', '42', '7.5', 'more', 'plain text', '{"a":1}'].sort());
    // reduce input: each stored string JSON-decoded when it is JSON, else kept; raw strings reachable
    const allRaw = seen.rawReduces.flat().sort();
    expect(allRaw).toEqual(['', '42', '7.5', 'more', 'plain text', '{"a":1}'].sort());
    const decoded = seen.reduces.flat();
    expect(decoded).toContainEqual({ a: 1 });
    expect(decoded).toContain(42);
    expect(decoded).toContain(7.5);
    expect(decoded).toContain('plain text');
    expect(decoded).toContain('');
    if (hasMerge) {
      expect(seen.merges).toHaveLength(1);
      expect(seen.merges[0]).toHaveLength(3);
      const merge = batch.tasks.find((t) => t.taskName === 'MERGE_REDUCE_TASK')!;
      expect(merge.result).toBe('6');
    } else {
      expect(seen.merges).toHaveLength(0);
      expect(batch.tasks.find((t) => t.taskName === 'REDUCE_TASK')!.result).toBe('{"count":6}');
    }
  });

  it('never leaves a batch RUNNING when local children finish before their parent', async () => {
    const { taskBatchId } = await server.createAndTrigger({
      executorInfo: 'slowParent',
      taskType: 4,
      parallelNum: 8,
    });
    const batch = await server.waitForBatch(taskBatchId, 5_000);
    expect(batch.statusName).toBe('SUCCESS');
    const reports = await receivedBodies<{ taskId: number }>(server, '/report/dispatch/result');
    const root = batch.tasks.find((t) => t.taskName === 'ROOT_MAP')!;
    expect(reports[0].taskId).toBe(Number(root.id));
    expect(reports).toHaveLength(5);
  });

  it('fails a map dispatch for a plain executor with a message naming the fix', async () => {
    const { taskBatchId } = await server.createAndTrigger({ executorInfo: 'plain', taskType: 4 });
    const batch = await server.waitForBatch(taskBatchId, 5_000);
    expect(batch.statusName).toBe('FAIL');
    const out = await server.requests({ uri: '/job/dispatch/v1', direction: 'out' });
    expect(out[0].reply).toMatchObject({ status: 1, data: 'false' });
    expect(out[0].reply!.message).toContain("declare a @SnailJob('plain') class with @MapTask() methods");
  });

  it('fails a ROOT_MAP without a @MapTask() root handler, naming the fix', async () => {
    const { taskBatchId } = await server.createAndTrigger({ executorInfo: 'noRoot', taskType: 4 });
    expect((await server.waitForBatch(taskBatchId, 5_000)).statusName).toBe('FAIL');
    const out = await server.requests({ uri: '/job/dispatch/v1', direction: 'out' });
    expect(out[0].reply!.message).toContain('has no @MapTask() method for task "ROOT_MAP". Add one.');
  });

  it('fails the merge stage of an executor without @MergeTask(), naming the fix', async () => {
    const { taskBatchId } = await server.createAndTrigger({
      executorInfo: 'noMerge',
      taskType: 5,
      argsStr: '{"shardNum":2,"argsStr":""}',
    });
    expect((await server.waitForBatch(taskBatchId, 10_000)).statusName).toBe('FAIL');
    const out = await server.requests({ uri: '/job/dispatch/v1', direction: 'out' });
    const mergeReply = out.find((e) => e.body.includes('MERGE_REDUCE_TASK'))!.reply!;
    expect(mergeReply).toMatchObject({ status: 1, data: 'false' });
    expect(mergeReply.message).toContain('has no @MergeTask() method for mrStage 3. Add one.');
  });

  it('refuses a plain dispatch to a map executor class', async () => {
    const { taskBatchId } = await server.createAndTrigger({ executorInfo: 'regions', taskType: 1 });
    expect((await server.waitForBatch(taskBatchId, 5_000)).statusName).toBe('FAIL');
    const out = await server.requests({ uri: '/job/dispatch/v1', direction: 'out' });
    expect(out[0].reply!.message).toContain("put @SnailJob('regions') on a method instead");
  });
});
