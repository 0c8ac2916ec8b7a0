import { Injectable, type INestApplication } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody } from './support/dispatch.js';
import { LogCapture } from './support/log-capture.js';
import { RawCaller, RawServer, serverHeaders } from './support/raw-peer.js';
import { sleep, waitUntil } from './support/wait.js';

const runs: { taskId: string; signal: AbortSignal }[] = [];

@Injectable()
class GuardedJobs {
  @SnailJob('echoJob')
  echo(args: JobArgs) {
    runs.push({ taskId: String(args.taskId), signal: args.signal });
    return args.jobParams?.length ?? 0;
  }

  @SnailJob('waitForAbort')
  async wait(args: JobArgs) {
    runs.push({ taskId: String(args.taskId), signal: args.signal });
    await new Promise((resolve) => args.signal.addEventListener('abort', resolve));
  }
}

const AUTH_FAILED = 'Authentication failed. [Please check if the configured Token is correct]';
const TOKEN = 'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj';

/** Header sets that must all be refused. */
function badHeaders(): [string, Record<string, string>][] {
  const good = serverHeaders();
  const without = { ...good };
  delete without['SJ-TOKEN'];
  return [
    ['a wrong token', serverHeaders('SJ_wrong')],
    ['no SJ-TOKEN header', without],
    ['an empty token', serverHeaders('')],
    ['the token with a trailing space', serverHeaders(`${TOKEN} `)],
    ['the token in lower case', serverHeaders(TOKEN.toLowerCase())],
    ['the key "sj-token"', { ...without, 'sj-token': TOKEN }],
    ['the key "Sj-Token"', { ...without, 'Sj-Token': TOKEN }],
    ['the group token only in "token"', { ...without, token: TOKEN }],
  ];
}

const URIS: [string, string][] = [
  ['/job/dispatch/v1', dispatchBody({ taskId: 999, taskBatchId: 999 })],
  ['/job/stop/v1', '[{"jobId":7,"taskBatchId":500,"groupName":"g"}]'],
  ['/sync/version', '[{"version":42}]'],
  ['/no/such/uri', 'null'],
  ['/retry/dispatch/v1', 'null'],
  ['/retry/stop/v1', 'null'],
  ['/retry/callback/v1', 'null'],
  ['/retry/generate/idempotent-id/v1', 'null'],
  ['/retry/deserialize/args/v1', 'null'],
];

describe('security', () => {
  let server: RawServer;
  let app: INestApplication;
  let caller: RawCaller;

  beforeAll(async () => {
    server = await new RawServer().start();
    app = await startClientApp(clientOptions(server.port, { heartbeatIntervalMs: 200 }), [GuardedJobs]);
    caller = new RawCaller(app.get(SnailJobTransport).port);
    await server.waitFor('/beat');
  });

  afterAll(async () => {
    caller.close();
    await app.close();
    await server.close();
  });

  describe.each(URIS)('SJ-TOKEN on %s', (uri, body) => {
    it.each(badHeaders())('refuses %s with status 0 and the Java message', async (_what, headers) => {
      expect(await caller.call(uri, body, headers)).toMatchObject({
        status: 0,
        message: AUTH_FAILED,
        data: 'null',
      });
    });
  });

  it('a dispatch with a bad token runs nothing', async () => {
    await sleep(200);
    expect(runs.filter((r) => r.taskId === '999')).toHaveLength(0);
    expect(server.calls('/report/dispatch/result')).toHaveLength(0);
  });

  it('a stop with a bad token stops nothing; the right token does', async () => {
    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'waitForAbort', taskId: 1, taskBatchId: 500 }),
    );
    await waitUntil(() => runs.some((r) => r.taskId === '1'));
    const task = runs.find((r) => r.taskId === '1')!;
    for (const [, headers] of badHeaders()) {
      await caller.call('/job/stop/v1', '[{"jobId":7,"taskBatchId":500,"groupName":"g"}]', headers);
    }
    await sleep(100);
    expect(task.signal.aborted).toBe(false);
    await caller.call('/job/stop/v1', '[{"jobId":7,"taskBatchId":500,"groupName":"g"}]');
    await waitUntil(() => task.signal.aborted);
    expect(task.signal.reason).toBe('stop');
  });

  it('a config push with a bad token changes nothing; the right token does', async () => {
    const beatsBefore = server.calls('/beat').length;
    await server.waitFor('/beat', beatsBefore + 2);
    expect(server.calls('/beat').at(-1)!.headers.version).toBe('0');
    await caller.call('/sync/version', '[{"version":42}]');
    const n = server.calls('/beat').length;
    await server.waitFor('/beat', n + 1);
    expect(server.calls('/beat').at(-1)!.headers.version).toBe('42');
  });

  it('rejects an 11 MiB message at the gRPC layer without harm, and serves normally afterwards', async () => {
    const huge = dispatchBody({ taskId: 2, taskBatchId: 2, argsStr: 'x'.repeat(11 * 1024 * 1024) });
    const error = await caller.call('/job/dispatch/v1', huge).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(app.get(SnailJobTransport).isServing()).toBe(true);

    const big = JSON.stringify({ jobParams: 'y'.repeat(9 * 1024 * 1024) });
    expect(
      await caller.call('/job/dispatch/v1', dispatchBody({ taskId: 3, taskBatchId: 3, argsStr: big })),
    ).toMatchObject({ status: 1, data: 'true' });
    const reports = await server.waitFor('/report/dispatch/result', 1);
    expect(JSON.parse(reports[0].body)[0]).toMatchObject({
      taskId: 3,
      taskStatus: 3,
      executeResult: { result: 9 * 1024 * 1024 },
    });
  });
});

describe('start-up warnings', () => {
  it('warns about the demo token and namespace when NODE_ENV=production', async () => {
    const server = await new RawServer().start();
    const logs = new LogCapture();
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    let app: INestApplication | undefined;
    try {
      app = await startClientApp(clientOptions(server.port), [GuardedJobs], logs);
    } finally {
      process.env.NODE_ENV = previous;
    }
    expect(logs.find('warn', /public demo token/)).toHaveLength(1);
    expect(logs.find('warn', /demo namespace/)).toHaveLength(1);
    await app.close();
    await server.close();
  });
});
