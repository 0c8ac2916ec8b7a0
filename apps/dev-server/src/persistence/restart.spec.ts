import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/harness.js';
import { decodeValue, encodeValue } from './persistence.service.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('data directory (jobs, workflows, batches, tasks, logs survive a restart)', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('encodes bigints and maps losslessly', () => {
    const value = { id: 2n ** 70n, m: new Map([[1n, 2n]]), s: 'x', n: [1, null] };
    expect(decodeValue(encodeValue(value))).toEqual(value);
  });

  it('loads what a previous server stored and continues its id sequence', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'snail-data-'));
    dirs.push(dataDir);
    h = await startHarness([{}], { dataDir });
    const [client] = h.clients;
    const job = await h.server.createJob({
      executorInfo: 'keep',
      taskType: 'CLUSTER',
      jobName: 'kept',
      argsStr: 'a',
    });
    const { taskBatchId } = await h.server.trigger(job.id);
    const [d] = await client.waitForDispatches(1);
    await client.send('/batch/server/report/log', [
      {
        taskId: d.taskId,
        taskBatchId: d.taskBatchId,
        jobId: d.jobId,
        realTime: Date.now(),
        fieldList: [{ name: 'message', value: 'hello from before the restart' }],
      },
    ]);
    await client.report(d, 3, 'done');
    await h.server.waitForBatch(taskBatchId);
    const wf = await h.server.createWorkflow({ nodes: [{ id: 'only', jobId: job.id }], wfContext: { k: 1 } });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    const [, wd] = await client.waitForDispatches(2);
    await client.report(wd, 3);
    await h.server.waitForWorkflowBatch(workflowTaskBatchId);
    await h.server.addGroup({ groupName: 'kept_group', token: 'SJ_kept' });
    await h.close();

    h = await startHarness([], { dataDir });
    expect(await h.server.getJob(job.id)).toMatchObject({
      jobName: 'kept',
      executorInfo: 'keep',
      argsStr: 'a',
    });
    expect(await h.server.getBatch(taskBatchId)).toMatchObject({
      statusName: 'SUCCESS',
      tasks: [{ id: d.taskId, statusName: 'SUCCESS', result: 'done' }],
    });
    expect((await h.server.logs(d.taskId as number)).map((l) => l.fields.message)).toEqual([
      'hello from before the restart',
    ]);
    expect(await h.server.getWorkflowBatch(workflowTaskBatchId)).toMatchObject({
      statusName: 'SUCCESS',
      wfContext: '{"k":1}',
      nodes: [{ key: 'only', statusName: 'SUCCESS' }],
    });
    await h.server.addGroup({ groupName: 'other', token: 't' });
    const next = await h.server.createJob({ executorInfo: 'new', taskType: 1 });
    expect(next.id as number).toBeGreaterThan(wd.taskId as number);
    // A group added at run time is still there (creating a job in it works).
    await h.server.createJob({ executorInfo: 'x', taskType: 1, groupName: 'kept_group' });
  });

  it('keeps everything in memory without a data directory', async () => {
    h = await startHarness([]);
    const job = await h.server.createJob({ executorInfo: 'gone', taskType: 1 });
    await h.close();
    h = await startHarness([]);
    await expect(h.server.getJob(job.id)).rejects.toThrow('does not exist');
  });
});
