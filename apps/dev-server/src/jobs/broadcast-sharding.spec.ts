import { ClientUri } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness.js';

describe('BROADCAST and SHARDING (docs/protocol.md §5.5, §5.6)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('broadcasts to every live node and cleans up with one stop per task row', async () => {
    h = await startHarness([{}, {}]);
    const [n1, n2] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'b',
      taskType: 2,
      argsStr: 'all',
    });
    const [d1] = await n1.waitForDispatches(1);
    const [d2] = await n2.waitForDispatches(1);
    for (const d of [d1, d2]) {
      expect(d).toMatchObject({
        taskName: 'BROADCAST_TASK',
        argsStr: '{"jobParams":"all"}',
        retryCount: 0,
        taskType: 2,
      });
    }
    expect(d1.taskId).not.toEqual(d2.taskId);
    await n1.report(d1, 3, 'one');
    expect((await h.server.getBatch(taskBatchId)).statusName).toBe('RUNNING');
    await n2.report(d2, 3, 'two');
    expect((await h.server.waitForBatch(taskBatchId, 2000)).statusName).toBe('SUCCESS');
    const stopBody = `[{"groupName":"snail_job_demo_group","jobId":${String(d1.jobId)},"taskBatchId":${String(taskBatchId)}}]`;
    expect((await n1.waitForCalls(ClientUri.STOP, 1)).map((c) => c.body)).toEqual([stopBody]);
    expect((await n2.waitForCalls(ClientUri.STOP, 1)).map((c) => c.body)).toEqual([stopBody]);
  });

  it('skips nodes whose labels do not match the job (and labelled nodes without state=up)', async () => {
    h = await startHarness([{ labels: { state: 'up', zone: 'a' } }, { labels: { zone: 'a' } }, {}]);
    const [zoned, notUp, unlabelled] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'b',
      taskType: 2,
      labels: { zone: 'a' },
    });
    await zoned.waitForDispatches(1);
    await unlabelled.waitForDispatches(1);
    expect((await h.server.getBatch(taskBatchId)).tasks).toHaveLength(2);
    expect(notUp.dispatches()).toEqual([]);
  });

  it('shards a JSON string array: one task per element, index/total on the first dispatch only', async () => {
    h = await startHarness([{ hostId: 'n1' }, { hostId: 'n2' }]);
    const [n1, n2] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 's',
      taskType: 'SHARDING',
      argsStr: ['a', 'b', 'c'],
      maxRetryTimes: 1,
      retryInterval: 0,
    });
    const onN1 = await n1.waitForDispatches(2);
    const [onN2] = await n2.waitForDispatches(1);
    const all = [...onN1, onN2].sort((x, y) => Number(x.shardingIndex) - Number(y.shardingIndex));
    expect(all.map((d) => [d.argsStr, d.shardingIndex, d.shardingTotal, d.taskName, d.retryCount])).toEqual([
      ['{"jobParams":"a"}', 0, 3, 'SHARDING_TASK', 0],
      ['{"jobParams":"b"}', 1, 3, 'SHARDING_TASK', 0],
      ['{"jobParams":"c"}', 2, 3, 'SHARDING_TASK', 0],
    ]);
    // a FAIL is retried without shardingIndex/shardingTotal
    const failing = onN2;
    await n2.report(failing, 4);
    const retried = await n1.waitFor('retry', () =>
      [...n1.dispatches(), ...n2.dispatches()].find((d) => d.retryStatus),
    );
    expect(retried).toMatchObject({ taskId: failing.taskId, retryScene: 1, retryCount: 1 });
    expect(retried.shardingIndex).toBeUndefined();
    expect(retried.shardingTotal).toBeUndefined();
    expect((await h.server.getBatch(taskBatchId)).statusName).toBe('RUNNING');
  });

  it('creates no task for invalid sharding args; the timeout stops the batch', async () => {
    h = await startHarness();
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 's',
      taskType: 3,
      argsStr: 'not-json',
      executorTimeout: 1,
    });
    expect(await h.server.getBatch(taskBatchId)).toMatchObject({ statusName: 'RUNNING', tasks: [] });
    const batch = await h.server.waitForBatch(taskBatchId, 3000);
    expect(batch).toMatchObject({ statusName: 'STOP', operationReasonName: 'TASK_EXECUTION_TIMEOUT' });
  });
});
