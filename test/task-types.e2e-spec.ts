import { Injectable, type INestApplication, type Type } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobLog, type JobArgs, type ShardingJobArgs } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { receivedBodies, startTestDevServer, type DevServer } from './support/dev-server.js';

const aborts: { app: string; reason: unknown }[] = [];

/** The same executors, tagged with the app instance that ran them. */
function jobsFor(app: string): Type<unknown> {
  @Injectable()
  class Jobs {
    @SnailJob('whoAmI')
    async who(args: JobArgs) {
      SnailJobLog.REMOTE.info('hello %s from %s', args.jobParams, app);
      await new Promise((r) => setTimeout(r, 5));
      SnailJobLog.REMOTE.warn('after await', new Error('shown as throwable'));
      return { app, params: args.jobParams ?? null };
    }

    @SnailJob('shard')
    shard(args: ShardingJobArgs) {
      return { app, element: args.jobParams, index: args.shardingIndex, total: args.shardingTotal };
    }

    @SnailJob('waits')
    async waits(args: JobArgs) {
      await new Promise<void>((resolve) => args.signal.addEventListener('abort', () => resolve()));
      aborts.push({ app, reason: args.signal.reason });
      return 'must not be reported';
    }
  }
  Object.defineProperty(Jobs, 'name', { value: `Jobs_${app}` });
  return Jobs;
}

describe('cluster, broadcast, sharding, stop and timeout through the dev server', () => {
  let server: DevServer;
  let apps: INestApplication[];

  beforeEach(async () => {
    aborts.length = 0;
    server = await startTestDevServer();
    apps = [
      await startClientApp(clientOptions(server.grpcPort), [jobsFor('A')]),
      await startClientApp(clientOptions(server.grpcPort), [jobsFor('B')]),
    ];
    await server.waitForNodes(2, 5_000);
  });

  afterEach(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await server.close();
  });

  it('registers both clients and their executors', async () => {
    const nodes = await server.nodes();
    expect(nodes).toHaveLength(2);
    expect(new Set(nodes.map((n) => n.hostId)).size).toBe(2);
    for (const n of nodes) {
      expect(n.labels).toEqual({ state: 'up' });
      expect(n.extAttrs.executorType).toBe('1');
    }
    // executors are registered right after the first accepted beat, so they may trail the node by a moment
    await waitUntil(async () => (await server.executors()).length >= 3);
    const executors = (await server.executors()).map((e) => e.executorInfo).sort();
    expect(executors).toEqual(['shard', 'waits', 'whoAmI']);
  });

  it('runs a cluster job on one node and stores its result', async () => {
    const { taskBatchId } = await server.createAndTrigger({
      executorInfo: 'whoAmI',
      taskType: 1,
      argsStr: 'hello',
    });
    const batch = await server.waitForBatch(taskBatchId, 5_000);
    expect(batch.statusName).toBe('SUCCESS');
    expect(batch.tasks).toHaveLength(1);
    expect(JSON.parse(batch.tasks[0].result)).toMatchObject({ params: 'hello' });
    // the task's remote log lines reach the dev server, stored under the task with its ids
    const taskId = batch.tasks[0].id;
    await waitUntil(async () => (await server.logs(taskId)).length >= 2);
    const logs = await server.logs(taskId);
    expect(logs.map((l) => [l.fields.level, l.fields.message])).toEqual([
      ['INFO', expect.stringMatching(/^hello hello from [AB]$/)],
      ['WARN', 'after await'],
    ]);
    expect(logs[1].fields.throwable).toMatch(/^Error: shown as throwable\n\tat /);
    expect(String(logs[0].taskBatchId)).toBe(String(taskBatchId));
    expect(Number(logs[0].fields.time_stamp)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('broadcasts to every node', async () => {
    const { taskBatchId } = await server.createAndTrigger({ executorInfo: 'whoAmI', taskType: 2 });
    const batch = await server.waitForBatch(taskBatchId, 5_000);
    expect(batch.statusName).toBe('SUCCESS');
    expect(batch.tasks).toHaveLength(2);
    const ran = batch.tasks.map((t) => (JSON.parse(t.result) as { app: string }).app).sort();
    expect(ran).toEqual(['A', 'B']);
    expect(new Set(batch.tasks.map((t) => t.node!.hostId)).size).toBe(2);
  });

  it('gives every shard its element, index and total', async () => {
    const { taskBatchId } = await server.createAndTrigger({
      executorInfo: 'shard',
      taskType: 3,
      argsStr: '["a","b","c"]',
      parallelNum: 2,
    });
    const batch = await server.waitForBatch(taskBatchId, 5_000);
    expect(batch.statusName).toBe('SUCCESS');
    const shards = batch.tasks
      .map((t) => JSON.parse(t.result) as { element: string; index: number; total: number; app: string })
      .sort((x, y) => x.index - y.index);
    expect(shards.map((s) => [s.element, s.index, s.total])).toEqual([
      ['a', 0, 3],
      ['b', 1, 3],
      ['c', 2, 3],
    ]);
    expect(new Set(shards.map((s) => s.app)).size).toBe(2);
  });

  it('stops a running batch: the signal aborts, the batch is STOP and no report is sent', async () => {
    const { taskBatchId } = await server.createAndTrigger({ executorInfo: 'waits', taskType: 2 });
    await waitUntil(
      async () => (await server.requests({ uri: '/job/dispatch/v1', direction: 'out' })).length >= 2,
    );
    await new Promise((r) => setTimeout(r, 50));
    const stopped = await server.stopBatch(taskBatchId);
    expect(stopped.statusName).toBe('STOP');
    await waitUntil(async () => aborts.length === 2);
    expect(aborts.map((a) => a.reason)).toEqual(['stop', 'stop']);
    await new Promise((r) => setTimeout(r, 200));
    expect(await receivedBodies(server, '/report/dispatch/result')).toHaveLength(0);
  });

  it('times out a batch: the signal aborts with "timeout" and the server records STOP', async () => {
    const { taskBatchId } = await server.createAndTrigger({
      executorInfo: 'waits',
      taskType: 1,
      executorTimeout: 1,
    });
    const batch = await server.waitForBatch(taskBatchId, 5_000);
    expect(batch.statusName).toBe('STOP');
    await waitUntil(async () => aborts.length === 1);
    expect(aborts[0].reason).toBe('timeout');
    expect(await receivedBodies(server, '/report/dispatch/result')).toHaveLength(0);
  });
});

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
