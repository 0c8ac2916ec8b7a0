import { ClientUri } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness.js';

describe('stops and timeouts (docs/protocol.md §4.2, §5.11, §5.12)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('times out a batch: stop sent, task and batch STOP with reason TASK_EXECUTION_TIMEOUT', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const started = Date.now();
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 'slow',
      taskType: 1,
      executorTimeout: 1,
    });
    const [d] = await client.waitForDispatches(1);
    const batch = await h.server.waitForBatch(taskBatchId, 3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(batch).toMatchObject({ statusName: 'STOP', operationReasonName: 'TASK_EXECUTION_TIMEOUT' });
    expect(batch.tasks[0]).toMatchObject({ statusName: 'STOP', message: 'Task stopped successfully' });
    const [stop] = await client.waitForCalls(ClientUri.STOP, 1);
    expect(stop.args[0]).toEqual({
      groupName: 'snail_job_demo_group',
      jobId: d.jobId,
      taskBatchId: d.taskBatchId,
    });
  });

  it('manual stop sends one stop per task row and marks every non-SUCCESS row STOP', async () => {
    h = await startHarness([{ hostId: 'n1' }, { hostId: 'n2' }]);
    const [n1, n2] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      executorInfo: 's',
      taskType: 3,
      argsStr: '["a","b","c"]',
    });
    const [first] = (await n1.waitForDispatches(2)).sort((a, b) => Number(a.taskId) - Number(b.taskId));
    await n2.waitForDispatches(1);
    await n1.report(first, 3, 'ok');
    const stopped = await h.server.stopBatch(taskBatchId);
    expect(stopped).toMatchObject({ statusName: 'STOP', operationReasonName: 'MANNER_STOP' });
    expect(stopped.tasks.map((t) => t.statusName)).toEqual(['SUCCESS', 'STOP', 'STOP']);
    // forced stop: every row (SUCCESS included) → 2 to n1, 1 to n2; then the clean-up stops of the completion
    await n1.waitForCalls(ClientUri.STOP, 2);
    await n2.waitForCalls(ClientUri.STOP, 1);
  });

  it('retries a stop up to 3 times when the client does not answer', async () => {
    h = await startHarness([{}], { stopWaitMs: 50, callRetryIntervalMs: 10 });
    const [client] = h.clients;
    client.respond(ClientUri.STOP, () => undefined);
    const { taskBatchId } = await h.server.createAndTrigger({ executorInfo: 'c', taskType: 1 });
    await client.waitForDispatches(1);
    await h.server.stopBatch(taskBatchId);
    await client.waitForCalls(ClientUri.STOP, 3);
    const outbound = () => h.server.requests({ uri: ClientUri.STOP, direction: 'out' });
    await expect
      .poll(async () => (await outbound()).filter((e) => e.error === 'No reply within 50 ms').length)
      .toBe(3);
    const out = await outbound();
    expect(out.map((e) => e.reqId)).toEqual([out[0].reqId, out[0].reqId, out[0].reqId]); // one reqId per logical call
  });

  it('a client that does not answer a dispatch makes the task FAIL (no retry budget)', async () => {
    h = await startHarness([{}], { dispatchWaitMs: 100, livenessIntervalMs: 60_000 });
    const [client] = h.clients;
    client.respond(ClientUri.DISPATCH, () => undefined);
    const { taskBatchId } = await h.server.createAndTrigger({ executorInfo: 'c', taskType: 1 });
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch.tasks[0]).toMatchObject({ statusName: 'FAIL', message: 'No reply within 100 ms' });
    expect((await h.server.nodes())[0].alive).toBe(false);
  });
});
