import { Logger } from '@nestjs/common';
import { of } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { Header } from '../protocol/headers.js';
import type { WireRequest } from '../protocol/proto-descriptor.js';
import { ClientIdentity } from './client-identity.js';
import { ServerChannel } from './server-channel.js';
import { SnailJobTransport, type InboundCall, type SnailJobContext } from './snail-job.transport.js';

const TOKEN = 'SJ_test_token';

function envelope(uri: string, body: string, token = TOKEN): WireRequest {
  return { reqId: '9', metadata: { uri, headers: { [Header.SJ_TOKEN]: token } }, body };
}

describe('SnailJobTransport', () => {
  let transport: SnailJobTransport;
  let identity: ClientIdentity;

  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    identity = new ClientIdentity();
    const options = resolveOptions(
      { token: TOKEN, client: { port: 0, bindHost: '127.0.0.1', host: '127.0.0.1' } },
      {},
    );
    transport = new SnailJobTransport(options, identity, new SnailJobInstrumentation());
  });
  afterEach(async () => {
    await transport.close(100);
    vi.restoreAllMocks();
  });

  it('routes a call by URI path to its handler with the decoded args, headers and an RPC context', async () => {
    let seen: { call: InboundCall; uri: string } | undefined;
    transport.addHandler('/job/stop/v1', ((call: InboundCall, context: SnailJobContext) => {
      seen = { call, uri: context.getUri() };
      return { status: 1, data: true };
    }) as never);
    const result = await transport.handle(envelope('/job/stop/v1?x=1', '[{"taskBatchId":5}]'));
    expect(result).toEqual({ reqId: '9', status: 1, message: '', data: 'true' });
    expect(seen?.call.args).toEqual([{ taskBatchId: 5 }]);
    expect(seen?.call.headers[Header.SJ_TOKEN]).toBe(TOKEN);
    expect(seen?.uri).toBe('/job/stop/v1');
  });

  it('unwraps a handler that answers with an Observable (Nest interceptors do)', async () => {
    transport.addHandler('/sync/version', (() => of({ status: 1, data: null })) as never);
    expect(await transport.handle(envelope('/sync/version', '[{"version":2}]'))).toMatchObject({
      status: 1,
      data: 'null',
    });
  });

  it('answers status 0, never a gRPC error: wrong token, unknown URI, retry-module URI, handler that throws', async () => {
    transport.addHandler('/job/dispatch/v1', (() => {
      throw new Error('boom');
    }) as never);
    const errors: unknown[] = [];
    transport.on('error', (error) => errors.push(error));
    expect(await transport.handle(envelope('/job/dispatch/v1', '[]', 'wrong'))).toMatchObject({
      status: 0,
      message: 'Authentication failed. [Please check if the configured Token is correct]',
    });
    expect((await transport.handle(envelope('/nope', '[]'))).status).toBe(0);
    expect((await transport.handle(envelope('/retry/dispatch/v1', '[]'))).message).toContain('retry');
    expect(await transport.handle(envelope('/job/dispatch/v1', '[]'))).toMatchObject({
      status: 0,
      message: 'boom',
    });
    expect(errors).toHaveLength(1);
  });

  it('binds once however often listen() is called, and a ServerChannel reaches it over real gRPC', async () => {
    transport.addHandler('/beat', (() => ({ status: 1, data: 'PONG' })) as never);
    const listened = await Promise.all([
      new Promise<unknown>((resolve) => transport.listen(resolve)),
      new Promise<unknown>((resolve) => transport.listen(resolve)),
    ]);
    expect(listened).toEqual([undefined, undefined]);
    expect(transport.isServing()).toBe(true);
    expect(transport.port).toBeGreaterThan(0);
    // The channel speaks to our own transport: headers of docs/protocol.md §2.1 and the envelope of §1.3.
    const channelOptions = resolveOptions(
      { token: TOKEN, server: { host: '127.0.0.1', port: transport.port }, client: { host: '127.0.0.1' } },
      {},
    );
    const channel = new ServerChannel(channelOptions, identity, new SnailJobInstrumentation());
    try {
      const headers = channel.headers({ [Header.SJ_TOKEN]: TOKEN });
      expect(headers).toMatchObject({ [Header.GROUP_NAME]: channelOptions.group, [Header.TOKEN]: TOKEN });
      const reply = await channel.call('/beat', ['PING'], { headers: { [Header.SJ_TOKEN]: TOKEN } });
      expect(reply).toMatchObject({ status: 1, data: '"PONG"' });
    } finally {
      channel.close();
    }
  });
});
