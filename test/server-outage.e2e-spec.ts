import { Injectable } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs, type MapArgs, MapTask } from 'nestjs-snail-job';
import { createClientApp, clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody, freePort } from './support/dispatch.js';
import { LogCapture } from './support/log-capture.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { sleep, waitUntil } from './support/wait.js';

@Injectable()
class EchoJobs {
  @SnailJob('echoJob')
  echo(args: JobArgs) {
    return String(args.taskId);
  }
}

@SnailJob('fanOut')
@Injectable()
class FanOut {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap(['a', 'b'], 'LEAF');
  }
}

describe('server outages', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('boots with the server down, logs one line, and registers within one heartbeat period once it appears', async () => {
    const port = await freePort();
    const logs = new LogCapture();
    const t0 = Date.now();
    const app = await startClientApp(clientOptions(port, { heartbeatIntervalMs: 500 }), [EchoJobs], logs);
    cleanup.push(() => app.close());
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(app.get(SnailJobTransport).isServing()).toBe(true);

    await sleep(2_500); // several failed heartbeats, each with a different grpc-js error text
    const outageLines = logs.find('error', /unreachable/);
    expect(outageLines).toHaveLength(1);
    expect(outageLines[0]).toContain(`127.0.0.1:${port}`);
    expect(outageLines[0]).toContain('logged once per outage');

    const server = await new RawServer().start(port);
    cleanup.push(() => server.close());
    const up = Date.now();
    await server.waitFor('/beat', 1, 2_000);
    const registeredIn = Date.now() - up;
    console.info(
      `[outage] first heartbeat ${registeredIn} ms after the server appeared (heartbeat period 500 ms)`,
    );
    expect(registeredIn).toBeLessThanOrEqual(500 + 400); // slack for a loaded CI machine
    await server.waitFor('/register/job/executors');
    expect(logs.find('log', /Registered with SnailJob server .* after \d+ s/)).toHaveLength(1);

    // A second outage is logged once again, and recovery too.
    server.kill();
    await sleep(1_500);
    expect(logs.find('error', /unreachable/)).toHaveLength(2);
    const again = await new RawServer().start(port);
    cleanup.push(() => again.close());
    await again.waitFor('/beat', 1, 1_500);
  });

  it('with failFast, app.init() rejects with a clear message when the server is down', async () => {
    const port = await freePort();
    const app = await createClientApp(clientOptions(port, { failFast: true }), [EchoJobs]);
    let error: unknown;
    try {
      await app.init();
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(
      /^SnailJob failFast \(option failFast, env SNAIL_FAIL_FAST\): could not register .*127\.0\.0\.1:\d+/,
    );
    await app.close();
  });

  it('with failFast, boots normally when the server is up', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    const app = await startClientApp(clientOptions(server.port, { failFast: true }), [EchoJobs]);
    cleanup.push(() => app.close());
    expect(server.calls('/beat').length).toBeGreaterThanOrEqual(1);
  });

  describe('map tasks (doMap)', () => {
    it('retries while the server refuses connections, then sends the request once', async () => {
      const port = await freePort();
      const app = await startClientApp(clientOptions(port, { heartbeatIntervalMs: 500 }), [FanOut]);
      cleanup.push(() => app.close());
      const caller = new RawCaller(app.get(SnailJobTransport).port);
      cleanup.push(() => caller.close());
      const reply = await caller.call(
        '/job/dispatch/v1',
        dispatchBody({
          executorInfo: 'fanOut',
          taskType: 4,
          mrStage: 1,
          taskName: 'ROOT_MAP',
          argsStr: '{}',
        }),
      );
      expect(reply).toMatchObject({ status: 1, data: 'true' });
      await sleep(1_000);
      const server = await new RawServer().start(port);
      cleanup.push(() => server.close());
      const [map] = await server.waitFor('/batch/report/job/map/task/v1', 1, 8_000);
      expect(JSON.parse(map.body)[0]).toMatchObject({
        subTask: ['a', 'b'],
        taskName: 'LEAF',
        parentId: 3301,
      });
      const [report] = await server.waitFor('/report/dispatch/result', 1, 8_000);
      expect(JSON.parse(report.body)[0]).toMatchObject({ taskId: 3301, taskStatus: 3 });
      await sleep(300);
      expect(server.calls('/batch/report/job/map/task/v1')).toHaveLength(1);
    });

    it('does not resend a map request the server refused (status 0); the task fails with its message', async () => {
      const server = await new RawServer().start();
      cleanup.push(() => server.close());
      server.respond = (r) =>
        r.uri === '/batch/report/job/map/task/v1'
          ? { status: 0, message: 'Job config not existed', data: 'false' }
          : undefined;
      const app = await startClientApp(clientOptions(server.port), [FanOut]);
      cleanup.push(() => app.close());
      const caller = new RawCaller(app.get(SnailJobTransport).port);
      cleanup.push(() => caller.close());
      await caller.call(
        '/job/dispatch/v1',
        dispatchBody({
          executorInfo: 'fanOut',
          taskType: 4,
          mrStage: 1,
          taskName: 'ROOT_MAP',
          argsStr: '{}',
        }),
      );
      const [report] = await server.waitFor('/report/dispatch/result');
      expect(JSON.parse(report.body)[0]).toMatchObject({
        taskStatus: 4,
        executeResult: { status: 0, message: expect.stringContaining('Job config not existed') as string },
      });
      expect(server.calls('/batch/report/job/map/task/v1')).toHaveLength(1);
    });
  });

  it('keeps results of tasks that ran while the server was away and delivers them once it is back', async () => {
    const server = await new RawServer().start();
    const port = server.port;
    cleanup.push(() => server.close());
    const app = await startClientApp(clientOptions(port, { heartbeatIntervalMs: 500 }), [EchoJobs]);
    cleanup.push(() => app.close());
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    cleanup.push(() => caller.close());
    await server.waitFor('/beat');
    server.kill();
    for (let i = 1; i <= 20; i++) {
      expect(
        await caller.call('/job/dispatch/v1', dispatchBody({ taskId: i, taskBatchId: i })),
      ).toMatchObject({
        status: 1,
        data: 'true',
      });
    }
    await sleep(1_000);
    const back = await new RawServer().start(port);
    cleanup.push(() => back.close());
    await waitUntil(() => back.calls('/report/dispatch/result').length >= 20, 7_000, 'all 20 reports');
    await sleep(300);
    const ids = back.reports().map((r) => r.taskId);
    expect(new Set(ids).size).toBe(20);
    expect(ids).toHaveLength(20);
  });
});
