import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_OPTIONS } from '../../test/harness.js';
import { type DevServer, startDevServer } from '../dev-server.js';
import { consoleBuilt } from './console-assets.js';

describe('console routes', () => {
  let server: DevServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), text, json: () => JSON.parse(text) };
  };

  beforeEach(async () => {
    server = await startDevServer(TEST_OPTIONS);
  });
  afterEach(() => server.close());

  it('serves the built page at / and its hashed assets, nothing outside them', async () => {
    // `npm test` builds first (pretest), so the page is there.
    expect(consoleBuilt()).toBe(true);
    const page = await call('GET', '/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    const script = /src="\/assets\/([^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const js = await call('GET', `/assets/${script}`);
    expect(js.status).toBe(200);
    expect(js.type).toMatch(/javascript/);
    expect(page.text).not.toMatch(/https?:\/\//); // no CDN
    expect((await call('GET', '/assets/..%2Findex.html')).status).toBe(404);
    expect((await call('GET', '/assets/nope.js')).status).toBe(404);
    expect((await call('GET', '/api/jobs')).status).toBe(200);
  });

  it('edits a job with a partial body, keeping its id and bizId; refuses bad fields', async () => {
    const { id } = await server.createJob({ executorInfo: 'a', taskType: 'CLUSTER', argsStr: 'x' });
    const before = await server.getJob(id);
    const edited = await call('PUT', `/api/jobs/${id}`, {
      argsStr: 'y',
      maxRetryTimes: 3,
      taskType: 'SHARDING',
    });
    expect(edited.status).toBe(200);
    // A job without a schedule is stored as SnailJob's "workflow only" one (never scheduled by itself).
    expect(edited.json()).toEqual({
      ...before,
      argsStr: 'y',
      maxRetryTimes: 3,
      taskType: 3,
      triggerInterval: '*',
    });
    const bad = await call('PUT', `/api/jobs/${id}`, { parallelNum: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json().message).toBe('Job: field "parallelNum" must be an integer ≥ 1; got 0.');
    const biz = await call('PUT', `/api/jobs/${id}`, { bizId: 'other' });
    expect(biz.status).toBe(400);
    expect((await call('PUT', `/api/jobs/${id}`, { groupName: 'nope' })).status).toBe(400);
    expect((await call('PUT', '/api/jobs/999', {})).status).toBe(404);
    expect(await server.getJob(id)).toEqual(edited.json());

    // A schedule set in the console is validated and computed as the OpenAPI's update does it.
    const t0 = Date.now();
    const fixed = await call('PUT', `/api/jobs/${id}`, { triggerType: 'FIXED', triggerInterval: 30 });
    expect(fixed.json()).toMatchObject({ triggerType: 2, triggerInterval: '30', argsStr: 'y' });
    expect(fixed.json().nextTriggerAt).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(fixed.json().nextTriggerAt).toBeLessThan(Date.now() + 31_000);
    const cron = await call('PUT', `/api/jobs/${id}`, { triggerType: 'CRON', triggerInterval: 'nope' });
    expect(cron.status).toBe(400);
    expect((await server.getJob(id)).triggerType).toBe(2);
  });

  it('deletes only a disabled job that no workflow uses (AbstractJobService.deleteJobByIds)', async () => {
    const { id } = await server.createJob({ executorInfo: 'a', taskType: 1 });
    const { id: used } = await server.createJob({ executorInfo: 'b', taskType: 1, jobStatus: 0 });
    await server.createWorkflow({ name: 'wf', nodes: [{ id: 'n', jobId: used }] });

    const enabled = await call('DELETE', `/api/jobs/${id}`);
    expect(enabled.status).toBe(400);
    expect(enabled.json().message).toBe(`Job ${id} is enabled: disable it before deleting it.`);
    expect((await call('PUT', `/api/jobs/${id}/status`, { jobStatus: 2 })).status).toBe(400);
    expect((await call('PUT', `/api/jobs/${id}/status`, {})).status).toBe(400);
    const disabled = await call('PUT', `/api/jobs/${id}/status`, { jobStatus: 0 });
    expect(disabled.json()).toMatchObject({ id, jobStatus: 0 });
    expect((await call('DELETE', `/api/jobs/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/jobs/${id}`)).status).toBe(404);

    const inWorkflow = await call('DELETE', `/api/jobs/${used}`);
    expect(inWorkflow.status).toBe(400);
    expect(inWorkflow.json().message).toMatch(/is used by workflow\(s\) \d+ \(wf\)/);
  });

  it('lists workflows and their runs, newest first', async () => {
    const { id: jobId } = await server.createJob({ executorInfo: 'a', taskType: 1 });
    const wf = await server.createWorkflow({
      name: 'two',
      nodes: [
        { id: 'a', jobId },
        { id: 'b', jobId, failStrategy: 'SKIP' },
      ],
      edges: [['a', 'b']],
      wfContext: { k: 1 },
    });
    const list = (await call('GET', '/api/workflows')).json();
    expect(list).toEqual([
      {
        id: wf.id,
        name: 'two',
        namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
        groupName: 'snail_job_demo_group',
        nodes: [
          { nodeId: wf.nodeIds.a, key: 'a', jobId, failStrategy: 'BLOCK' },
          { nodeId: wf.nodeIds.b, key: 'b', jobId, failStrategy: 'SKIP' },
        ],
        edges: [[wf.nodeIds.a, wf.nodeIds.b]],
        wfContext: '{"k":1}',
        executorTimeout: 60,
        createdAt: expect.any(Number),
      },
    ]);
    const first = await server.triggerWorkflow(wf.id);
    const second = await server.triggerWorkflow(wf.id);
    const runs = (await call('GET', `/api/workflow-batches?workflowId=${wf.id}`)).json();
    expect(runs.map((r: { id: unknown }) => r.id)).toEqual([
      second.workflowTaskBatchId,
      first.workflowTaskBatchId,
    ]);
    expect(runs[0]).toEqual(await server.getWorkflowBatch(second.workflowTaskBatchId));
    expect((await call('GET', '/api/workflow-batches?workflowId=x')).status).toBe(400);
  });
});
