import { ClientUri, ServerUri } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness.js';

const cluster = { executorInfo: 'demoCluster', taskType: 1, bizId: '1948123456789012345' };

describe('CLUSTER jobs (docs/protocol.md §4.1, §5.4, §5.13, §6)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('dispatches the exact body and headers, and a success report closes the batch', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const { jobId, taskBatchId } = await h.server.createAndTrigger({ ...cluster, argsStr: 'hello' });
    expect([jobId, taskBatchId]).toEqual([1, 2]);
    const [call] = await client.waitForCalls(ClientUri.DISPATCH, 1);
    expect(call.body).toBe(
      '[{"argsStr":"{\\"jobParams\\":\\"hello\\"}","executorInfo":"demoCluster","executorTimeout":60,' +
        '"executorType":1,"groupName":"snail_job_demo_group","jobBizId":"1948123456789012345","jobId":1,' +
        '"namespaceId":"764d604ec6fc45f68cd92514c40e9e1a","parallelNum":1,"retry":false,"retryStatus":false,' +
        '"taskBatchId":2,"taskId":3,"taskName":"CLUSTER_TASK","taskType":1}]',
    );
    expect(call.headers).toEqual({
      'SJ-TOKEN': 'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj',
      token: 'SJ_H9HGGmrX3QBVTfsAAG2mcKH3SR7bCLsK',
      'group-name': 'DEFAULT_SERVER',
      namespace: '764d604ec6fc45f68cd92514c40e9e1a',
      'host-id': expect.stringMatching(/^\d{19}$/),
      'host-ip': '127.0.0.1',
      'host-port': String(h.server.grpcPort),
    });
    const reply = await client.report(client.dispatches()[0], 3, 'done');
    expect(reply).toMatchObject({
      status: 1,
      message: 'Report Dispatch Result Processed Successfully',
      data: 'true',
    });
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch).toMatchObject({ status: 3, statusName: 'SUCCESS', operationReason: 0 });
    expect(batch.tasks).toEqual([
      expect.objectContaining({
        id: 3,
        parentId: 0,
        taskName: 'CLUSTER_TASK',
        status: 3,
        retryCount: null,
        result: 'done',
        message: 'Task executed successfully',
        node: { hostId: client.hostId, hostIp: '127.0.0.1', hostPort: client.port },
      }),
    ]);
    expect(client.calls(ClientUri.STOP)).toEqual([]); // no clean-up stop for CLUSTER
  });

  it('sends {} as argsStr when the job has no args', async () => {
    h = await startHarness();
    await h.server.createAndTrigger(cluster);
    const [d] = await h.clients[0].waitForDispatches(1);
    expect(d.argsStr).toBe('{}');
  });

  it('ignores a blank tmpArgsStr and uses the job args (AbstractJobService.doTrigger: StrUtil.isNotBlank)', async () => {
    h = await startHarness();
    const { id } = await h.server.createJob({ ...cluster, argsStr: 'stored', blockStrategy: 'CONCURRENCY' });
    await h.server.trigger(id, { tmpArgsStr: ' \t ' });
    await h.server.trigger(id, { tmpArgsStr: '' });
    await h.server.trigger(id, { tmpArgsStr: ' given ' });
    const dispatches = await h.clients[0].waitForDispatches(3);
    expect(dispatches.map((d) => d.argsStr)).toEqual([
      '{"jobParams":"stored"}',
      '{"jobParams":"stored"}',
      '{"jobParams":" given "}',
    ]);
  });

  it('turns a refusal reply into FAIL', async () => {
    h = await startHarness();
    const [client] = h.clients;
    client.respond(ClientUri.DISPATCH, () => ({
      status: 1,
      message: 'Executor configuration is incorrect',
      data: 'false',
    }));
    const { taskBatchId } = await h.server.createAndTrigger(cluster);
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch.statusName).toBe('FAIL');
    expect(batch.tasks[0]).toMatchObject({
      statusName: 'FAIL',
      message: 'Executor configuration is incorrect',
    });
  });

  it('retries a failed task automatically with retryStatus, retryScene and retryCount', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({
      ...cluster,
      maxRetryTimes: 2,
      retryInterval: 0,
    });
    const [first] = await client.waitForDispatches(1);
    await client.report(first, 4, undefined, { executeResult: { status: 0, message: 'boom' } });
    const [, second] = await client.waitForDispatches(2);
    expect(second).toMatchObject({
      taskId: first.taskId,
      retryStatus: true,
      retry: true,
      retryScene: 1,
      retryCount: 1,
    });
    expect((await h.server.getBatch(taskBatchId)).statusName).toBe('RUNNING');
    await client.report(second, 4);
    const [, , third] = await client.waitForDispatches(3);
    expect(third).toMatchObject({ taskId: first.taskId, retryScene: 1, retryCount: 2 });
    await client.report(third, 4);
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch.statusName).toBe('FAIL');
    expect(batch.tasks[0]).toMatchObject({ retryCount: 2, statusName: 'FAIL' });
  });

  it('treats a refusal as a FAIL that may be retried', async () => {
    h = await startHarness();
    const [client] = h.clients;
    let refusals = 1;
    client.respond(ClientUri.DISPATCH, () =>
      refusals-- > 0 ? { status: 0, message: 'busy' } : { status: 1, data: 'true' },
    );
    await h.server.createAndTrigger({ ...cluster, maxRetryTimes: 1, retryInterval: 0 });
    const [, retry] = await client.waitForDispatches(2);
    expect(retry).toMatchObject({ retryStatus: true, retryScene: 1, retryCount: 1 });
  });

  it('reads "retryScene 2 without retryStatus" as a manual-retry request', async () => {
    h = await startHarness();
    const [client] = h.clients;
    await h.server.createAndTrigger(cluster);
    const [first] = await client.waitForDispatches(1);
    await client.report(first, 3, 'ok', { retryScene: 2, retryStatus: false });
    const [, again] = await client.waitForDispatches(2);
    expect(again).toMatchObject({ taskId: first.taskId, retryStatus: true, retryScene: 2, retryCount: 1 });
  });

  it('routes by route key over host-ids sorted (FIRST, LAST)', async () => {
    h = await startHarness([{ hostId: 'b-node' }, { hostId: 'a-node' }]);
    const [b, a] = h.clients;
    await h.server.createAndTrigger({ ...cluster, routeKey: 5 });
    await a.waitForDispatches(1);
    await h.server.createAndTrigger({ ...cluster, routeKey: 'LAST' });
    await b.waitForDispatches(1);
  });

  it('answers a report with null executeResult with status 0', async () => {
    h = await startHarness();
    const [client] = h.clients;
    await h.server.createAndTrigger(cluster);
    const [d] = await client.waitForDispatches(1);
    const reply = await client.send(ServerUri.REPORT_RESULT, {
      jobId: d.jobId,
      taskBatchId: d.taskBatchId,
      taskId: d.taskId,
      taskType: 1,
      taskStatus: 3,
      retryStatus: false,
    });
    expect(reply.status).toBe(0);
  });

  it('cancels a batch when no client is alive (NOT_CLIENT)', async () => {
    h = await startHarness([]);
    const { taskBatchId } = await h.server.createAndTrigger(cluster);
    expect(await h.server.getBatch(taskBatchId)).toMatchObject({
      statusName: 'CANCEL',
      operationReasonName: 'NOT_CLIENT',
    });
  });

  it('discards a trigger while the previous batch runs (DISCARD), runs both with CONCURRENCY', async () => {
    h = await startHarness();
    const { id } = await h.server.createJob(cluster);
    await h.server.trigger(id);
    const second = await h.server.trigger(id);
    expect(await h.server.getBatch(second.taskBatchId)).toMatchObject({
      statusName: 'CANCEL',
      operationReasonName: 'JOB_DISCARD',
    });
    const { id: concurrent } = await h.server.createJob({ ...cluster, blockStrategy: 'CONCURRENCY' });
    await h.server.trigger(concurrent);
    const other = await h.server.trigger(concurrent);
    expect((await h.server.getBatch(other.taskBatchId)).statusName).toBe('RUNNING');
  });

  it('retries a FAIL batch manually (console retry): retryScene 2, then SUCCESS', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger(cluster);
    const [first] = await client.waitForDispatches(1);
    await client.report(first, 4);
    expect((await h.server.waitForBatch(taskBatchId, 2000)).statusName).toBe('FAIL');
    expect((await h.server.retryBatch(taskBatchId)).statusName).toBe('RUNNING');
    const [, again] = await client.waitForDispatches(2);
    expect(again).toMatchObject({ taskId: first.taskId, retryStatus: true, retryScene: 2, retryCount: 1 });
    await client.report(again, 3);
    expect((await h.server.waitForBatch(taskBatchId, 2000)).statusName).toBe('SUCCESS');
    await expect(h.server.retryBatch(taskBatchId)).rejects.toThrow('cannot be retried');
  });

  it('OVERLAY stops the running batch (RUNNING rows only) and starts a new one', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const { id } = await h.server.createJob({ ...cluster, blockStrategy: 'OVERLAY' });
    const { taskBatchId: old } = await h.server.trigger(id);
    await client.waitForDispatches(1);
    const { taskBatchId: next } = await h.server.trigger(id);
    expect(await h.server.getBatch(old)).toMatchObject({
      statusName: 'STOP',
      operationReasonName: 'JOB_OVERLAY',
    });
    await client.waitForCalls(ClientUri.STOP, 1);
    const [, d] = await client.waitForDispatches(2);
    expect(d.taskBatchId).toBe(next);
  });
});
