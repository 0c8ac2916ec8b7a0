import { ServerUri } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClient } from '../../test/fake-client.js';
import { startHarness, type Harness } from '../../test/harness.js';

describe('registration (docs/protocol.md §3.1–§3.3, §8)', () => {
  let h: Harness | undefined;
  const extra: FakeClient[] = [];

  afterEach(async () => {
    await Promise.all(extra.splice(0).map((c) => c.close()));
    await h?.close();
  });

  it('answers a beat with PONG but schedules the node only at the registration sweep', async () => {
    h = await startHarness([], { sweepIntervalMs: 60_000 });
    const client = await FakeClient.start(h.server.grpcPort);
    extra.push(client);
    expect(await client.beat()).toEqual({ reqId: '0', status: 1, message: '', data: '"PONG"' });
    expect(await h.server.nodes()).toEqual([]);
  });

  it('lists the node after the sweep, with labels and ext-attrs from the headers', async () => {
    h = await startHarness([]);
    const client = await FakeClient.start(h.server.grpcPort, { labels: { state: 'up', zone: 'a' } });
    extra.push(client);
    await client.beat();
    const [node] = await h.server.waitForNodes(1, 2000);
    expect(node).toMatchObject({
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      hostId: client.hostId,
      hostIp: '127.0.0.1',
      hostPort: client.port,
      labels: { state: 'up', zone: 'a' },
      extAttrs: { executorType: '1', systemVersion: 'fake-0.0.1' },
      alive: true,
    });
  });

  it('fails a beat whose host-port is not numeric, like Integer.valueOf', async () => {
    h = await startHarness([]);
    const client = await FakeClient.start(h.server.grpcPort);
    extra.push(client);
    const reply = await client.call(ServerUri.BEAT, '["PING"]', { ...client.headers(), 'host-port': 'abc' });
    expect(reply).toMatchObject({ status: 0, message: 'For input string: "abc"', data: 'null' });
  });

  it('drops nodes whose last processed beat is too old', async () => {
    h = await startHarness([{}], { nodeExpiryMs: 100, livenessIntervalMs: 30 });
    await expect.poll(() => h!.server.nodes(), { timeout: 2000 }).toEqual([]);
  });

  it('registers executors with the exact replies', async () => {
    h = await startHarness([{}]);
    const [client] = h.clients;
    expect(await client.registerExecutors('demoCluster', 'demoMap')).toEqual({
      reqId: '1',
      status: 1,
      message: 'Batch Register Job Executors Processed Successfully',
      data: 'true',
    });
    expect(await client.call(ServerUri.REGISTER_EXECUTORS, '[null]')).toMatchObject({
      status: 0,
      message: 'Beat register job executors arg is null',
      data: 'false',
    });
    expect((await h.server.executors()).map((e) => [e.executorInfo, e.executorType])).toEqual([
      ['demoCluster', '1'],
      ['demoMap', '1'],
    ]);
  });

  it('answers success but stores nothing without an executor-type header', async () => {
    h = await startHarness([{ executorType: null }]);
    const reply = await h.clients[0].registerExecutors('lost');
    expect(reply.data).toBe('true');
    expect(await h.server.executors()).toEqual([]);
  });

  it('pushes /sync/version with version + 1 to the group', async () => {
    h = await startHarness([{}]);
    const [client] = h.clients;
    const result = await h.server.pushConfig();
    expect(result).toEqual({ version: 2, nodes: [{ hostId: client.hostId, status: 1, message: '' }] });
    const [push] = client.calls('/sync/version');
    expect(push.body).toBe('[{"notifyList":[],"sceneList":[],"version":2}]');
    expect(push.headers).toMatchObject({
      'SJ-TOKEN': 'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj',
      token: 'SJ_H9HGGmrX3QBVTfsAAG2mcKH3SR7bCLsK',
      'group-name': 'DEFAULT_SERVER',
      namespace: '764d604ec6fc45f68cd92514c40e9e1a',
      'host-ip': '127.0.0.1',
      'host-port': String(h.server.grpcPort),
    });
    expect((await client.call(ServerUri.SYNC_VERSION, 'null')).data).toBe(
      '{"notifyList":[],"sceneList":[],"version":2}',
    );
  });
});
