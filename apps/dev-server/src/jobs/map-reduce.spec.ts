import { ClientUri, type DispatchJobRequest } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeClient } from '../../test/fake-client.js';
import { startHarness, type Harness } from '../../test/harness.js';

function allDispatches(clients: FakeClient[]): DispatchJobRequest[] {
  return clients.flatMap((c) => c.dispatches()).sort((a, b) => Number(a.taskId) - Number(b.taskId));
}

/** The client that received a dispatch (to report from it). */
function owner(clients: FakeClient[], d: DispatchJobRequest): FakeClient {
  return clients.find((c) => c.dispatches().includes(d))!;
}

async function waitForTask(
  clients: FakeClient[],
  taskName: string,
  count = 1,
): Promise<DispatchJobRequest[]> {
  return clients[0].waitFor(`${count} ${taskName}`, () => {
    const found = allDispatches(clients).filter((d) => d.taskName === taskName && !d.retryStatus);
    return found.length >= count && found;
  });
}

describe('MAP and MAP_REDUCE (docs/protocol.md §3.5, §5.7, §5.8)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('runs a two-level map: children round-robin, leaf tracking, clean-up stops per task', async () => {
    h = await startHarness([{}, {}]);
    const c = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'm',
      taskType: 'MAP',
      argsStr: 'cfg',
    });
    const [root] = await waitForTask(c, 'ROOT_MAP');
    expect(root).toMatchObject({
      mrStage: 1,
      retryCount: 0,
      argsStr: '{"jobParams":"cfg","maps":""}',
      taskType: 4,
    });
    expect(await owner(c, root).doMap(root, 'REGION', ['east', 'west'])).toMatchObject({
      status: 1,
      message: 'Report Map Task Processed Successfully',
      data: 'true',
    });
    const regions = await waitForTask(c, 'REGION', 2);
    expect(regions.map((d) => d.argsStr)).toEqual([
      '{"jobParams":"cfg","maps":"east"}',
      '{"jobParams":"cfg","maps":"west"}',
    ]);
    expect(new Set(regions.map((d) => owner(c, d)))).toHaveProperty('size', 2); // round-robin
    await owner(c, root).report(root, 3);
    const [east, west] = regions;
    await owner(c, east).doMap(east, 'CITY', [{ city: 'NYC' }, { city: 'BOS' }]);
    const cities = await waitForTask(c, 'CITY', 2);
    expect(cities[0].argsStr).toBe('{"jobParams":"cfg","maps":{"city":"NYC"}}');
    await owner(c, east).report(east, 3);
    await owner(c, west).report(west, 3, 'w');
    await owner(c, cities[0]).report(cities[0], 3, { n: 1 });
    expect((await h.server.getBatch(taskBatchId)).statusName).toBe('RUNNING');
    await owner(c, cities[1]).report(cities[1], 3, 2);
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch.statusName).toBe('SUCCESS');
    expect(batch.tasks.map((t) => [t.taskName, t.leaf])).toEqual([
      ['ROOT_MAP', false],
      ['REGION', false],
      ['REGION', true],
      ['CITY', true],
      ['CITY', true],
    ]);
    expect(batch.tasks[3].parentId).toBe(batch.tasks[1].id);
    await c[0].waitFor(
      '5 stops',
      () => c[0].calls(ClientUri.STOP).length + c[1].calls(ClientUri.STOP).length === 5,
    );
  });

  it('refuses an empty sub-task list and a job of another group', async () => {
    h = await startHarness([{}]);
    const [client] = h.clients;
    await h.server.createAndTrigger({ executorInfo: 'm', taskType: 4 });
    const [root] = await client.waitForDispatches(1);
    expect(await client.doMap(root, 'X', [])).toMatchObject({
      status: 0,
      message: 'Job task is empty',
      data: 'false',
    });
    expect(await client.doMap({ ...root, jobId: 999 }, 'X', [1])).toMatchObject({
      status: 0,
      message: 'Job config not existed',
      data: 'false',
    });
  });

  it('map-reduce with shardNum 1: one REDUCE over the leaf results as strings, no MERGE', async () => {
    h = await startHarness([{}]);
    const c = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'mr',
      taskType: 5,
      argsStr: '{"shardNum":1,"argsStr":"p"}',
    });
    const [root] = await waitForTask(c, 'ROOT_MAP');
    expect(root.argsStr).toBe('{"jobParams":"p","maps":""}');
    await c[0].doMap(root, 'PART', [1, 2, 3]);
    await c[0].report(root, 3);
    const parts = await waitForTask(c, 'PART', 3);
    await c[0].report(parts[0], 3, 10);
    await c[0].report(parts[1], 3, { v: 30, s: 'x' });
    await c[0].report(parts[2], 3, null);
    const [reduce] = await waitForTask(c, 'REDUCE_TASK');
    expect(reduce).toMatchObject({ mrStage: 2, retryCount: 0 });
    expect(reduce.argsStr).toBe('{"jobParams":"p","maps":["10","{\\"v\\":30,\\"s\\":\\"x\\"}",""]}');
    await c[0].report(reduce, 3, 40);
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch.statusName).toBe('SUCCESS');
    expect(batch.tasks.some((t) => t.taskName === 'MERGE_REDUCE_TASK')).toBe(false);
  });

  it('map-reduce with shardNum 3: contiguous chunks, larger first, then MERGE over the reduce results', async () => {
    h = await startHarness([{}, {}]);
    const c = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'mr',
      taskType: 'MAP_REDUCE',
      argsStr: '{"shardNum":3,"argsStr":"p"}',
    });
    const [root] = await waitForTask(c, 'ROOT_MAP');
    await owner(c, root).doMap(root, 'PART', ['a', 'b', 'c', 'd']);
    await owner(c, root).report(root, 3);
    const parts = await waitForTask(c, 'PART', 4);
    for (const [i, d] of parts.entries()) await owner(c, d).report(d, 3, `r${i}`);
    const reduces = await waitForTask(c, 'REDUCE_TASK', 3);
    expect(reduces.map((d) => d.argsStr)).toEqual([
      '{"jobParams":"p","maps":["r0","r1"]}',
      '{"jobParams":"p","maps":["r2"]}',
      '{"jobParams":"p","maps":["r3"]}',
    ]);
    await owner(c, reduces[0]).report(reduces[0], 3, 'x');
    await owner(c, reduces[1]).report(reduces[1], 3, 7);
    await owner(c, reduces[2]).report(reduces[2], 3, [1, 2]);
    const [merge] = await waitForTask(c, 'MERGE_REDUCE_TASK');
    expect(merge.mrStage).toBe(3);
    expect(merge.retryCount).toBeUndefined();
    expect(merge.argsStr).toBe('{"jobParams":"p","reduces":["x","7","[1,2]"]}');
    await owner(c, merge).report(merge, 3, 'total');
    expect((await h.server.waitForBatch(taskBatchId, 2000)).statusName).toBe('SUCCESS');
  });

  it('ends a map-reduce batch FAIL without a REDUCE phase when a map task fails', async () => {
    h = await startHarness([{}]);
    const [client] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'mr',
      taskType: 5,
      argsStr: '{"shardNum":2,"argsStr":"p"}',
    });
    const [root] = await client.waitForDispatches(1);
    await client.report(root, 4);
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch.statusName).toBe('FAIL');
    expect(batch.tasks).toHaveLength(1);
  });
});

describe('a MAP parent reporting after its children (docs/protocol.md §12 pitfall 18)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  async function runParentLast(): Promise<string> {
    const [client] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'm',
      taskType: 4,
      executorTimeout: 1,
    });
    const [root] = await client.waitForDispatches(1);
    await client.doMap(root, 'CHILD', ['only']);
    const [, child] = await client.waitForDispatches(2);
    await client.report(child, 3);
    await client.report(root, 3);
    return (
      await h.server.waitForBatch(taskBatchId, 1800).catch((e: { state: { statusName: string } }) => e.state)
    ).statusName;
  }

  it('stays RUNNING like the Java server (even past its timeout)', async () => {
    h = await startHarness([{}], { livenessIntervalMs: 60_000 });
    expect(await runParentLast()).toBe('RUNNING');
  });

  it('completes with lenientMapCompletion', async () => {
    h = await startHarness([{}], { lenientMapCompletion: true });
    expect(await runParentLast()).toBe('SUCCESS');
  });
});
