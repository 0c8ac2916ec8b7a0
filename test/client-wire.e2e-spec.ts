import { Injectable, type INestApplication } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecuteResult, SnailJob, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { dispatchBody } from './support/dispatch.js';
import { RawCaller, RawServer, serverHeaders } from './support/raw-peer.js';
import { clientOptions, startClientApp } from './support/client-app.js';

@Injectable()
class WireJobs {
  @SnailJob('echoJob')
  echo(args: JobArgs) {
    return { params: args.jobParams, taskId: String(args.taskId) };
  }

  @SnailJob('failJob')
  fail() {
    return ExecuteResult.failure({ code: 7 }, 'business rule violated');
  }

  @SnailJob('throwJob')
  async throws() {
    await new Promise((r) => setTimeout(r, 5));
    throw new Error('boom');
  }
}

describe('client wire protocol against a bare gRPC peer', () => {
  let server: RawServer;
  let app: INestApplication;
  let caller: RawCaller;

  beforeEach(async () => {
    server = await new RawServer().start();
    app = await startClientApp(clientOptions(server.port, { labels: { zone: 'a' } }), [WireJobs]);
    caller = new RawCaller(app.get(SnailJobTransport).port);
  });

  afterEach(async () => {
    caller.close();
    await app.close();
    await server.close();
  });

  it('registers with a beat carrying every header of docs/protocol.md §2.1 and the label header', async () => {
    const [beat] = await server.waitFor('/beat');
    const h = beat.headers;
    expect(h['host-id']).toMatch(/^node-\d+-[0-9a-f]{12}$/);
    expect(h['host-id'].length).toBeLessThanOrEqual(64);
    expect(h['host-ip']).toBe('127.0.0.1');
    expect(h['host-port']).toBe(String(app.get(SnailJobTransport).port));
    expect(h['group-name']).toBe('snail_job_demo_group');
    expect(h.namespace).toBe('764d604ec6fc45f68cd92514c40e9e1a');
    expect(h.token).toBe('SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj');
    expect(h['executor-type']).toBe('1');
    expect(h.version).toBe('0');
    expect(h['system-version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(h.Host).toBe('127.0.0.1');
    expect(JSON.parse(h.label)).toEqual({ zone: 'a', state: 'up' });
    expect(JSON.parse(beat.body)).toEqual(['PING', { zone: 'a', state: 'up' }]);
    const [reg] = await server.waitFor('/register/job/executors');
    expect(JSON.parse(reg.body)).toEqual([
      [{ executorInfo: 'echoJob' }, { executorInfo: 'failJob' }, { executorInfo: 'throwJob' }],
    ]);
    expect(reg.headers['executor-type']).toBe('1');
    const [sync] = await server.waitFor('/sync/version');
    expect(sync.body).toBe('null');
  });

  it('acknowledges a cluster dispatch at once and reports the exact result JSON', async () => {
    const reply = await caller.call('/job/dispatch/v1', dispatchBody());
    expect(reply).toMatchObject({ status: 1, data: 'true' });
    const [report] = await server.waitFor('/report/dispatch/result');
    expect(JSON.parse(report.body)).toEqual([
      {
        jobId: 7,
        taskBatchId: 1201,
        taskId: 3301,
        taskType: 1,
        groupName: 'snail_job_demo_group',
        taskStatus: 3,
        executeResult: {
          status: 1,
          message: 'Task executed successfully',
          result: { params: 'hello', taskId: '3301' },
        },
        retryStatus: false,
        retry: false,
      },
    ]);
    expect(report.body).not.toContain('RetryStatus');
    expect(report.body).not.toContain('workflowTaskBatchId');
  });

  it('reports ExecuteResult.failure and thrown errors as FAIL with their messages', async () => {
    await caller.call('/job/dispatch/v1', dispatchBody({ executorInfo: 'failJob', taskId: 1 }));
    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'throwJob', taskId: 2, taskBatchId: 2 }),
    );
    const reports = (await server.waitFor('/report/dispatch/result', 2)).map(
      (r) => (JSON.parse(r.body) as Record<string, unknown>[])[0],
    );
    const byTask = new Map(reports.map((r) => [r.taskId, r]));
    expect(byTask.get(1)).toMatchObject({
      taskStatus: 4,
      executeResult: { status: 0, message: 'business rule violated', result: { code: 7 } },
    });
    expect(byTask.get(2)).toMatchObject({ taskStatus: 4, executeResult: { status: 0, message: 'boom' } });
    expect(byTask.get(2)!.executeResult).not.toHaveProperty('result');
  });

  it('round-trips ids above 2^53 exactly', async () => {
    const big = dispatchBody({ jobId: 1, taskBatchId: 2, taskId: 3 })
      .replace('"jobId":1', '"jobId":9223372036854775807')
      .replace('"taskBatchId":2', '"taskBatchId":9007199254740993')
      .replace('"taskId":3', '"taskId":9007199254740995');
    expect(await caller.call('/job/dispatch/v1', big)).toMatchObject({ status: 1, data: 'true' });
    const [report] = await server.waitFor('/report/dispatch/result');
    expect(report.body).toContain('"jobId":9223372036854775807');
    expect(report.body).toContain('"taskBatchId":9007199254740993');
    expect(report.body).toContain('"taskId":9007199254740995');
    expect(report.body).toContain('"taskId":"9007199254740995"');
  });

  it('refuses an unknown executor with status 1, data false, the registered names and the closest match', async () => {
    const reply = await caller.call('/job/dispatch/v1', dispatchBody({ executorInfo: 'echoJb' }));
    expect(reply.status).toBe(1);
    expect(reply.data).toBe('false');
    expect(reply.message).toContain('Executor configuration is incorrect');
    expect(reply.message).toContain('echoJob, failJob, throwJob');
    expect(reply.message).toContain('Did you mean "echoJob"?');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.calls('/report/dispatch/result')).toHaveLength(0);
  });

  it('refuses calls whose SJ-TOKEN does not match, without running the job', async () => {
    const reply = await caller.call('/job/dispatch/v1', dispatchBody(), serverHeaders('SJ_wrong'));
    expect(reply).toMatchObject({
      status: 0,
      data: 'null',
      message: 'Authentication failed. [Please check if the configured Token is correct]',
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.calls('/report/dispatch/result')).toHaveLength(0);
  });

  it('answers malformed bodies with status 0 and keeps working', async () => {
    for (const body of ['{', '{"a":1}', '[null]', '[{"jobId":"x"}]', '[1]', '"str"']) {
      const reply = await caller.call('/job/dispatch/v1', body);
      expect(reply.status, body).toBe(0);
      expect(reply.message, body).not.toBe('');
    }
    expect(await caller.call('/job/dispatch/v1', dispatchBody())).toMatchObject({ status: 1, data: 'true' });
    await server.waitFor('/report/dispatch/result');
  });

  it('answers stop and config push with status 1, and unknown URIs with status 0', async () => {
    expect(await caller.call('/job/stop/v1', '[{"jobId":1,"taskBatchId":99,"groupName":"g"}]')).toMatchObject(
      {
        status: 1,
        data: 'true',
      },
    );
    expect(await caller.call('/sync/version', '[{"version":5}]')).toMatchObject({ status: 1, data: 'null' });
    expect((await caller.call('/nope', 'null')).status).toBe(0);
    expect((await caller.call('/retry/dispatch/v1', 'null')).message).toContain('retry-module');
  });

  it('de-duplicates a repeated delivery of the same task, retry count and retry flag', async () => {
    await caller.call('/job/dispatch/v1', dispatchBody());
    await caller.call('/job/dispatch/v1', dispatchBody());
    await server.waitFor('/report/dispatch/result');
    await new Promise((r) => setTimeout(r, 150));
    expect(server.calls('/report/dispatch/result')).toHaveLength(1);
    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ retryStatus: true, retry: true, retryScene: 1, retryCount: 1 }),
    );
    const reports = await server.waitFor('/report/dispatch/result', 2);
    expect(JSON.parse(reports[1].body)[0]).toMatchObject({ retryStatus: true, retryScene: 1, retry: false });
  });
});
