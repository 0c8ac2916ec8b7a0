import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/harness.js';
import { formatLocalDateTime } from './trigger-interval.js';

describe('scheduling (ScanJobTaskActor, WaitStrategies)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('fires a fixed-interval job every interval, each run a new batch', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const { id } = await h.server.createJob({
      executorInfo: 'tick',
      taskType: 'CLUSTER',
      triggerType: 'FIXED',
      triggerInterval: 1,
    });
    const created = await h.server.getJob(id);
    expect(created).toMatchObject({ triggerType: 2, triggerInterval: '1', jobStatus: 1 });
    const first = await client.waitForDispatches(1, 3000);
    await client.report(first[0], 3);
    const [, second] = await client.waitForDispatches(2, 3000);
    expect(second.taskBatchId).not.toBe(first[0].taskBatchId);
    // Each trigger moves the next time on by the interval.
    const job = await h.server.getJob(id);
    expect(job.nextTriggerAt! - created.nextTriggerAt!).toBeGreaterThanOrEqual(1000);
  });

  it('applies the block strategy to scheduled triggers (DISCARD → CANCEL batches) and skips disabled jobs', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const { id } = await h.server.createJob({
      executorInfo: 'slow',
      taskType: 'CLUSTER',
      triggerType: 'CRON',
      triggerInterval: '* * * * * ?',
      blockStrategy: 'DISCARD',
    });
    await h.server.createJob({
      executorInfo: 'off',
      taskType: 'CLUSTER',
      triggerType: 'CRON',
      triggerInterval: '* * * * * ?',
      jobStatus: 0,
    });
    await client.waitForDispatches(1, 3000);
    await client.waitFor(
      'a discarded batch',
      async () => {
        const batches = await h.server.listBatches(id);
        return batches.some((b) => b.operationReasonName === 'JOB_DISCARD' && b.statusName === 'CANCEL');
      },
      4000,
    );
    // Only the enabled job's first batch was ever dispatched.
    expect(client.dispatches().map((d) => d.executorInfo)).toEqual(['slow']);
  });

  it('fires a point-in-time job once at its time, then parks it in 2999', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const at = Math.ceil((Date.now() + 1500) / 1000) * 1000;
    const { id } = await h.server.createJob({
      executorInfo: 'once',
      taskType: 'CLUSTER',
      triggerType: 'POINT_IN_TIME',
      triggerInterval: [formatLocalDateTime(at)],
    });
    expect((await h.server.getJob(id)).nextTriggerAt).toBe(at);
    const [d] = await client.waitForDispatches(1, 4000);
    expect(Date.now()).toBeGreaterThanOrEqual(at);
    await client.report(d, 3);
    expect((await h.server.getJob(id)).nextTriggerAt).toBe(new Date(2999, 11, 31, 23, 59, 59).getTime());
  });

  it('rejects schedules the server rejects', async () => {
    h = await startHarness([]);
    await expect(
      h.server.createJob({
        executorInfo: 'x',
        taskType: 1,
        triggerType: 'CRON',
        triggerInterval: '0 0 12 * * *',
      }),
    ).rejects.toThrow('both a day-of-week AND a day-of-month');
    await expect(
      h.server.createJob({
        executorInfo: 'x',
        taskType: 1,
        triggerType: 5,
        triggerInterval: ['2001-01-01 00:00:00'],
      }),
    ).rejects.toThrow('The submission time is less than the current time');
  });

  it('runs scheduled workflows', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const job = await h.server.createJob({ executorInfo: 'step', taskType: 1, triggerType: 'WORKFLOW' });
    expect((await h.server.getJob(job.id)).nextTriggerAt).toBeNull();
    await h.server.createWorkflow({
      nodes: [{ id: 'only', jobId: job.id }],
      triggerType: 'FIXED',
      triggerInterval: 1,
    });
    const [d] = await client.waitForDispatches(1, 3000);
    expect(d.workflowTaskBatchId).toBeDefined();
    expect(d.jobId).toBe(job.id);
  });
});
