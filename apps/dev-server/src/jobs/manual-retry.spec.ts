import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness.js';
import { FakeClient } from '../../test/fake-client.js';

describe("the console's manual retry", () => {
  let h: Harness;
  const extra: FakeClient[] = [];

  afterEach(async () => {
    await Promise.all(extra.splice(0).map((c) => c.close()));
    await h.close();
  });

  it('generates and dispatches the tasks of a batch that was cancelled before it had any (JobHandler.retry)', async () => {
    h = await startHarness([]);
    const { taskBatchId } = await h.server.createAndTrigger({ executorInfo: 'late', taskType: 1 });
    const cancelled = await h.server.waitForBatch(taskBatchId, 2000);
    expect(cancelled).toMatchObject({ statusName: 'CANCEL', operationReasonName: 'NOT_CLIENT', tasks: [] });

    const client = await FakeClient.start(h.server.grpcPort);
    extra.push(client);
    await client.beat();
    await h.server.waitForNodes(1, 5000);
    const retried = await h.server.retryBatch(taskBatchId);
    expect(retried.statusName).toBe('RUNNING');
    const [dispatch] = await client.waitForDispatches(1);
    expect(String(dispatch.taskBatchId)).toBe(String(taskBatchId));
    await client.report(dispatch, 3, 'ran after the retry');
    const done = await h.server.waitForBatch(taskBatchId, 2000);
    expect(done.statusName).toBe('SUCCESS');
    expect(done.tasks).toHaveLength(1);
    expect(done.tasks[0].result).toBe('ran after the retry');
  });
});
