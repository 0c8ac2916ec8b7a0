import { DEFAULT_NAMESPACE, DEMO_GROUP, DEMO_TOKEN } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/harness.js';
import { formatLocalDateTime } from '../scheduling/trigger-interval.js';

const AUTH = { namespace: DEFAULT_NAMESPACE, 'group-name': DEMO_GROUP, token: DEMO_TOKEN };

interface Result {
  status: number;
  message: string | null;
  data: unknown;
}

/** Calls the OpenAPI as the Java client does (`http://host:port/snail-job/api/...`). */
async function call(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = AUTH,
): Promise<Result> {
  const res = await fetch(`${h.server.baseUrl}/snail-job${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Result;
}

const clusterJob = (over: Record<string, unknown> = {}) => ({
  groupName: DEMO_GROUP,
  jobName: 'nightly-export',
  jobStatus: 1,
  argsStr: '{"day":"today"}',
  argsType: 2,
  routeKey: 4,
  executorType: 1,
  executorInfo: 'exportExecutor',
  triggerType: 3,
  triggerInterval: '0 0 2 * * ?',
  blockStrategy: 1,
  executorTimeout: 600,
  maxRetryTimes: 3,
  retryInterval: 30,
  taskType: 1,
  parallelNum: 1,
  ...over,
});

describe('SnailJob OpenAPI (JobApi, JobBatchApi, WorkflowApi, WorkflowBatchApi)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('checks the namespace, group-name and token headers like OpenApiAuthenticationInterceptor', async () => {
    h = await startHarness([]);
    expect(await call(h, 'GET', '/api/job/exists?id=1', undefined, { ...AUTH, token: 'wrong' })).toEqual({
      status: 0,
      message: `Token authentication failed. [namespace:${DEFAULT_NAMESPACE} groupName:${DEMO_GROUP} token:wrong]`,
      data: null,
    });
    expect(await call(h, 'GET', '/api/job/exists?id=1', undefined, { namespace: 'ns' })).toEqual({
      status: 0,
      message: 'Token authentication failed. [namespace:ns groupName:null token:null]',
      data: null,
    });
    expect(
      await call(h, 'GET', '/api/job/exists?id=1', undefined, {
        namespace: DEFAULT_NAMESPACE,
        token: DEMO_TOKEN,
      }),
    ).toMatchObject({ status: 0, message: 'System exception' });
    expect(await call(h, 'GET', '/api/job/exists?id=1')).toEqual({
      status: 1,
      message: 'Request succeeded',
      data: null,
    });
  });

  it('adds a job, answers its details, triggers it and shows the batch', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const added = await call(h, 'POST', '/api/job/add', clusterJob());
    expect(added).toMatchObject({ status: 1, message: 'Request succeeded' });
    const jobId = added.data as number;
    expect(typeof jobId).toBe('number');

    const detail = await call(h, 'GET', `/api/job/detail/id?id=${jobId}`);
    const job = detail.data as Record<string, unknown>;
    expect(Object.keys(job)).toEqual([
      'id', 'bizId', 'groupName', 'jobName', 'argsStr', 'argsType', 'extAttrs', 'nextTriggerAt', 'jobStatus',
      'routeKey', 'executorType', 'executorInfo', 'triggerType', 'triggerInterval', 'blockStrategy',
      'executorTimeout', 'maxRetryTimes', 'retryInterval', 'taskType', 'parallelNum', 'bucketIndex',
      'description', 'createDt', 'updateDt', 'deleted', 'notifyIds', 'labels',
    ]); // prettier-ignore
    expect(job).toMatchObject({
      id: jobId,
      groupName: DEMO_GROUP,
      jobName: 'nightly-export',
      argsType: '2',
      jobStatus: 1,
      triggerType: 3,
      triggerInterval: '0 0 2 * * ?',
      deleted: 0,
      notifyIds: [],
      description: '',
    });
    expect(job.bizId).toMatch(/^\d+$/);
    expect(job.nextTriggerAt).toMatch(/^\d{4}-\d{2}-\d{2} 02:00:00$/);
    expect(job.createDt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    expect(await call(h, 'GET', `/api/job/exists?id=${jobId}`)).toMatchObject({
      data: { groupName: DEMO_GROUP, id: jobId, bizId: job.bizId, jobStatus: 1 },
    });

    expect(await call(h, 'POST', '/api/job/trigger', { jobId, tmpArgsStr: 'now' })).toEqual({
      status: 1,
      message: 'Request succeeded',
      data: true,
    });
    const [dispatch] = await client.waitForDispatches(1);
    expect(dispatch).toMatchObject({ jobId, argsStr: '{"jobParams":"now"}', executorInfo: 'exportExecutor' });
    // Manual triggers open a new batch each time, whatever the block strategy (DISCARD here).
    expect(await call(h, 'POST', '/api/job/trigger', { jobId })).toMatchObject({ data: true });
    await client.waitForDispatches(2);

    const batch = await call(h, 'GET', `/api/job-batch/detail/{id}?id=${String(dispatch.taskBatchId)}`);
    expect(batch.data).toMatchObject({
      id: dispatch.taskBatchId,
      groupName: DEMO_GROUP,
      jobName: 'nightly-export',
      taskType: '1',
      nodeName: null,
      jobId,
      taskBatchStatus: 2,
      operationReason: 0,
      executorType: 1,
      executorInfo: 'exportExecutor',
      decision: null,
      workflowTaskBatchId: 0,
      workflowNodeId: 0,
    });
    await client.report(dispatch, 3, 'done');
    const finished = await call(h, 'GET', `/api/job-batch/detail/x?id=${String(dispatch.taskBatchId)}`);
    expect(finished.data).toMatchObject({ taskBatchStatus: 3 });
    expect(await call(h, 'GET', '/api/job-batch/detail/x?id=999999')).toMatchObject({
      status: 1,
      data: null,
    });
  });

  it('answers unknown ids as the server does', async () => {
    h = await startHarness([]);
    const empty = (await call(h, 'GET', '/api/job/detail/id?id=424242')).data as Record<string, unknown>;
    expect(Object.values(empty).every((v) => v === null)).toBe(true);
    expect(await call(h, 'POST', '/api/job/trigger', { jobId: 424242 })).toEqual({
      status: 0,
      message: 'job can not be null.',
      data: null,
    });
    expect(await call(h, 'PUT', '/api/job/update', { id: 424242, groupName: DEMO_GROUP })).toMatchObject({
      message: 'Job is null, update failed',
    });
    expect(await call(h, 'PUT', '/api/job/update/status', { id: 424242, status: 0 })).toMatchObject({
      message: 'update job status failed',
    });
    expect(await call(h, 'GET', '/api/job/bizId/detail?bizId=nope')).toMatchObject({ status: 1, data: null });
    expect(await call(h, 'GET', '/api/workflow-batch/detail/id?id=424242')).toMatchObject({
      status: 1,
      data: null,
    });
    expect(await call(h, 'PUT', '/api/workflow/update/status', { id: 424242, status: 1 })).toMatchObject({
      status: 0,
      message: 'System exception',
    });
  });

  it('validates requests with the server messages', async () => {
    h = await startHarness([]);
    expect(await call(h, 'POST', '/api/job/add', clusterJob({ groupName: '' }))).toMatchObject({
      status: 0,
      message: 'groupName groupName cannot be null:',
    });
    expect(await call(h, 'POST', '/api/job/add', clusterJob({ groupName: 'bad group!' }))).toMatchObject({
      message:
        'groupName Only supports 1~64 characters, including numbers, letters, underscores, and hyphens:bad group!',
    });
    expect(await call(h, 'POST', '/api/job/add', clusterJob({ triggerType: 7 }))).toMatchObject({
      message: 'Unknown trigger type',
    });
    expect(await call(h, 'POST', '/api/job/add', clusterJob({ triggerInterval: 'nope' }))).toMatchObject({
      message: 'Expression parsing error.[nope]',
    });
    expect(
      await call(h, 'POST', '/api/job/add', clusterJob({ triggerType: 2, triggerInterval: 'ten' })),
    ).toMatchObject({ message: 'System exception' });
    expect(
      await call(
        h,
        'POST',
        '/api/job/add',
        clusterJob({ triggerType: 5, triggerInterval: '["2001-01-01 00:00:00"]' }),
      ),
    ).toMatchObject({
      message: expect.stringMatching(/^The submission time is less than the current time\./),
    });
    expect(await call(h, 'POST', '/api/job/trigger', {})).toMatchObject({
      message: 'jobId jobId cannot be null:',
    });
    expect(await call(h, 'PUT', '/api/job/update/status', { id: 1, status: 7 })).toMatchObject({
      message: 'Status cannot be empty',
    });
    expect(await call(h, 'POST', '/api/job/add', [1, 2])).toMatchObject({ message: 'Parameter exception' });
    const malformed = await fetch(`${h.server.baseUrl}/snail-job/api/job/add`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: '{"groupName":',
    });
    expect({ code: malformed.status, body: await malformed.json() }).toEqual({
      code: 200,
      body: { status: 0, message: 'Parameter exception', data: null },
    });
    expect(await call(h, 'GET', '/api/job/detail/id')).toMatchObject({ message: 'Parameter exception' });
    expect(await call(h, 'GET', '/api/job/detail/id?id=abc')).toMatchObject({
      message: 'Parameter exception',
    });
    expect(await call(h, 'POST', '/api/workflow/trigger', { workflowId: 1 })).toMatchObject({
      message: 'jobId jobId cannot be null:',
    });
    expect(await call(h, 'POST', '/api/workflow/bizId/trigger', { bizId: 'x' })).toMatchObject({
      message: 'workflowId workflowId cannot be null:',
    });
  });

  it('updates, disables and deletes by id and by bizId', async () => {
    h = await startHarness([]);
    const id = (await call(h, 'POST', '/api/job/add', clusterJob({ triggerType: 2, triggerInterval: '60' })))
      .data;
    const before = Date.now();
    expect(
      await call(h, 'PUT', '/api/job/update', { id, groupName: DEMO_GROUP, jobName: 'renamed' }),
    ).toMatchObject({
      data: true,
    });
    const updated = (await call(h, 'GET', `/api/job/detail/id?id=${String(id)}`)).data as Record<
      string,
      unknown
    >;
    expect(updated).toMatchObject({
      jobName: 'renamed',
      triggerType: 2,
      triggerInterval: '60',
      executorTimeout: 600,
    });
    const next = new Date(String(updated.nextTriggerAt).replace(' ', 'T')).getTime();
    expect(next).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 59_000);

    // Deleting needs the job disabled first.
    expect(await call(h, 'DELETE', '/api/job/delete', [id])).toMatchObject({
      status: 0,
      message:
        'Failed to delete the scheduled task. Ensure the task is closed, and confirm whether the job exists.',
    });
    expect(await call(h, 'PUT', '/api/job/update/status', { id, status: 0 })).toMatchObject({ data: true });
    expect(await call(h, 'DELETE', '/api/job/delete', [id])).toMatchObject({ status: 1, data: true });
    expect(await call(h, 'GET', `/api/job/exists?id=${String(id)}`)).toMatchObject({ data: null });

    const byBiz = await call(h, 'POST', '/api/job/bizId/add', clusterJob({ bizId: 'export-1' }));
    expect(byBiz.status).toBe(1);
    expect(await call(h, 'POST', '/api/job/bizId/add', clusterJob({ bizId: 'export-1' }))).toMatchObject({
      message: 'bizId already exists',
    });
    expect(
      await call(h, 'PUT', '/api/job/bizId/update', {
        bizId: 'export-1',
        groupName: DEMO_GROUP,
        maxRetryTimes: 9,
      }),
    ).toMatchObject({ data: true });
    expect(await call(h, 'GET', '/api/job/bizId/detail?bizId=export-1')).toMatchObject({
      data: { id: byBiz.data, bizId: 'export-1', maxRetryTimes: 9 },
    });
    expect(
      await call(h, 'PUT', '/api/job/bizId/updateStatus', { bizId: 'export-1', status: 0 }),
    ).toMatchObject({
      data: true,
    });
    expect(await call(h, 'GET', '/api/job/bizId/exists?bizId=export-1')).toMatchObject({
      data: { bizId: 'export-1', jobStatus: 0 },
    });
    expect(await call(h, 'DELETE', '/api/job/bizId/delete', { bizIds: ['export-1'] })).toMatchObject({
      data: true,
    });
    expect(await call(h, 'GET', '/api/job/bizId/exists?bizId=export-1')).toMatchObject({ data: null });
  });

  it('triggers workflows and answers the workflow batch with its node tree', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const a = await h.server.createJob({ executorInfo: 'a', taskType: 1, jobName: 'job-a' });
    const b = await h.server.createJob({ executorInfo: 'b', taskType: 1, jobName: 'job-b' });
    const wf = await h.server.createWorkflow({
      name: 'pipeline',
      bizId: 'pipe-1',
      nodes: [
        { id: 'A', jobId: a.id },
        { id: 'B', jobId: b.id },
      ],
      edges: [['A', 'B']],
      wfContext: { env: 'prod' },
    });
    expect(
      await call(h, 'POST', '/api/workflow/trigger', {
        workflowId: wf.id,
        jobId: wf.id,
        tmpWfContext: '{"env":"dev","x":1}',
      }),
    ).toMatchObject({ data: true });
    const [first] = await client.waitForDispatches(1);
    expect(first.wfContext).toBe('{"env":"prod","x":1}');
    await client.report(first, 3);
    const [, second] = await client.waitForDispatches(2);
    const detail = (
      await call(h, 'GET', `/api/workflow-batch/detail/id?id=${String(first.workflowTaskBatchId)}`)
    ).data as Record<string, unknown>;
    expect(detail).toMatchObject({
      id: wf.id,
      bizId: 'pipe-1',
      workflowName: 'pipeline',
      groupName: DEMO_GROUP,
      workflowBatchStatus: 2,
      wfContext: '{"env":"prod","x":1}',
      nodeConfig: {
        nodeType: 1,
        conditionNodes: [
          {
            id: wf.nodeIds.A,
            nodeName: 'A',
            taskBatchStatus: 3,
            jobTask: { jobId: a.id, jobName: 'job-a' },
            jobBatchList: [{ id: first.taskBatchId, nodeName: 'A', taskBatchStatus: 3 }],
            childNode: {
              nodeType: 1,
              conditionNodes: [{ id: wf.nodeIds.B, taskBatchStatus: 2, childNode: null }],
            },
          },
        ],
        childNode: null,
      },
    });
    await client.report(second, 3);
    await h.server.waitForWorkflowBatch(first.workflowTaskBatchId as number, 2000);
    expect(await call(h, 'GET', `/api/workflow/exists?id=${String(wf.id)}`)).toMatchObject({
      data: { id: wf.id, bizId: 'pipe-1', workflowStatus: 1, version: 1 },
    });
    expect(
      await call(h, 'POST', '/api/workflow/bizId/trigger', { bizId: 'pipe-1', workflowId: 0 }),
    ).toMatchObject({
      data: true,
    });
    await client.waitForDispatches(3);
    expect(await call(h, 'DELETE', '/api/workflow/bizId/delete', ['pipe-1'])).toMatchObject({
      message: 'Failed to delete workflow task, please check if the task status is closed',
    });
    expect(
      await call(h, 'PUT', '/api/workflow/bizId/updateStatus', { bizId: 'pipe-1', status: 0 }),
    ).toMatchObject({
      data: true,
    });
    expect(await call(h, 'DELETE', '/api/workflow/bizId/delete', ['pipe-1'])).toMatchObject({ data: true });
    expect(await call(h, 'GET', '/api/workflow/bizId/exists?bizId=pipe-1')).toMatchObject({ data: null });
  });

  it('formats dates in local time', () => {
    expect(formatLocalDateTime(new Date(2026, 0, 2, 3, 4, 5).getTime())).toBe('2026-01-02 03:04:05');
  });
});
