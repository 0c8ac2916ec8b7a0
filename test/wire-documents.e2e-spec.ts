import { format } from 'node:util';
import { Injectable, type INestApplication } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { dispatchBody } from './support/dispatch.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { clientOptions, startClientApp } from './support/client-app.js';

const runs: JobArgs[] = [];

@Injectable()
class DocumentJobs {
  @SnailJob('echoJob')
  echo(args: JobArgs) {
    runs.push(args);
    // Serialising and formatting the args must work for any id.
    return {
      json: JSON.stringify(args).length > 0,
      formatted: format('%j', args).length > 0,
      params: args.jobParams,
    };
  }

  @SnailJob('trickyResult')
  tricky() {
    return { s: '~#sjbig#~1~#sjbig#~', id: 2n ** 60n, '~#sjbig#~2~#sjbig#~': 'key' };
  }
}

/** Replaces the JSON value of `field` in a dispatch body by literal JSON text (ids beyond what JS numbers hold). */
function withLiteral(body: string, field: string, literal: string): string {
  return body.replace(new RegExp(`"${field}":[^,}]+`), `"${field}":${literal}`);
}

describe('JSON documents and ids over real gRPC', () => {
  let server: RawServer;
  let app: INestApplication;
  let caller: RawCaller;

  beforeEach(async () => {
    runs.length = 0;
    server = await new RawServer().start();
    app = await startClientApp(clientOptions(server.port), [DocumentJobs]);
    caller = new RawCaller(app.get(SnailJobTransport).port);
  });

  afterEach(async () => {
    caller.close();
    await app.close();
    await server.close();
  });

  it('refuses a dispatch whose id is outside the Java long range, naming the field, and runs nothing', async () => {
    for (const [field, literal] of [
      ['taskId', '18446744073709551616'],
      ['jobId', '-9223372036854775809'],
      ['taskBatchId', '9223372036854775808'],
    ]) {
      const reply = await caller.call('/job/dispatch/v1', withLiteral(dispatchBody(), field, literal));
      expect(reply.status, field).toBe(0);
      expect(reply.message, field).toBe(`${field} is outside the Java long range, got ${literal}`);
    }
    await new Promise((r) => setTimeout(r, 150));
    expect(runs).toHaveLength(0);
    expect(server.calls('/report/dispatch/result')).toHaveLength(0);
  });

  it('refuses an argsStr or wfContext nested too deep, saying which, and runs nothing', async () => {
    const deep = '['.repeat(1001) + ']'.repeat(1001);
    const args = await caller.call('/job/dispatch/v1', dispatchBody({ argsStr: `{"jobParams":${deep}}` }));
    expect(args).toMatchObject({ status: 0, message: expect.stringContaining('argsStr: nesting too deep') });
    const wf = await caller.call('/job/dispatch/v1', dispatchBody({ taskId: 2, wfContext: `{"k":${deep}}` }));
    expect(wf).toMatchObject({ status: 0, message: expect.stringContaining('wfContext: nesting too deep') });
    await new Promise((r) => setTimeout(r, 150));
    expect(runs).toHaveLength(0);
  });

  it('hands the handler long integers in jobParams as written, and its args serialise with the largest ids', async () => {
    const body = withLiteral(
      dispatchBody({ argsStr: '{"jobParams":{"orderId":9223372036854775807}}' }),
      'taskId',
      '9223372036854775807',
    );
    expect(await caller.call('/job/dispatch/v1', body)).toMatchObject({ status: 1, data: 'true' });
    const [report] = await server.waitFor('/report/dispatch/result');
    expect(runs[0].jobParams).toBe('{"orderId":9223372036854775807}');
    expect(runs[0].taskId).toBe(9223372036854775807n);
    expect(report.body).toContain('"taskId":9223372036854775807');
    expect(report.body).toContain('"taskStatus":3');
    expect(report.body).toContain('"result":{"json":true,"formatted":true');
  });

  it('reports a result whose strings hold placeholder-like text exactly', async () => {
    await caller.call('/job/dispatch/v1', dispatchBody({ executorInfo: 'trickyResult' }));
    const [report] = await server.waitFor('/report/dispatch/result');
    expect(report.body).toContain(
      '"result":{"s":"~#sjbig#~1~#sjbig#~","id":1152921504606846976,"~#sjbig#~2~#sjbig#~":"key"}',
    );
  });
});
