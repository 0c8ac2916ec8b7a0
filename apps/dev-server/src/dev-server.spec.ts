import { ServerUri } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClient } from '../test/fake-client.js';
import { startHarness, type Harness } from '../test/harness.js';

describe('dev server API', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('serves the HTTP API: create + trigger, batches, long-poll 408, errors', async () => {
    h = await startHarness();
    const url = h.server.baseUrl;
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post('/api/trigger', { executorInfo: 'demo', taskType: 'CLUSTER', argsStr: 'x' });
    expect(created.status).toBe(201);
    const { jobId, taskBatchId } = (await created.json()) as { jobId: number; taskBatchId: number };
    const batch = await (await fetch(`${url}/api/batches/${taskBatchId}`)).json();
    expect(batch).toMatchObject({ id: taskBatchId, jobId, statusName: 'RUNNING', taskType: 1 });
    const waited = await fetch(`${url}/api/batches/${taskBatchId}/wait?timeoutMs=50`);
    expect(waited.status).toBe(408);
    expect(await waited.json()).toMatchObject({ id: taskBatchId, statusName: 'RUNNING' });
    const [d] = await h.clients[0].waitForDispatches(1);
    const finished = fetch(`${url}/api/batches/${taskBatchId}/wait?timeoutMs=5000`);
    await h.clients[0].report(d, 3);
    expect(await (await finished).json()).toMatchObject({ statusName: 'SUCCESS' });
    const list = (await (await fetch(`${url}/api/batches?jobId=${jobId}`)).json()) as unknown[];
    expect(list).toHaveLength(1);

    const bad = await post('/api/jobs', { executorInfo: 'x', taskType: 1, routeKey: 42 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('field "routeKey" must be one of');
    const unknownGroup = await post('/api/jobs', { executorInfo: 'x', taskType: 1, groupName: 'nope' });
    expect(((await unknownGroup.json()) as { message: string }).message).toContain('Group "nope"');
    expect((await fetch(`${url}/api/batches/999999`)).status).toBe(404);
    expect((await fetch(`${url}/api/batches/abc`)).status).toBe(400);

    const beats = (await (await fetch(`${url}/api/requests?uri=/beat&limit=1`)).json()) as { uri: string }[];
    expect(beats).toEqual([expect.objectContaining({ uri: '/beat', direction: 'in' })]);
    const nodes = (await (await fetch(`${url}/api/nodes`)).json()) as { hostId: string }[];
    expect(nodes.map((n) => n.hostId)).toEqual([h.clients[0].hostId]);
  });

  it('adds groups over HTTP and authenticates their clients', async () => {
    h = await startHarness([]);
    const res = await fetch(`${h.server.baseUrl}/api/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ groupName: 'orders', token: 'SJ_orders' }),
    });
    expect(res.status).toBe(201);
    const client = await FakeClient.start(h.server.grpcPort, { groupName: 'orders', token: 'SJ_orders' });
    try {
      expect((await client.beat()).data).toBe('"PONG"');
      await h.server.waitForNodes(1, 2000, 'orders');
    } finally {
      await client.close();
    }
  });

  it('injects status-0 faults and delays on a URI', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const { taskBatchId } = await h.server.createAndTrigger({ executorInfo: 'c', taskType: 1 });
    const [d] = await client.waitForDispatches(1);
    await h.server.injectFault({ uri: ServerUri.REPORT_RESULT, status0Count: 1, delayMs: 100 });
    const started = Date.now();
    expect(await client.report(d, 3)).toMatchObject({ status: 0, message: 'injected fault', data: 'null' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect((await h.server.getBatch(taskBatchId)).statusName).toBe('RUNNING'); // without effect
    await h.server.clearFaults();
    expect((await client.report(d, 3)).status).toBe(1);
    expect((await h.server.waitForBatch(taskBatchId, 2000)).statusName).toBe('SUCCESS');
  });

  it('pauses and resumes the gRPC server on the same port, keeping all state', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const port = h.server.grpcPort;
    const { taskBatchId } = await h.server.createAndTrigger({ executorInfo: 'c', taskType: 1 });
    const [d] = await client.waitForDispatches(1);
    await h.server.pauseGrpc();
    await expect(client.beat()).rejects.toThrow();
    await h.server.resumeGrpc();
    expect(h.server.grpcPort).toBe(port);
    await expect
      .poll(
        () =>
          client.report(d, 3, 'after restart').then(
            (r) => r.status,
            () => -1,
          ),
        { timeout: 8000, interval: 100 },
      )
      .toBe(1);
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch).toMatchObject({
      statusName: 'SUCCESS',
      tasks: [expect.objectContaining({ result: 'after restart' })],
    });
    expect((await h.server.nodes()).map((n) => n.hostId)).toEqual([client.hostId]);
  });

  it('round-trips ids above 2^53 (as strings in the API, as JSON numbers on the wire)', async () => {
    const base = 2n ** 53n + 10n;
    h = await startHarness([{}], { idBase: base });
    const [client] = h.clients;
    const { jobId, taskBatchId } = await h.server.createAndTrigger({ executorInfo: 'c', taskType: 1 });
    expect([jobId, taskBatchId]).toEqual([String(base), String(base + 1n)]);
    const [call] = await client.waitForCalls('/job/dispatch/v1', 1);
    expect(call.body).toContain(`"jobId":${base},`);
    expect(call.body).toContain(`"taskId":${base + 2n},`);
    const d = client.dispatches()[0];
    expect(d.taskId).toBe(base + 2n);
    await client.report(d, 3);
    const batch = await h.server.waitForBatch(taskBatchId, 2000);
    expect(batch.tasks[0].id).toBe(String(base + 2n));
  });

  it('stores reported logs per task, dropping value-less fields and entries without taskId', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const entry = (taskId: number | undefined, message: string, time: number) => ({
      logType: 'JOB',
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      jobId: 1,
      taskBatchId: 2,
      taskId,
      realTime: time,
      fieldList: [
        { name: 'time_stamp', value: String(time) },
        { name: 'level', value: 'INFO' },
        { name: 'message', value: message },
        { name: 'throwable' },
      ],
    });
    const reply = await client.send(ServerUri.REPORT_LOG, [entry(3, 'one', 100), entry(3, 'two', 101)]);
    expect(reply).toMatchObject({
      status: 1,
      message: 'Batch Log Retry Data Upload Processed Successfully',
      data: 'true',
    });
    await client.send(ServerUri.REPORT_LOG, [entry(3, 'lost', 102), entry(undefined, 'no task', 103)]);
    await expect.poll(() => h.server.logs(3)).toHaveLength(2);
    const logs = await h.server.logs(3);
    expect(logs.map((l) => l.fields)).toEqual([
      { time_stamp: '100', level: 'INFO', message: 'one' },
      { time_stamp: '101', level: 'INFO', message: 'two' },
    ]);
    expect(await h.server.batchLogs(2)).toHaveLength(2);
  });
});
