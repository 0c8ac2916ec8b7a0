import { DEFAULT_SERVER_TOKEN, DEMO_TOKEN, ServerUri } from 'nestjs-snail-job/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClient } from '../../test/fake-client.js';
import { startHarness, type Harness } from '../../test/harness.js';

describe('client → server envelope (docs/protocol.md §1.3, §2.3)', () => {
  let h: Harness;
  let client: FakeClient;

  beforeEach(async () => {
    h = await startHarness([]);
    client = await FakeClient.start(h.server.grpcPort);
  });

  afterEach(async () => {
    await client.close();
    await h.close();
  });

  it('rejects a wrong token with the exact Java text', async () => {
    const headers = { ...client.headers(), token: 'nope' };
    const reply = await client.call(ServerUri.BEAT, '["PING"]', headers);
    expect(reply).toEqual({
      reqId: '0',
      status: 0,
      message: `Token authentication failed. [namespace:764d604ec6fc45f68cd92514c40e9e1a groupName:snail_job_demo_group token:nope]`,
      data: 'null',
    });
  });

  it('prints null for absent values and fails unknown groups', async () => {
    const { token: _t, ...noToken } = client.headers();
    expect((await client.call(ServerUri.BEAT, 'null', noToken)).message).toBe(
      'Token authentication failed. [namespace:764d604ec6fc45f68cd92514c40e9e1a groupName:snail_job_demo_group token:null]',
    );
    const unknownGroup = { ...client.headers(), 'group-name': 'other' };
    expect((await client.call(ServerUri.BEAT, 'null', unknownGroup)).message).toBe(
      `Token authentication failed. [namespace:764d604ec6fc45f68cd92514c40e9e1a groupName:other token:${DEMO_TOKEN}]`,
    );
    const { 'group-name': _g, ...noGroup } = client.headers();
    const npe = await client.call(ServerUri.BEAT, 'null', noGroup);
    expect(npe.status).toBe(0);
    expect(npe.message).toContain('"groupName" is null');
  });

  it('checks DEFAULT_SERVER against the server token', async () => {
    const headers = { ...client.headers(), 'group-name': 'DEFAULT_SERVER', token: DEFAULT_SERVER_TOKEN };
    expect((await client.call('/unknown/v1', 'null', headers)).message).toBe(
      'No matching handler found. Path:[/unknown/v1] method:[{}]',
    );
  });

  it('answers unknown paths with status 0 and matches on the path only', async () => {
    const reply = await client.call('/job/nothing?x=1', '[]');
    expect(reply.status).toBe(0);
    expect(reply.message).toBe('No matching handler found. Path:[/job/nothing] method:[{}]');
    expect(reply.data).toBe('null');
    expect((await client.call('/beat?x=1', '["PING"]')).data).toBe('"PONG"');
  });

  it('echoes reqId and journals the raw request', async () => {
    await client.call(ServerUri.SYNC_VERSION, 'null');
    const reply = await client.call(ServerUri.SYNC_VERSION, 'null');
    expect(reply).toEqual({
      reqId: '1',
      status: 1,
      message: '',
      data: '{"notifyList":[],"sceneList":[],"version":1}',
    });
    const journal = await h.server.requests(ServerUri.SYNC_VERSION);
    expect(journal).toHaveLength(2);
    expect(journal[1]).toMatchObject({ direction: 'in', uri: '/sync/version', reqId: '1', body: 'null' });
    expect(journal[1].headers['host-id']).toBe(client.hostId);
    expect(journal[1].reply?.data).toBe(reply.data);
  });

  it('never answers a blank uri, and still closes', async () => {
    await expect(client.call('  ', '[]', client.headers(), 300)).rejects.toThrow('timeout');
    const [entry] = await h.server.requests('  ');
    expect(entry).toMatchObject({ uri: '  ', body: '[]' });
    expect(entry.reply).toBeUndefined();
  });

  it('answers a malformed body with status 0', async () => {
    const reply = await client.call(ServerUri.REPORT_RESULT, '{"not":"an array"}');
    expect(reply.status).toBe(0);
    expect(reply.message).toContain('Malformed request body');
  });
});
