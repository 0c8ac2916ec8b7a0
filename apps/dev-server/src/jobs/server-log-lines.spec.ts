import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness.js';

describe('log lines the server writes into a task’s log', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('records a failed dispatch as an ERROR line of the task (RequestClientActor)', async () => {
    h = await startHarness([{}], { dispatchWaitMs: 300 });
    await h.clients[0].close(); // still registered, no longer answering
    const { taskBatchId } = await h.server.createAndTrigger({ executorInfo: 'gone', taskType: 1 });
    const batch = await h.server.waitForBatch(taskBatchId, 5000);
    expect(batch.statusName).toBe('FAIL');
    const [task] = batch.tasks;
    const lines = await h.server.logs(task.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      taskId: task.id,
      taskBatchId,
      fields: {
        level: 'ERROR',
        message: `Task ID:[${String(task.id)}] Task scheduling failed.`,
        throwable: expect.any(String),
        time_stamp: expect.stringMatching(/^\d{13}$/),
      },
    });
  });
});
