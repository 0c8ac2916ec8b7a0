// The example app's executors, tested with nestjs-snail-job/testing: no SnailJob server, no socket. This file is
// the Vitest example of docs/testing.md.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnailJobTester } from 'nestjs-snail-job/testing';
import { AppModule } from '../app.module.js';

describe('example app executors', () => {
  let tester: SnailJobTester;

  beforeAll(async () => {
    tester = await SnailJobTester.create({ imports: [AppModule] });
  });

  afterAll(() => tester.close());

  it('helloJob greets the name in its params', async () => {
    const run = await tester.execute('helloJob', { params: 'Ada' });
    expect(run.status).toBe('success');
    expect(run.result).toBe('hello, Ada');
    expect(run.logs[0]?.message).toMatch(/^greeting Ada from pid \d+$/);
  });

  it('shardJob handles one element of the sharding arguments per shard', async () => {
    const run = await tester.execute('shardJob', { taskType: 'sharding', shards: ['ab', 'cde'] });
    expect(run.result).toEqual([
      { shard: 'ab', index: 0, total: 2, length: 2 },
      { shard: 'cde', index: 1, total: 2, length: 3 },
    ]);
  });

  it('orderMap maps regions, then orders: every level runs', async () => {
    const run = await tester.execute('orderMap', { params: 'north,south' });
    expect(run.mapRequests.map((r) => r.taskName)).toEqual(['REGION', 'ORDER', 'ORDER']);
    expect((run.result as string[]).sort()).toEqual([
      'north-1 shipped',
      'north-2 shipped',
      'north-3 shipped',
      'south-1 shipped',
      'south-2 shipped',
      'south-3 shipped',
    ]);
  });

  it('salesMapReduce sums twelve months through three reduces and the merge', async () => {
    const run = await tester.execute('salesMapReduce', { reduceShards: 3 });
    expect(run.tasks.filter((t) => t.stage === 'reduce').map((t) => t.result)).toEqual([1000, 2600, 4200]);
    expect(run.result).toBe(7800);
  });

  it('workflowStep appends itself to the workflow context', async () => {
    const run = await tester.execute('workflowStep', { params: 'b', wfContext: { visited: ['a'] } });
    expect(run.wfContext.visited).toEqual(['a', 'b']);
    expect(typeof run.wfContext.bAt).toBe('string');
  });

  it('slowJob stops at its next step when stopped, and reports nothing', async () => {
    const running = tester.start('slowJob', { params: '100' });
    await running.started();
    const run = await running.stop();
    expect(run.status).toBe('stopped');
    expect(run.logs.map((l) => l.message)).toContain('step 1 of 100');
    expect(run.tasks[0]?.result).toBeUndefined();
  });

  it('failingJob fails with its error message', async () => {
    const run = await tester.execute('failingJob', { retryCount: 2 });
    expect(run.status).toBe('failure');
    expect(run.message).toBe('failingJob refuses to work (attempt 3)');
  });
});
