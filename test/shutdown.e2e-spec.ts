import { Injectable } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody } from './support/dispatch.js';
import { LogCapture } from './support/log-capture.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { sleep, waitUntil } from './support/wait.js';

const aborted: { taskId: string; reason: unknown }[] = [];
const started: string[] = [];

@Injectable()
class ShutdownJobs {
  @SnailJob('quickJob')
  async quick(args: JobArgs) {
    started.push(String(args.taskId));
    await sleep(300);
    return 'done';
  }

  @SnailJob('untilAborted')
  async untilAborted(args: JobArgs) {
    started.push(String(args.taskId));
    await new Promise((resolve) =>
      args.signal.addEventListener('abort', () => {
        aborted.push({ taskId: String(args.taskId), reason: args.signal.reason });
        resolve(undefined);
      }),
    );
    return 'finished after abort';
  }
}

describe('graceful shutdown (app.close())', () => {
  it('refuses new work, hands queued tasks back, lets running ones finish, aborts the rest after the grace period', async () => {
    const server = await new RawServer().start();
    const logs = new LogCapture();
    const app = await startClientApp(
      clientOptions(server.port, { shutdownGraceMs: 1_000 }),
      [ShutdownJobs],
      logs,
    );
    const port = app.get(SnailJobTransport).port;
    const caller = new RawCaller(port);
    await server.waitFor('/beat');

    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'quickJob', taskId: 1, taskBatchId: 1 }),
    );
    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'untilAborted', taskId: 2, taskBatchId: 2 }),
    );
    // Same batch as task 1 with parallelNum 1: waits for task 1's slot.
    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'quickJob', taskId: 3, taskBatchId: 1 }),
    );
    await waitUntil(() => started.length === 2);

    const t0 = Date.now();
    const closing = app.close();
    await sleep(100);
    const refused = await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'quickJob', taskId: 4, taskBatchId: 4 }),
    );
    expect(refused).toMatchObject({ status: 1, data: 'false' });
    expect(refused.message).toContain('shutting down');
    // The queued task goes back to the server at once, as a failure it can retry elsewhere.
    const [handedBack] = await server.waitFor('/report/dispatch/result', 1, 500);
    expect(JSON.parse(handedBack.body)[0]).toMatchObject({ taskId: 3, taskStatus: 4 });

    await closing;
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1_000);
    expect(took).toBeLessThan(2_000);
    expect(aborted).toEqual([{ taskId: '2', reason: 'shutdown' }]);
    const byTask = new Map(server.reports().map((r) => [r.taskId, r]));
    expect(byTask.get(1)).toMatchObject({ taskStatus: 3, executeResult: { result: 'done' } });
    expect(byTask.get(2)).toMatchObject({
      taskStatus: 4,
      executeResult: { status: 0, message: expect.stringContaining('shut down') as string },
    });
    expect(server.reports()).toHaveLength(3);
    expect(started).toEqual(['1', '2']);

    expect(logs.find('log', /1 task\(s\) not started yet were handed back/)).toHaveLength(1);
    expect(logs.find('warn', /grace period of 1000 ms .* aborted 1 running task/)).toHaveLength(1);
    expect(logs.find('log', /SnailJob client stopped in \d+ ms$/)).toHaveLength(1);
    // Both gRPC directions are closed.
    await expect(caller.call('/job/stop/v1', 'null')).rejects.toThrow();
    const beats = server.calls('/beat').length;
    await sleep(300);
    expect(server.calls('/beat')).toHaveLength(beats);
    caller.close();
    await server.close();
  });

  it('reports undelivered at shutdown are named in the log when the server is away', async () => {
    const server = await new RawServer().start();
    const logs = new LogCapture();
    const app = await startClientApp(
      clientOptions(server.port, { shutdownGraceMs: 0 }),
      [ShutdownJobs],
      logs,
    );
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    await server.waitFor('/beat');
    server.kill();
    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'quickJob', taskId: 9, taskBatchId: 9 }),
    );
    await sleep(400);
    await app.close();
    expect(
      logs.find('warn', /1 result report\(s\) were not delivered before shutdown and are lost/),
    ).toHaveLength(1);
    expect(logs.find('log', /client stopped in .*not fully delivered: result reports/)).toHaveLength(1);
    caller.close();
  });
});
